import assert from "node:assert/strict";
import { before, test } from "node:test";

import { fakeDocument, html } from "./fake-dom.mjs";

let status;
before(async () => {
  globalThis.document = fakeDocument; // dom.js builds with the page's document
  status = await import("../../web/js/status.js");
});

const render = (feedback) => status.renderFeedback(feedback).map(html).join("");

test("test names read as sentences", () => {
  assert.equal(status.testLabel("test_adds_two_small_numbers"), "adds two small numbers");
  assert.equal(status.testLabel("test"), "test");
});

test("a failed test shows expected and got", () => {
  const out = render({
    message: "1 of 2 tests failed.",
    tests: [
      { name: "test_ok", outcome: "passed" },
      { name: "test_sum", outcome: "failed", expected: "['7']", actual: "['34']" },
    ],
  });
  assert.match(out, /<p class="feedback-message">1 of 2 tests failed.<\/p>/);
  assert.match(out, /<dt>Expected<\/dt><dd><pre>\['7'\]<\/pre><\/dd><dt>Got<\/dt><dd><pre>\['34'\]<\/pre><\/dd>/);
  assert.match(out, /✓ passed/);
  assert.match(out, /✗ failed/);
});

test("an error shows the student's line, the error and the output", () => {
  const out = render({
    message: "",
    tests: [{ name: "test_x", outcome: "error", line: 3, source_line: "return text.foo()",
      error: "AttributeError: 'str' object has no attribute 'foo'", output: "debug" }],
    output: "<b>printed</b>",
  });
  assert.match(out, /Your line 3: <code>return text.foo\(\)<\/code>/);
  assert.match(out, /<pre class="error-text">AttributeError/);
  assert.match(out, /<summary>Printed output<\/summary><pre>debug<\/pre>/);
  assert.match(out, /<pre>&lt;b&gt;printed&lt;\/b&gt;<\/pre>/); // output is text, never markup
});

test("every status has words, not only a colour", () => {
  for (const name of ["pending", "grading", "passed", "failed", "error"]) {
    const text = status.statusBadge(name).textContent;
    assert.match(text, /[A-Za-z]{4,}/, name);
  }
});
