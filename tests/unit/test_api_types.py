"""The site's TypeScript types are the APIs' own: web/src/lib/api-types.ts is what
tools/api_types.py generates from the two OpenAPI documents today."""

from tools import api_types


def test_the_committed_types_match_the_openapi_documents():
    assert api_types.TARGET.read_text() == api_types.render(api_types.documents()), (
        "web/src/lib/api-types.ts is stale: run `just api-types`"
    )


def test_every_response_and_request_body_shape_has_a_type():
    text = api_types.TARGET.read_text()
    for name in ["Submission", "WrittenSubmission", "SubmissionPage", "Assignment", "Progress",
                 "Session", "Problem", "SubmitSolution", "CaseFeedback", "RunCode", "RunAccepted",
                 "Run", "CodeError"]:  # fmt: skip
        assert f"export interface {name} {{" in text


def test_nullable_and_optional_fields_are_typed_so():
    text = api_types.TARGET.read_text()
    assert "  graded_at: string | null;" in text
    assert "  tests?: CaseFeedback[];" in text
    assert '  status: "pending" | "grading" | "passed" | "failed" | "error";' in text
    assert '  status: "pending" | "running" | "finished";' in text
    assert '  kind?: "function" | "program";' in text
