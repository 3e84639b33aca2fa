// The lines a feedback names, marked in the editor: a sign in a gutter of their own (its
// title says what the feedback says) and a tinted line. Marks move with the text as the
// student edits it, and are replaced when new feedback arrives.

import { RangeSet, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, gutter, GutterMarker } from "@codemirror/view";
import type { LineMark } from "./feedback";

class Sign extends GutterMarker {
  constructor(
    readonly line: number,
    readonly message: string,
  ) {
    super();
  }

  override eq(other: Sign): boolean {
    return other.line === this.line && other.message === this.message;
  }

  override toDOM(): Node {
    const sign = document.createElement("span");
    sign.className = "cm-line-mark";
    sign.textContent = "●";
    sign.title = this.message;
    sign.dataset.line = String(this.line);
    sign.setAttribute("aria-hidden", "true");
    return sign;
  }
}

const setMarks = StateEffect.define<LineMark[]>();
type Marks = { signs: RangeSet<Sign>; lines: DecorationSet };
const tint = Decoration.line({ class: "cm-marked-line" });

const marks = StateField.define<Marks>({
  create: () => ({ signs: RangeSet.empty, lines: Decoration.none }),
  update(value, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setMarks)) return build(tr.state.doc, effect.value);
    }
    if (!tr.docChanged) return value;
    return { signs: value.signs.map(tr.changes), lines: value.lines.map(tr.changes) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.lines),
});

function build(doc: { lines: number; line(n: number): { from: number } }, wanted: LineMark[]): Marks {
  const shown = wanted.filter((m) => m.line >= 1 && m.line <= doc.lines).sort((a, b) => a.line - b.line);
  const at = (m: LineMark) => doc.line(m.line).from;
  return {
    signs: RangeSet.of(shown.map((m) => new Sign(m.line, m.message).range(at(m)))),
    lines: Decoration.set(shown.map((m) => tint.range(at(m)))),
  };
}

export function lineMarks(): Extension {
  return [
    marks,
    gutter({ class: "cm-mark-gutter", markers: (view) => view.state.field(marks).signs }),
  ];
}

export function showMarks(view: EditorView, wanted: LineMark[]): void {
  view.dispatch({ effects: setMarks.of(wanted) });
}

/** The cursor at the start of `line` (1-based, kept within the text), scrolled into view. */
export function goToLine(view: EditorView, line: number): void {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(1, line), doc.lines));
  view.dispatch({ selection: { anchor: target.from }, scrollIntoView: true });
  view.focus();
}
