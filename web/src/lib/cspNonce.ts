// The nonce the server put in this page's Content-Security-Policy (style-src 'nonce-…'), for
// CodeMirror's own <style> element; null where no server filled it in (no CSP there).

const PLACEHOLDER = "CSP_NONCE";

export function cspNonce(doc: Pick<Document, "querySelector"> = document): string | null {
  const value = doc.querySelector('meta[name="csp-nonce"]')?.getAttribute("content") ?? "";
  return value && value !== PLACEHOLDER && /^[A-Za-z0-9+/=_-]+$/.test(value) ? value : null;
}
