// The API's shapes (../shared/CONTRACT.md): generated from the services' OpenAPI documents
// into api-types.ts (`python -m tools.api_types`); here, the names the site uses for them.

import type {
  CaseFeedback,
  CodeError,
  Submission as ReadSubmission,
  SubmitSolution,
  WrittenSubmission,
} from "./api-types";

export type {
  Assignment,
  AssignmentSummary,
  Feedback,
  Progress,
  SubmissionPage,
} from "./api-types";
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

// An ungraded run (CONTRACT "Runs"): never a submission, no verdict. Written here until the
// runs API is in the OpenAPI documents api-types.ts is generated from.
export type RunStatus = "pending" | "running" | "finished";

export interface RunAccepted {
  id: string;
  status: RunStatus;
}

export interface Run {
  id: string;
  assignment_id: string;
  status: RunStatus;
  stdout?: string;
  stderr?: string;
  value?: string | null; // the call's result, as repr() writes it
  error?: CodeError | null; // the exception that ended it, with the student's line
  limit?: string | null; // the limit that stopped it: wall, cpu, memory, output, file
  time_ms?: number | null;
  created_at: string;
}

export interface StartRun {
  assignment_id: string;
  code: string;
  stdin?: string;
  call?: string;
}

/** `/ws`'s message when one of the student's runs finishes. */
export interface RunMessage {
  type: "run.finished";
  run: Run;
}
