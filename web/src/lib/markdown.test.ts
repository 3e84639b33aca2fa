import { describe, expect, it } from "vitest";
import { cspNonce } from "./cspNonce";
import { highlight, highlightable } from "./highlight";
import { assignmentIdFrom } from "./location";
import { type Block, type Inline, handoutBlocks, inline, outline, parse, withoutTitle } from "./markdown";

const texts = (nodes: Inline[]): string =>
  nodes.map((n) => ("text" in n ? n.text : texts(n.children))).join("");

describe("Markdown safety", () => {
  it("keeps raw HTML as text", () => {
    const [block] = parse('<script>alert("x")</script>\n<img src=x onerror=alert(1)>');
    expect(block).toEqual({
      type: "paragraph",
      children: [{ type: "text", text: '<script>alert("x")</script>\n<img src=x onerror=alert(1)>' }],
    });
  });

  it("links only to http(s) addresses; any other link is its text", () => {
    for (const href of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", "//evil"]) {
      const [node] = inline(`[click](${href})`);
      expect(node).toEqual({ type: "span", children: [{ type: "text", text: "click" }] });
    }
    expect(inline("[docs](https://docs.python.org/3/)")[0]).toMatchObject({ type: "link", href: "https://docs.python.org/3/" });
    expect(inline('[x](https://a.example/"onmouseover=)')[0]?.type).toBe("span");
  });

  it("no component renders HTML from a string", () => {
    const sources = import.meta.glob<string>(["../components/*.svelte", "../pages/*.svelte"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    for (const [name, text] of Object.entries(sources)) expect(text, name).not.toMatch(/\{@html|innerHTML/);
  });
});

describe("Markdown blocks", () => {
  it("parses headings, code, lists, tables and quotes", () => {
    const blocks = parse(
      "# Title\n\nSome *em* and **strong** and `code`.\n\n```python\nprint(1)\n```\n\n- a\n- b\n\n3. c\n4. d\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n---",
    );
    expect(blocks.map((b) => b.type)).toEqual(["heading", "paragraph", "code", "list", "list", "table", "quote", "rule"]);
    expect(blocks[2]).toEqual({ type: "code", lang: "python", text: "print(1)" });
    expect(blocks[4]).toMatchObject({ ordered: true, start: 3 });
    expect(texts((blocks[1] as Extract<Block, { type: "paragraph" }>).children)).toBe("Some em and strong and code.");
    expect(withoutTitle(blocks)[0]?.type).toBe("paragraph");
  });

  it("leaves snake_case words alone", () => {
    expect(inline("call snake_case_name now")).toEqual([{ type: "text", text: "call snake_case_name now" }]);
  });
});

describe("highlighting and the page's assignment", () => {
  it("highlights Python and keeps the text exactly", () => {
    const code = "def f(x):\n    return x + 1  # one more\n";
    const tokens = highlight(code);
    expect(tokens.map((t) => t.text).join("")).toBe(code);
    expect(tokens.find((t) => t.text === "def")?.classes).toContain("tok-keyword");
    expect(highlightable("Python")).toBe(true);
    expect(highlightable("")).toBe(false);
  });

  it("reads the assignment id from the path, or from ?id=", () => {
    expect(assignmentIdFrom({ pathname: "/assignments/abc-1/", search: "" })).toBe("abc-1");
    expect(assignmentIdFrom({ pathname: "/assignments/abc-1", search: "" })).toBe("abc-1");
    expect(assignmentIdFrom({ pathname: "/assignments/", search: "?id=xyz" })).toBe("xyz");
    expect(assignmentIdFrom({ pathname: "/assignments/", search: "" })).toBeNull();
  });
});

describe("the CSP nonce", () => {
  const page = (content: string | null) => ({
    querySelector: () => (content === null ? null : ({ getAttribute: () => content } as unknown as Element)),
  });

  it("is the one the server filled in, and none otherwise", () => {
    expect(cspNonce(page("abc123=="))).toBe("abc123==");
    expect(cspNonce(page("CSP_NONCE"))).toBeNull();
    expect(cspNonce(page(null))).toBeNull();
    expect(cspNonce(page('x" onload="y'))).toBeNull();
  });
});

describe("the handout's outline", () => {
  const levels = (blocks: Block[]): number[] =>
    blocks.flatMap((b) => (b.type === "heading" ? [b.level] : b.type === "quote" ? levels(b.children) : []));

  it("puts the handout's highest heading at h2, under the page's title", () => {
    expect(levels(handoutBlocks("# Title\n\n## Input\n\ntext\n\n## Output\n"))).toEqual([2, 2]);
    expect(levels(handoutBlocks("# Title\n\n### Deep\n"))).toEqual([2]);
  });

  it("never skips a level, keeping the handout's own nesting", () => {
    expect(levels(outline(parse("## A\n\n#### B\n\n##### C\n\n## D\n\n### E\n")))).toEqual([2, 3, 4, 2, 3]);
    expect(levels(outline(parse("## A\n\n> ### Quoted\n")))).toEqual([2, 3]);
  });

  it("leaves a handout without headings as it is", () => {
    const blocks = parse("just text\n\n- a\n- b\n");
    expect(outline(blocks)).toBe(blocks);
  });
});
