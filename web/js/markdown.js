// A small Markdown renderer for handouts. It never inserts HTML from the text: parse() builds a
// plain tree, render() turns it into DOM nodes with createElement and createTextNode only.
// Supported: headings, paragraphs, fenced code, lists, tables, block quotes, rules, inline code,
// emphasis, strong, and links whose address is http(s) (any other link shows as its text).

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const SAFE_URL = /^https?:\/\/[^\s<>"]+$/i;
const ESCAPABLE = "\\`*_{}[]()#+-.!|~<>\"'$";

/** Markdown text -> a list of blocks (plain objects; text stays text). */
export function parse(markdown) {
  const lines = String(markdown ?? "").replace(/\r\n?/g, "\n").split("\n");
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
    } else if (FENCE.test(line)) {
      i = fenced(lines, i, blocks);
    } else if (HEADING.test(line)) {
      const [, hashes, text] = line.match(HEADING);
      blocks.push({ type: "heading", level: hashes.length, children: inline(text) });
      i += 1;
    } else if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      i += 1;
    } else if (/^\s*>/.test(line)) {
      i = quote(lines, i, blocks);
    } else if (ITEM.test(line)) {
      i = list(lines, i, blocks);
    } else if (line.includes("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "")) {
      i = table(lines, i, blocks);
    } else {
      i = paragraph(lines, i, blocks);
    }
  }
  return blocks;
}

function fenced(lines, start, blocks) {
  const [, fence, lang] = lines[start].match(FENCE);
  const body = [];
  let i = start + 1;
  while (i < lines.length && !lines[i].trimStart().startsWith(fence)) {
    body.push(lines[i]);
    i += 1;
  }
  blocks.push({ type: "code", lang, text: body.join("\n") });
  return i + 1; // past the closing fence (or the end of the text)
}

function quote(lines, start, blocks) {
  const body = [];
  let i = start;
  while (i < lines.length && /^\s*>/.test(lines[i])) {
    body.push(lines[i].replace(/^\s*> ?/, ""));
    i += 1;
  }
  blocks.push({ type: "quote", children: parse(body.join("\n")) });
  return i;
}

function list(lines, start, blocks) {
  const first = lines[start].match(ITEM)[1];
  const ordered = /\d/.test(first);
  const items = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    const item = line.match(ITEM);
    if (item && /\d/.test(item[1]) === ordered) {
      items.push([item[2]]);
    } else if (line.trim() && /^\s{2,}/.test(line) && items.length) {
      items[items.length - 1].push(line.trim()); // a continuation of the item above
    } else if (!(line.trim() === "" && ITEM.test(lines[i + 1] ?? ""))) {
      break;
    }
    i += 1;
  }
  const startAt = ordered ? parseInt(first, 10) : 1;
  const parsed = items.map((lines) => inline(lines.join(" ")));
  blocks.push({ type: "list", ordered, start: startAt, items: parsed });
  return i;
}

function table(lines, start, blocks) {
  const header = cells(lines[start]).map(inline);
  const rows = [];
  let i = start + 2;
  while (i < lines.length && lines[i].includes("|") && lines[i].trim()) {
    rows.push(cells(lines[i]).map(inline));
    i += 1;
  }
  blocks.push({ type: "table", header, rows });
  return i;
}

function cells(line) {
  const parts = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/);
  return parts.map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function paragraph(lines, start, blocks) {
  const body = [];
  let i = start;
  while (i < lines.length && lines[i].trim() && !startsBlock(lines, i)) {
    body.push(lines[i].trim());
    i += 1;
  }
  blocks.push({ type: "paragraph", children: inline(body.join("\n")) });
  return i;
}

function startsBlock(lines, i) {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || /^\s*>/.test(line) || ITEM.test(line);
}

/** Inline Markdown -> a list of inline nodes. */
export function inline(text) {
  const nodes = [];
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

function inlineAt(text, i) {
  const char = text[i];
  if (char === "`") return codeSpan(text, i);
  if (char === "[") return link(text, i);
  if (char === "*" || char === "_") return emphasis(text, i);
  return null;
}

function codeSpan(text, i) {
  const run = text.slice(i).match(/^`+/)[0];
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

function emphasis(text, i) {
  const delimiter = text.startsWith(text[i].repeat(2), i) ? text[i].repeat(2) : text[i];
  const inner = i + delimiter.length;
  if (!text[inner] || /\s/.test(text[inner])) return null;
  if (delimiter[0] === "_" && /[\p{L}\p{N}]/u.test(text[i - 1] ?? "")) return null; // snake_case
  let close = text.indexOf(delimiter, inner + 1);
  while (close > 0) {
    const closes = !/\s/.test(text[close - 1]) && text[close + delimiter.length] !== delimiter[0];
    const next = text[close + delimiter.length] ?? "";
    const wordEnd = delimiter[0] !== "_" || !/[\p{L}\p{N}]/u.test(next);
    if (closes && wordEnd && !insideCode(text, inner, close)) {
      const type = delimiter.length === 2 ? "strong" : "em";
      const children = inline(text.slice(inner, close));
      return { node: { type, children }, end: close + delimiter.length };
    }
    close = text.indexOf(delimiter, close + 1);
  }
  return null;
}

function insideCode(text, from, to) {
  return (text.slice(from, to).match(/`/g) ?? []).length % 2 === 1;
}

function link(text, i) {
  const label = closing(text, i, "[", "]");
  if (label < 0 || text[label + 1] !== "(") return null;
  const target = closing(text, label + 1, "(", ")");
  if (target < 0) return null;
  const href = text.slice(label + 2, target).trim().split(/\s+/)[0] ?? "";
  const children = inline(text.slice(i + 1, label));
  const node = SAFE_URL.test(href) ? { type: "link", href, children } : { type: "span", children };
  return { node, end: target + 1 };
}

function closing(text, open, left, right) {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === left) depth += 1;
    else if (text[i] === right && --depth === 0) return i;
  }
  return -1;
}

/**
 * Blocks -> a DocumentFragment. `shift` moves heading levels down (the page has its own h1).
 * Only element names chosen here are created; every piece of the text becomes a text node.
 */
export function render(blocks, doc = document, { shift = 1 } = {}) {
  const fragment = doc.createDocumentFragment();
  for (const block of blocks) fragment.append(renderBlock(block, doc, shift));
  return fragment;
}

function renderBlock(block, doc, shift) {
  const el = (name, children = []) => element(doc, name, children);
  switch (block.type) {
    case "heading":
      return el(`h${Math.min(6, block.level + shift)}`, renderInline(block.children, doc));
    case "paragraph":
      return el("p", renderInline(block.children, doc));
    case "code": {
      const code = el("code", [doc.createTextNode(block.text)]);
      if (block.lang) code.setAttribute("data-lang", block.lang);
      return el("pre", [code]);
    }
    case "list": {
      const items = block.items.map((item) => el("li", renderInline(item, doc)));
      const list = el(block.ordered ? "ol" : "ul", items);
      if (block.ordered && block.start !== 1) list.setAttribute("start", String(block.start));
      return list;
    }
    case "table":
      return renderTable(block, doc);
    case "quote":
      return el("blockquote", [render(block.children, doc, { shift })]);
    default:
      return el("hr");
  }
}

function renderTable(block, doc) {
  const el = (name, children = []) => element(doc, name, children);
  const row = (cellsOf, tag) => el("tr", cellsOf.map((c) => el(tag, renderInline(c, doc))));
  const head = el("thead", [row(block.header, "th")]);
  const body = el("tbody", block.rows.map((r) => row(r, "td")));
  const scroller = el("div", [el("table", [head, body])]);
  scroller.setAttribute("class", "table-scroll"); // a wide table scrolls, not the page
  return scroller;
}

function renderInline(nodes, doc) {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return doc.createTextNode(node.text);
      case "code":
        return element(doc, "code", [doc.createTextNode(node.text)]);
      case "em":
      case "strong":
        return element(doc, node.type, renderInline(node.children, doc));
      case "link": {
        const a = element(doc, "a", renderInline(node.children, doc));
        a.setAttribute("href", node.href);
        a.setAttribute("rel", "noopener noreferrer");
        a.setAttribute("target", "_blank");
        return a;
      }
      default:
        return element(doc, "span", renderInline(node.children ?? [], doc));
    }
  });
}

function element(doc, name, children) {
  const el = doc.createElement(name);
  for (const child of children) el.append(child);
  return el;
}
