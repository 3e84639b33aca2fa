// Which assignment a page is about: /assignments/<id>/ (nginx serves every such path with the
// same file) or, as a fallback, ?id=<id>.

export function assignmentIdFrom(where: Pick<Location, "pathname" | "search">): string | null {
  const match = /^\/assignments\/([^/]+)\/?$/.exec(where.pathname);
  if (match?.[1]) return decodeURIComponent(match[1]);
  const id = new URLSearchParams(where.search).get("id");
  return id?.trim() ? id.trim() : null;
}
