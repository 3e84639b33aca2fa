import assert from "node:assert/strict";
import { test } from "node:test";

import { inline, parse, render } from "../../web/js/markdown.js";
import { elementNames, fakeDocument, html } from "./fake-dom.mjs";

const toHtml = (markdown, options) => html(render(parse(markdown), fakeDocument, options));

test("headings move one level down under the page's own h1", () => {
  assert.equal(toHtml("# Title\n\n## Input"), "<h2>Title</h2><h3>Input</h3>");
});

test("paragraph lines join and blank lines separate paragraphs", () => {
  assert.equal(toHtml("one\ntwo\n\nthree"), "<p>one\ntwo</p><p>three</p>");
});

test("fenced code keeps its text and language, Markdown inside stays literal", () => {
  assert.equal(
    toHtml("```python\ndef f(*args):\n    return **x**\n```"),
    '<pre><code data-lang="python">def f(*args):\n    return **x**</code></pre>',
  );
});

test("an unclosed fence runs to the end of the text", () => {
  assert.equal(toHtml("```\nx = 1"), "<pre><code>x = 1</code></pre>");
});

test("bullet and numbered lists, with continuation lines", () => {
  assert.equal(toHtml("- a\n- b\n  more"), "<ul><li>a</li><li>b more</li></ul>");
  assert.equal(toHtml("3. c\n4. d"), '<ol start="3"><li>c</li><li>d</li></ol>');
});

test("inline code, emphasis and strong", () => {
  assert.equal(
    toHtml("Use `print()` for *output* and **care**."),
    "<p>Use <code>print()</code> for <em>output</em> and <strong>care</strong>.</p>",
  );
});

test("underscores inside identifiers are not emphasis", () => {
  assert.equal(toHtml("call has_close_elements and _this_"), "<p>call has_close_elements and <em>this</em></p>");
});

test("a lone star between spaces is text", () => {
  assert.equal(toHtml("2 * 3 * 4"), "<p>2 * 3 * 4</p>");
});

test("http and https links become anchors that open safely", () => {
  assert.equal(
    toHtml("[docs](https://docs.python.org/3/)"),
    '<p><a href="https://docs.python.org/3/" rel="noopener noreferrer" target="_blank">docs</a></p>',
  );
});

test("links to any other scheme show only their text", () => {
  for (const href of ["javascript:alert(1)", "data:text/html,x", "/relative", "JaVaScRiPt:alert(1)"]) {
    assert.equal(toHtml(`[click](${href})`), "<p><span>click</span></p>", href);
  }
});

test("raw HTML in the handout is shown as text, never as elements", () => {
  const markdown = '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n# <b>bold</b>\n\n- <i>x</i>';
  const fragment = render(parse(markdown), fakeDocument);
  assert.deepEqual([...elementNames(fragment)].sort(), ["h2", "li", "p", "ul"]);
  assert.match(html(fragment), /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html(fragment), /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
});

test("only known element names are ever created", () => {
  const everything = [
    "# h", "p *e* **s** `c` [l](https://x.y)", "- a", "1. b", "> q", "---", "```\nc\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
  ].join("\n\n");
  const allowed = ["a", "blockquote", "code", "div", "em", "h2", "hr", "li", "ol", "p", "pre", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul"];
  for (const name of elementNames(render(parse(everything), fakeDocument))) {
    assert.ok(allowed.includes(name), name);
  }
});

test("tables get a header row and body rows", () => {
  assert.equal(
    toHtml("| I | V |\n|---|---|\n| 1 | 5 |"),
    '<div class="table-scroll"><table><thead><tr><th>I</th><th>V</th></tr></thead>' +
      "<tbody><tr><td>1</td><td>5</td></tr></tbody></table></div>",
  );
});

test("backslash escapes make markers literal", () => {
  assert.deepEqual(inline("\\*not em\\*"), [{ type: "text", text: "*not em*" }]);
});

test("code spans may hold backticks with a longer fence", () => {
  assert.deepEqual(inline("`` a`b ``"), [{ type: "code", text: "a`b" }]);
});

test("an unmatched backtick stays text", () => {
  assert.deepEqual(inline("it`s"), [{ type: "text", text: "it`s" }]);
});

test("empty or missing text renders nothing", () => {
  assert.equal(toHtml(""), "");
  assert.deepEqual(parse(undefined), []);
});

test("every handout of the curriculum and the problem sets parses", async () => {
  const { readFile } = await import("node:fs/promises");
  const files = ["curriculum", "kattis", "humaneval"].map((n) =>
    n === "curriculum" ? "../../assignments/curriculum.jsonl" : `../../tests/data/${n}.jsonl`);
  for (const file of files) {
    const text = await readFile(new URL(file, import.meta.url), "utf8");
    for (const line of text.split("\n").filter(Boolean)) {
      const record = JSON.parse(line);
      const blocks = parse(record.handout);
      assert.equal(blocks[0].type, "heading", record.id);
      assert.ok(html(render(blocks, fakeDocument)).length > 0);
    }
  }
});
