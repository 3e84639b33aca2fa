// The API's shapes (../shared/CONTRACT.md): generated from the services' OpenAPI documents
// into api-types.ts (`python -m tools.api_types`); here, the names the site uses for them.

import type {
  CaseFeedback,
  Run,
  Submission as ReadSubmission,
  SubmitSolution,
  WrittenSubmission,
} from "./api-types";

export type {
  Assignment,
  AssignmentSummary,
  CodeError,
  Feedback,
  Progress,
  RunAccepted,
  RunCode,
  SubmissionPage,
} from "./api-types";
export type { Run };
export type { SubmitSolution, WrittenSubmission };

export type Status = ReadSubmission["status"];
export type TestFeedback = CaseFeedback;

/** A submission as read, pushed live, or written (then with the `stream_seq` it reached). */
export type Submission = ReadSubmission & { stream_seq?: number };

export type MessageType =
  | "submission.created"
  | "submission.grading"
  | "submission.graded"
  | "submission.deleted";

export interface LiveMessage {
  type: MessageType;
  submission: Submission;
  seq: number;
}

// An ungraded run (CONTRACT "Runs"): never a submission, no verdict.
export type RunStatus = Run["status"];

/** `/ws`'s message when one of the student's runs finishes. */
export interface RunMessage {
  type: "run.finished";
  run: Run;
}
