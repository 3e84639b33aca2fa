import { describe, expect, it } from "vitest";
import { courseRows } from "./course";
import type { Submission } from "./types";

const assignment = (id: string, position: number) => ({ id, title: id.toUpperCase(), position });
const submission = (assignment_id: string) => ({ assignment_id }) as Submission;

describe("the course at a glance", () => {
  it("gives each assignment, by position, its state, attempts and points", () => {
    const rows = courseRows(
      [assignment("b", 2), assignment("a", 1), assignment("c", 3)],
      ["a"],
      [submission("a"), submission("a"), submission("b")],
    );
    expect(rows).toEqual([
      { id: "a", title: "A", position: 1, state: "solved", attempts: 2, points: 100 },
      { id: "b", title: "B", position: 2, state: "attempted", attempts: 1, points: 0 },
      { id: "c", title: "C", position: 3, state: "not started", attempts: 0, points: 0 },
    ]);
  });

  it("keeps an assignment solved whatever its later attempts", () => {
    const [row] = courseRows([assignment("a", 1)], ["a"], [submission("a"), submission("a"), submission("a")]);
    expect(row).toMatchObject({ state: "solved", attempts: 3, points: 100 });
  });
});
