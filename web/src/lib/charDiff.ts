// Expected against actual, character by character: the common head and tail, then the
// longest common subsequence of the middle (past MAX_CHAR_CELLS the whole middle is marked).
// Whitespace is made visible only where it differs, so a missing "!" or a stray space or line
// end shows where it is.

export type Piece = { text: string; changed: boolean };
export type CharDiff = { expected: Piece[]; actual: Piece[] };

export const MAX_CHAR_CELLS = 1_000_000;

export function diffChars(expected: string, actual: string): CharDiff {
  const a = Array.from(expected); // code points: an emoji is one character
  const b = Array.from(actual);
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
  const [inA, inB] = middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const keep = (chars: string[], from: number, to: number): boolean[] =>
    chars.slice(from, to).map(() => true);
  return {
    expected: pieces(a, [...keep(a, 0, head), ...inA, ...keep(a, a.length - tail, a.length)]),
    actual: pieces(b, [...keep(b, 0, head), ...inB, ...keep(b, b.length - tail, b.length)]),
  };
}

/** For each character of a and b, whether it is in their longest common subsequence. */
function middle(a: string[], b: string[]): [boolean[], boolean[]] {
  const inA = a.map(() => false);
  const inB = b.map(() => false);
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CHAR_CELLS) return [inA, inB];
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
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inA[i++] = true;
      inB[j++] = true;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return [inA, inB];
}

function pieces(chars: string[], same: boolean[]): Piece[] {
  const out: Piece[] = [];
  chars.forEach((char, i) => {
    const changed = !same[i];
    const last = out[out.length - 1];
    if (last && last.changed === changed) last.text += char;
    else out.push({ text: char, changed });
  });
  return out;
}

const SHOWN: Record<string, string> = { " ": "·", "\t": "→", "\r": "␍", "\n": "↵\n" };

/** Whitespace made visible: · a space, → a tab, ␍ a carriage return, ↵ a line end. */
export function visible(text: string): string {
  return text.replace(/[ \t\r\n]/g, (char) => SHOWN[char]!);
}

/** Whether any changed piece holds whitespace (then the page says what the marks mean). */
export function whitespaceChanged(diff: CharDiff): boolean {
  return [...diff.expected, ...diff.actual].some((p) => p.changed && /[ \t\r\n]/.test(p.text));
}

/** Whether a value is long enough to be folded until asked for. */
export function isLong(text: string | null | undefined, chars = 300, lines = 8): boolean {
  if (!text) return false;
  return text.length > chars || text.split("\n").length > lines;
}
