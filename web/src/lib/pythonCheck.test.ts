import { describe, expect, it } from "vitest";
import curriculum from "../../../assignments/curriculum.jsonl?raw";
import humaneval from "../../../tests/data/humaneval.jsonl?raw";
import { check } from "./pythonCheck";

const at = (code: string, text: string): number => code.indexOf(text);

describe("syntax errors as the student types", () => {
  it("names a missing colon on a block's first line", () => {
    const code = "def add(a, b)\n    return a + b\n";
    const [problem] = check(code);
    expect(problem?.message).toMatch(/':' is missing/);
    expect(code.slice(problem!.from, problem!.to)).toBe("def add(a, b)");
  });

  it("names a bracket never closed, or closed by the wrong one", () => {
    expect(check('print("hi"\n')[0]).toMatchObject({ from: 5, message: expect.stringMatching(/'\(' is never closed/) });
    const wrong = "print((1, 2]\n";
    expect(check(wrong)[0]).toMatchObject({ from: at(wrong, "]"), message: expect.stringMatching(/does not match the '\(' opened on line 1/) });
    expect(check("x = 1)\n")[0]?.message).toMatch(/closes nothing/);
  });

  it("names a string never closed", () => {
    const code = 's = "abc\nprint(s)\n';
    expect(check(code)[0]).toMatchObject({ from: 4, to: 8, message: expect.stringMatching(/never closed/) });
    expect(check('x = """doc\n\nmore\n')[0]?.message).toMatch(/triple-quoted/);
  });

  it("names indentation Python refuses", () => {
    expect(check("x = 1\n    y = 2\n")[0]?.message).toMatch(/Unexpected indent/);
    expect(check("def f():\nreturn 1\n")[0]?.message).toMatch(/must be indented/);
    expect(check("if x:\n        a = 1\n    b = 2\n")[0]?.message).toMatch(/matches no block/);
  });

  it("reports only the first syntax error, as Python does", () => {
    expect(check("def f(:\n    pass\nx = = 2\n")).toHaveLength(1);
  });

  it("reads what Python reads: strings with brackets and quotes, comments, continuations", () => {
    const fine = [
      'print("(unclosed in a string", \'and ]\')  # ( in a comment\n',
      'x = r"\\"" + b\'\\\'\' + f"{y!r}"\ny = 1\n',
      'doc = """a\n(  [\n"""\n',
      "total = 1 + \\\n    2\n",
      "begin, end = -1., 1.\nthird = 1. / 3\n",
      "values = [\n    1,\n  2,\n]\nif values:\n\n    # a comment\n    print(values)\n",
      "class A:\n    def f(self):\n        return 1\n\n    x = 2\n",
      "match command:\n    case [name, *rest]:\n        print(name, rest)\n    case {'k': v}:\n        print(v)\n    case _:\n        pass\ncommand = 1\n",
    ];
    for (const code of fine) expect(check(code), code).toEqual([]);
  });
});

describe("undefined names, only where certain", () => {
  it("names a name defined nowhere", () => {
    const code = "def area(w, h):\n    return w * hight\n";
    const [problem] = check(code);
    expect(problem).toMatchObject({ from: at(code, "hight"), to: at(code, "hight") + 5 });
    expect(problem?.message).toMatch(/'hight' is not defined/);
  });

  it("knows every way Python binds a name, and built-ins", () => {
    const code = [
      "import os.path as p, sys",
      "from math import sqrt as root, pi",
      "def f(a, b=1, *c, **d):",
      "    global G",
      "    G = [x for x in c if x]",
      "    return a, b, d, p, sys, root, pi, len, G",
      "for i, (j, k) in enumerate(range(3)):",
      "    print(i, j, k, sep='')",
      "with open('f') as handle:",
      "    pass",
      "try:",
      "    pass",
      "except ValueError as err:",
      "    print(err)",
      "if (n := 3) > 2:",
      "    print(n)",
      "total: int = 0",
      "total += 1",
      "lambda q: q",
      "class C:",
      "    def m(self):",
      "        return super().__init__, __class__",
      "print(f'{total} {__name__}')",
    ].join("\n");
    expect(check(code + "\n")).toEqual([]);
  });

  it("says nothing where a program makes names it cannot see", () => {
    expect(check("from os import *\nprint(getcwd())\n")).toEqual([]);
    expect(check("globals()['x'] = 1\nprint(x)\n")).toEqual([]);
  });
});

describe("no problem in a program Python accepts", () => {
  // every reference and wrong solution shipped with the repo: real programs written elsewhere
  const records = [...humaneval.split("\n"), ...curriculum.split("\n")]
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, string | undefined>);

  it("finds none in any shipped solution or starter", () => {
    let checked = 0;
    for (const record of records) {
      for (const field of ["solution", "wrong_solution", "starter"]) {
        const code = record[field];
        if (!code) continue;
        checked += 1;
        expect(check(code), `${record.id ?? record.title} ${field}:\n${code}`).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(400);
  });
});
