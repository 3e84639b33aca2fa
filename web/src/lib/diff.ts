// A line diff of two texts (an attempt's code against the attempt before it): the longest
// common subsequence of lines between the common head and tail. Past MAX_DIFF_CELLS (lines of
// one side times lines of the other, once head and tail are trimmed) the middle is shown as
// removed then added rather than searched.

export type DiffLine = { kind: "same" | "removed" | "added"; text: string };

export const MAX_DIFF_CELLS = 4_000_000;

const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

export function diffLines(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const same = (text: string): DiffLine => ({ kind: "same", text });
  const middle = middleDiff(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function middleDiff(a: string[], b: string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ kind: "removed", text });
  const added = (text: string): DiffLine => ({ kind: "added", text });
  if (a.length * b.length > MAX_DIFF_CELLS || a.length === 0 || b.length === 0) {
    return [...a.map(removed), ...b.map(added)];
  }
  // common[i][j]: the longest common subsequence of a[i..] and b[j..]
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] =
        a[i] === b[j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [x, y] = [a[i]!, b[j]!];
    if (x === y) {
      out.push({ kind: "same", text: x });
      i++;
      j++;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      out.push(removed(x));
      i++;
    } else {
      out.push(added(y));
      j++;
    }
  }
  return [...out, ...a.slice(i).map(removed), ...b.slice(j).map(added)];
}

/** How many lines were removed and added. */
export function diffCounts(diff: DiffLine[]): { removed: number; added: number } {
  return {
    removed: diff.filter((line) => line.kind === "removed").length,
    added: diff.filter((line) => line.kind === "added").length,
  };
}
