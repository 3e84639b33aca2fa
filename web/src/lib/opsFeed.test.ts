import { describe, expect, it } from "vitest";
import type { OpsSubmission, SystemState } from "./api-types";
import { FEED_SHOWN, graderSlots, mergeFeed, percent, queueDepth } from "./opsFeed";

function sub(id: string, minute: number, lastSeq: number, status = "pending"): OpsSubmission {
  return {
    id,
    user_id: "u",
    assignment_id: "a",
    status: status as OpsSubmission["status"],
    attempt: 1,
    deleted: false,
    created_at: `2026-12-04T09:${String(minute).padStart(2, "0")}:00Z`,
    graded_at: null,
    last_seq: lastSeq,
  };
}

describe("mergeFeed", () => {
  it("keeps each submission once, at its latest change, newest first", () => {
    const shown = mergeFeed([], [sub("a", 1, 1), sub("b", 2, 2)]);
    const next = mergeFeed(shown, [sub("a", 1, 3, "passed"), sub("a", 1, 1)]);
    expect(next.map((s) => [s.id, s.status])).toEqual([
      ["b", "pending"],
      ["a", "passed"],
    ]);
  });

  it("shows at most FEED_SHOWN", () => {
    const many = Array.from({ length: FEED_SHOWN + 5 }, (_, i) => sub(`s${i}`, i % 60, i));
    expect(mergeFeed([], many)).toHaveLength(FEED_SHOWN);
  });
});

describe("system figures", () => {
  const system = {
    streams: [{ name: "REGRADES", messages: 7 }],
    jobs_waiting: 3,
    graders: [
      { slots: 4, busy: 1 },
      { slots: 2, busy: 2 },
    ],
  } as unknown as SystemState;

  it("counts both queues and every grader's slots", () => {
    expect(queueDepth(system)).toEqual({ students: 3, regrades: 7 });
    expect(graderSlots(system)).toEqual({ alive: 2, slots: 6, busy: 3 });
  });

  it("words a rate", () => {
    expect([percent(null), percent(1 / 3)]).toEqual(["–", "33%"]);
  });
});
