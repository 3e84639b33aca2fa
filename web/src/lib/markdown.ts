// A small Markdown parser for handouts. It builds a plain tree and never HTML: components render
// text as text, so a handout's <script>, raw HTML or javascript: link can never run.
// Supported: headings, paragraphs, fenced code, lists, tables, block quotes, rules, inline code,
// emphasis, strong, and links whose address is http(s) (any other link shows as its text).

export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "em" | "strong" | "span"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "code"; lang: string; text: string }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] }
  | { type: "table"; header: Inline[][]; rows: Inline[][][] }
  | { type: "quote"; children: Block[] }
  | { type: "rule" };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const SAFE_URL = /^https?:\/\/[^\s<>"]+$/i;
const ESCAPABLE = "\\`*_{}[]()#+-.!|~<>\"'$";

type Step = (lines: string[], start: number, blocks: Block[]) => number;

/** Markdown text -> a list of blocks (plain objects; text stays text). */
export function parse(markdown: string | null | undefined): Block[] {
  const lines = String(markdown ?? "").replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (!line.trim()) i += 1;
    else i = stepFor(line, lines[i + 1] ?? "")(lines, i, blocks);
  }
  return blocks;
}

function stepFor(line: string, next: string): Step {
  if (FENCE.test(line)) return fenced;
  if (HEADING.test(line)) return heading;
  if (RULE.test(line)) return rule;
  if (/^\s*>/.test(line)) return quote;
  if (ITEM.test(line)) return list;
  if (line.includes("|") && TABLE_SEPARATOR.test(next)) return table;
  return paragraph;
}

const heading: Step = (lines, start, blocks) => {
  const [, hashes = "#", text = ""] = HEADING.exec(lines[start] ?? "") ?? [];
  blocks.push({ type: "heading", level: hashes.length, children: inline(text) });
  return start + 1;
};

const rule: Step = (_lines, start, blocks) => {
  blocks.push({ type: "rule" });
  return start + 1;
};

const fenced: Step = (lines, start, blocks) => {
  const [, fence = "```", lang = ""] = FENCE.exec(lines[start] ?? "") ?? [];
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && !(lines[i] ?? "").trimStart().startsWith(fence)) {
    body.push(lines[i] ?? "");
    i += 1;
  }
  blocks.push({ type: "code", lang, text: body.join("\n") });
  return i + 1; // past the closing fence (or the end of the text)
};

const quote: Step = (lines, start, blocks) => {
  const body: string[] = [];
  let i = start;
  while (i < lines.length && /^\s*>/.test(lines[i] ?? "")) {
    body.push((lines[i] ?? "").replace(/^\s*> ?/, ""));
    i += 1;
  }
  blocks.push({ type: "quote", children: parse(body.join("\n")) });
  return i;
};

const list: Step = (lines, start, blocks) => {
  const first = ITEM.exec(lines[start] ?? "")?.[1] ?? "-";
  const ordered = /\d/.test(first);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const item = ITEM.exec(line);
    const last = items[items.length - 1];
    if (item && /\d/.test(item[1] ?? "") === ordered) {
      items.push([item[2] ?? ""]);
    } else if (line.trim() && /^\s{2,}/.test(line) && last) {
      last.push(line.trim()); // a continuation of the item above
    } else if (!(line.trim() === "" && ITEM.test(lines[i + 1] ?? ""))) {
      break;
    }
    i += 1;
  }
  const startAt = ordered ? parseInt(first, 10) : 1;
  blocks.push({ type: "list", ordered, start: startAt, items: items.map((l) => inline(l.join(" "))) });
  return i;
};

const table: Step = (lines, start, blocks) => {
  const header = cells(lines[start] ?? "").map(inline);
  const rows: Inline[][][] = [];
  let i = start + 2;
  while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim()) {
    rows.push(cells(lines[i] ?? "").map(inline));
    i += 1;
  }
  blocks.push({ type: "table", header, rows });
  return i;
};

function cells(line: string): string[] {
  const parts = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/);
  return parts.map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

const paragraph: Step = (lines, start, blocks) => {
  const body: string[] = [];
  let i = start;
  while (i < lines.length && (lines[i] ?? "").trim() && (i === start || !startsBlock(lines[i] ?? ""))) {
    body.push((lines[i] ?? "").trim());
    i += 1;
  }
  blocks.push({ type: "paragraph", children: inline(body.join("\n")) });
  return i;
};

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || /^\s*>/.test(line) || ITEM.test(line);
}

interface Found {
  node: Inline;
  end: number;
}

/** Inline Markdown -> a list of inline nodes. */
export function inline(text: string): Inline[] {
  const nodes: Inline[] = [];
  let plain = "";
  const flush = () => {
    if (plain) nodes.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const found = inlineAt(text, i);
    if (found?.node.type === "text") {
      plain += found.node.text; // a marker that turned out to be literal
      i = found.end;
    } else if (found) {
      flush();
      nodes.push(found.node);
      i = found.end;
    } else if (text[i] === "\\" && ESCAPABLE.includes(text[i + 1] ?? "\n")) {
      plain += text[i + 1];
      i += 2;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  flush();
  return nodes;
}

function inlineAt(text: string, i: number): Found | null {
  const char = text[i];
  if (char === "`") return codeSpan(text, i);
  if (char === "[") return link(text, i);
  if (char === "*" || char === "_") return emphasis(text, i, char);
  return null;
}

function codeSpan(text: string, i: number): Found | null {
  const run = /^`+/.exec(text.slice(i))?.[0] ?? "`";
  let from = i + run.length;
  while (from <= text.length) {
    const close = text.indexOf(run, from);
    if (close < 0) return { node: { type: "text", text: run }, end: i + run.length };
    const after = close + run.length;
    if (text[after] !== "`" && text[close - 1] !== "`") {
      let code = text.slice(i + run.length, close).replace(/\n/g, " ");
      if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
      return { node: { type: "code", text: code }, end: after };
    }
    from = after;
  }
  return null;
}

function emphasis(text: string, i: number, char: string): Found | null {
  const delimiter = text.startsWith(char.repeat(2), i) ? char.repeat(2) : char;
  const inner = i + delimiter.length;
  if (!text[inner] || /\s/.test(text[inner] ?? "")) return null;
  if (char === "_" && /[\p{L}\p{N}]/u.test(text[i - 1] ?? "")) return null; // snake_case
  let close = text.indexOf(delimiter, inner + 1);
  while (close > 0) {
    const closes = !/\s/.test(text[close - 1] ?? "") && text[close + delimiter.length] !== char;
    const next = text[close + delimiter.length] ?? "";
    const wordEnd = char !== "_" || !/[\p{L}\p{N}]/u.test(next);
    if (closes && wordEnd && !insideCode(text, inner, close)) {
      const type = delimiter.length === 2 ? "strong" : "em";
      return { node: { type, children: inline(text.slice(inner, close)) }, end: close + delimiter.length };
    }
    close = text.indexOf(delimiter, close + 1);
  }
  return null;
}

function insideCode(text: string, from: number, to: number): boolean {
  return (text.slice(from, to).match(/`/g) ?? []).length % 2 === 1;
}

function link(text: string, i: number): Found | null {
  const label = closing(text, i, "[", "]");
  if (label < 0 || text[label + 1] !== "(") return null;
  const target = closing(text, label + 1, "(", ")");
  if (target < 0) return null;
  const href = text.slice(label + 2, target).trim().split(/\s+/)[0] ?? "";
  const children = inline(text.slice(i + 1, label));
  const node: Inline = SAFE_URL.test(href) ? { type: "link", href, children } : { type: "span", children };
  return { node, end: target + 1 };
}

function closing(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === left) depth += 1;
    else if (text[i] === right && --depth === 0) return i;
  }
  return -1;
}

/** The blocks without a leading `# Title`: the page shows the title as its own heading. */
export function withoutTitle(blocks: Block[]): Block[] {
  const first = blocks[0];
  return first?.type === "heading" && first.level === 1 ? blocks.slice(1) : blocks;
}

/** The handout's headings placed under the page's own: the highest becomes `top` (h2 under the
 * page's h1) and none is more than one level below the heading before it, so the page's
 * outline never skips a level (screen readers navigate by it). Quotes' headings included. */
export function outline(blocks: Block[], top = 2): Block[] {
  const levels: number[] = [];
  const collect = (list: Block[]): void => {
    for (const block of list) {
      if (block.type === "heading") levels.push(block.level);
      else if (block.type === "quote") collect(block.children);
    }
  };
  collect(blocks);
  if (!levels.length) return blocks;
  const highest = Math.min(...levels);
  let previous = top - 1;
  const place = (list: Block[]): Block[] =>
    list.map((block) => {
      if (block.type === "quote") return { ...block, children: place(block.children) };
      if (block.type !== "heading") return block;
      const level = Math.min(6, block.level - highest + top, previous + 1);
      previous = level;
      return { ...block, level };
    });
  return place(blocks);
}

/** A handout as the assignment page shows it: without its title, under the page's h1. */
export function handoutBlocks(markdown: string): Block[] {
  return outline(withoutTitle(parse(markdown)));
}
