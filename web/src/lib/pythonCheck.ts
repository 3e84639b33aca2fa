// Problems in a Python program found as it is typed, without the server: the first syntax
// error (as Python reports only its first), and names used but defined nowhere, only where
// that is certain. A correct program must never be marked: when in doubt, say nothing.
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@lezer/python";

export interface Problem {
  from: number;
  to: number;
  message: string;
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const BLOCK_START = /^(?:async\s+)?(?:if|elif|else|for|while|def|class|try|except\*?|finally|with)\b/;

/** Python 3.11's built-in names and a module's own, always defined. */
const BUILTINS = new Set(
  `ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
  BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
  ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
  EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError
  FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError
  IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
  ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
  OverflowError PendingDeprecationWarning PermissionError ProcessLookupError RecursionError
  ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration
  SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
  UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
  UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__
  __import__ __loader__ __name__ __package__ __spec__ __file__ __builtins__ __annotations__
  __dict__ __path__ __cached__ __class__ __qualname__ __module__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes
  callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval
  exec exit filter float format frozenset getattr globals hasattr hash help hex id input int
  isinstance issubclass iter len license list locals map max memoryview min next object oct open
  ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str
  sum super tuple type vars zip`.split(/\s+/),
);
// a program that makes names in these ways defines what no reading of its text can know
const DYNAMIC = /\bimport\s+\*|\b(?:exec|eval|globals|locals|vars|setattr|__import__|builtins|__builtins__)\b/;

/** The problems of `code`: at most one syntax error, else any certainly undefined names. */
export function check(code: string): Problem[] {
  const tree = parser.parse(forParser(code));
  const syntax = firstOf([scan(code), firstParseError(code, tree.topNode)]);
  if (syntax) return [syntax];
  return undefinedNames(code, tree.topNode);
}

/** The code as the parser can read it, every position kept: it does not know floats written
 * with a bare trailing dot (`1.`, `-1., 1.`), which Python accepts; their dot becomes a space. */
function forParser(code: string): string {
  return code.replace(/(?<![\w.])(\d+)\.(?![\w.])/g, "$1 ");
}

function firstOf(found: (Problem | null)[]): Problem | null {
  const real = found.filter((p): p is Problem => p !== null);
  return real.sort((a, b) => a.from - b.from)[0] ?? null;
}

function lineAt(code: string, at: number): { from: number; to: number; text: string } {
  const from = code.lastIndexOf("\n", at - 1) + 1;
  const end = code.indexOf("\n", at);
  const to = end === -1 ? code.length : end;
  return { from, to, text: code.slice(from, to) };
}

/** Strings, brackets and indentation, read the way Python's tokenizer reads them. */
function scan(code: string): Problem | null {
  const open: { char: string; at: number }[] = [];
  const indents = [0];
  let lineStart = true; // at the start of a logical line
  let lastCode = ""; // the last significant character of the previous logical line
  let i = 0;
  while (i < code.length) {
    if (lineStart) {
      lineStart = false;
      const problem = indentation(code, i, indents, lastCode);
      if (problem) return problem;
    }
    const char = code[i] ?? "";
    if (char === "#") {
      const end = code.indexOf("\n", i);
      i = end === -1 ? code.length : end;
      continue;
    }
    if (char === "\n") {
      const blank = lineAt(code, i + 1).text.trim();
      if (open.length === 0 && blank !== "" && !blank.startsWith("#")) lineStart = true;
      i += 1;
      continue;
    }
    if (char === "\\" && code[i + 1] === "\n") {
      i += 2; // a backslash joins the next line to this logical line
      continue;
    }
    if (/\w/.test(char)) {
      const word = /^\w+/.exec(code.slice(i))?.[0] ?? char;
      const quoted = code[i + word.length] === '"' || code[i + word.length] === "'";
      if (!(quoted && STRING_PREFIXES.has(word.toLowerCase()))) {
        i += word.length;
        lastCode = word.slice(-1);
        continue;
      }
      i += word.length; // a string's prefix: the string follows
    }
    const quote = code[i] === '"' || code[i] === "'" ? code[i] : null;
    if (quote) {
      const start = i;
      const delimiter = code.startsWith(quote.repeat(3), i) ? quote.repeat(3) : quote;
      const problem = skipString(code, start, delimiter);
      if (typeof problem !== "number") return problem;
      i = problem;
      lastCode = quote;
      continue;
    }
    if (char in OPENERS) open.push({ char, at: i });
    if (char in CLOSERS) {
      const opener = open.pop();
      if (!opener) {
        return { from: i, to: i + 1, message: `This '${char}' closes nothing: no '${CLOSERS[char]}' before it is open.` };
      }
      if (OPENERS[opener.char] !== char) {
        const line = code.slice(0, opener.at).split("\n").length;
        return {
          from: i,
          to: i + 1,
          message: `This '${char}' does not match the '${opener.char}' opened on line ${line}: close that with '${OPENERS[opener.char]}' first.`,
        };
      }
    }
    if (!/\s/.test(char)) lastCode = char;
    i += 1;
  }
  const unclosed = open[open.length - 1];
  if (unclosed) {
    return { from: unclosed.at, to: unclosed.at + 1, message: `This '${unclosed.char}' is never closed: add its '${OPENERS[unclosed.char]}'.` };
  }
  return null;
}

const STRING_PREFIXES = new Set(["r", "u", "b", "f", "rb", "br", "fr", "rf"]);

/** The index just past the string starting at `start`, or the problem of a string never closed. */
function skipString(code: string, start: number, delimiter: string): number | Problem {
  let i = start + delimiter.length;
  while (i < code.length) {
    if (code[i] === "\\") {
      i += 2; // an escaped character; in a raw string too, a quote after \ does not end it
      continue;
    }
    if (code.startsWith(delimiter, i)) return i + delimiter.length;
    if (code[i] === "\n" && delimiter.length === 1) break;
    i += 1;
  }
  if (delimiter.length === 1) {
    return {
      from: start,
      to: lineAt(code, start).to,
      message: `This string is never closed: end it with ${delimiter} on the same line.`,
    };
  }
  return {
    from: start,
    to: start + 3,
    message: `This triple-quoted string is never closed: end it with ${delimiter}.`,
  };
}

/** Python's indentation rules at the start of the logical line at `at` (indents: the open
 * blocks' indentation, kept up to date); a line indented with tabs is not judged. */
function indentation(code: string, at: number, indents: number[], lastCode: string): Problem | null {
  const line = lineAt(code, at);
  const body = line.text.trimStart();
  const indent = line.text.length - body.length;
  if (body === "" || body.startsWith("#") || line.text.slice(0, indent).includes("\t")) return null;
  const top = indents[indents.length - 1] ?? 0;
  const mark = { from: line.from, to: line.from + Math.max(indent, 1) };
  if (lastCode === ":" && indent <= top) {
    return { ...mark, message: "The line before ends with ':', so this line must be indented more, to start its block." };
  }
  if (indent > top) {
    if (lastCode !== ":") {
      return {
        ...mark,
        message: "Unexpected indent: this line is indented more than the one before, which does not end with ':' to open a block.",
      };
    }
    indents.push(indent);
    return null;
  }
  while ((indents[indents.length - 1] ?? 0) > indent) indents.pop();
  if ((indents[indents.length - 1] ?? 0) !== indent) {
    return { ...mark, message: "This line's indentation matches no block around it: line it up with the block it belongs to." };
  }
  return null;
}

/** The parser's first error, said as precisely as its line allows. */
function firstParseError(code: string, top: SyntaxNode): Problem | null {
  let found: number | null = null;
  top.cursor().iterate((node) => {
    if (found !== null) return false;
    if (node.type.isError) found = node.from;
    return undefined;
  });
  if (found === null) return null;
  const at = Math.max(0, Math.min(found, code.length - 1));
  const line = lineAt(code, at);
  const text = line.text.replace(/#.*$/, "").trimEnd();
  const header = BLOCK_START.test(text.trimStart()) && !text.endsWith(":");
  return {
    from: header ? line.from + (line.text.length - line.text.trimStart().length) : at,
    to: header ? line.from + text.length : Math.min(code.length, at + 1),
    message: header
      ? "A ':' is missing at the end of this line."
      : "Python cannot read this: check the syntax here (a missing operator, comma or bracket?).",
  };
}

/** Names read but bound nowhere in the program, not even in another scope: certain to fail
 * with a NameError when that line runs. Bindings are collected generously (a subscript's
 * names on the left of `=` count too), so only a name no reading could define is named. */
function undefinedNames(code: string, top: SyntaxNode): Problem[] {
  if (DYNAMIC.test(code)) return [];
  const bound = new Set<string>();
  const reads: { from: number; to: number; name: string }[] = [];
  const name = (node: SyntaxNode): string => code.slice(node.from, node.to);
  const walk = (node: SyntaxNode): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === "VariableName") {
        if (binds(child)) bound.add(name(child));
        else if (!isKeywordArgument(child)) reads.push({ from: child.from, to: child.to, name: name(child) });
      }
      walk(child);
    }
  };
  walk(top);
  return reads
    .filter((read) => !bound.has(read.name) && !BUILTINS.has(read.name))
    .map((read) => ({
      from: read.from,
      to: read.to,
      message: `'${read.name}' is not defined anywhere in your code, nor built into Python (a typo, or a missing import or assignment?).`,
    }));
}

const BINDING_PARENTS = new Set([
  "ParamList",
  "ImportStatement",
  "ScopeStatement",
  "CapturePattern",
  "DeleteStatement",
  "TypeParam",
]);

/** Whether this name is bound (or may be) where it stands. */
function binds(node: SyntaxNode): boolean {
  for (let up = node.parent; up; up = up.parent) {
    if (BINDING_PARENTS.has(up.name)) return true;
    if (up.name === "MatchClause" || up.name === "Body" || up.name === "Script") break;
  }
  const parent = node.parent;
  if (!parent) return false;
  if (["FunctionDefinition", "ClassDefinition", "TypeDefinition"].includes(parent.name)) {
    return parent.getChild("VariableName")?.from === node.from;
  }
  if (node.prevSibling?.name === "as") return true;
  if (node.nextSibling?.name === "AssignOp" && parent.name === "NamedExpression") return true;
  return inTarget(node);
}

/** Left of `=` (or an augmented `+=`) in an assignment, or between `for` and `in`. */
function inTarget(node: SyntaxNode): boolean {
  for (let at: SyntaxNode | null = node; at && at.parent; at = at.parent) {
    const parent: SyntaxNode = at.parent;
    if (parent.name === "AssignStatement" || parent.name === "UpdateStatement") {
      let last = -1;
      for (let c = parent.firstChild; c; c = c.nextSibling) {
        if (c.name === "AssignOp" || c.name === "UpdateOp") last = c.from;
      }
      return last === -1 || at.from < last; // `x: int` alone: taken as binding
    }
    let sawFor = false;
    for (let c = parent.firstChild; c && c.from <= at.from; c = c.nextSibling) {
      if (c.name === "for") sawFor = true;
      if (c.name === "in") sawFor = false;
    }
    if (sawFor && at.name !== "for") return true;
    if (parent.name === "Body" || parent.name === "Script") return false;
  }
  return false;
}

/** `f(key=…)` and `case P(key=…)`: a parameter's name, not a read. */
function isKeywordArgument(node: SyntaxNode): boolean {
  if (node.parent?.name === "KeywordPattern") return node.parent.firstChild?.from === node.from;
  return node.parent?.name === "ArgList" && node.nextSibling?.name === "AssignOp";
}
