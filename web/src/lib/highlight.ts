// Python code as highlighted pieces, by CodeMirror's own parser and class highlighter, so the
// handout's code looks like the editor's (both use the `tok-*` classes in app.css).

import { classHighlighter, highlightCode } from "@lezer/highlight";
import { parser } from "@lezer/python";

export interface Token {
  text: string;
  classes: string; // "" for plain text
}

const PYTHON = new Set(["python", "py", "python3"]);

export const highlightable = (lang: string): boolean => PYTHON.has(lang.toLowerCase());

/** The code as tokens; text is kept exactly (newlines become "\n" tokens). */
export function highlight(code: string): Token[] {
  const tokens: Token[] = [];
  highlightCode(
    code,
    parser.parse(code),
    classHighlighter,
    (text, classes) => tokens.push({ text, classes }),
    () => tokens.push({ text: "\n", classes: "" }),
  );
  return tokens;
}
