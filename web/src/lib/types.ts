// The API's shapes (../shared/CONTRACT.md), as the services send them.

export type Status = "pending" | "grading" | "passed" | "failed" | "error";

export interface TestFeedback {
  name: string;
  outcome: "passed" | "failed" | "error" | "skipped" | string;
  message?: string | null;
  expected?: string | null;
  actual?: string | null;
  line?: number | null;
  source_line?: string | null;
  error?: string | null;
  output?: string | null;
}

export interface Feedback {
  message: string;
  tests?: TestFeedback[];
  output?: string;
}

export interface Submission {
  id: string;
  assignment_id: string;
  code: string;
  status: Status;
  feedback: Feedback | null;
  created_at: string;
  graded_at: string | null;
  last_seq?: number;
  stream_seq?: number;
}

export interface AssignmentSummary {
  id: string;
  title: string;
  position: number;
}

export interface Assignment extends AssignmentSummary {
  handout: string;
  starter: string;
}

export interface Progress {
  points: number;
  completed: string[];
  next_assignment_id: string | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

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
