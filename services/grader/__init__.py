"""The grader: SubmissionCreated -> sandboxed run of the assignment's tests -> SubmissionGraded."""
