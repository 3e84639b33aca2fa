"""Schemathesis over both APIs through nginx, from their own OpenAPI documents: a bounded
number of generated requests per operation (CASES), as a student with a token; nothing
answers 5xx, every answer is JSON, and every status, content type and body is the one the
document declares for that operation."""

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CASES = 25  # generated requests per operation; `just test` stays short
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SEEN: dict[str, int] = {}


def within_the_stream(case):
    """A read with `after_seq` past the stream's end waits its full time by design (up to
    QUERY_WAIT_MAX_S) before answering; generated ones keep to seqs that exist."""
    if case.query and "after_seq" in case.query:
        case.query["after_seq"] = 0
    return case


@pytest.fixture(scope="module")
def token(system) -> str:
    with httpx.Client(base_url=system.url, timeout=10) as http:
        return http.post("/api/sessions").json()["token"]


@pytest.mark.parametrize("service", ["query", "command"])
def test_generated_requests_never_get_a_server_error(system, token, service):
    schema = schemathesis.openapi.from_url(f"{system.url}/api/{service}/openapi.json")
    headers = {"Authorization": f"Bearer {token}"}
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:

        @hypothesis.given(case=operation.as_strategy().map(within_the_stream))
        @hypothesis.settings(
            max_examples=CASES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        def one(case) -> None:
            response = case.call(base_url=system.url, headers=headers, timeout=10)
            SEEN[service] = SEEN.get(service, 0) + 1
            kind = (response.headers.get("content-type") or [""])[0]
            json = kind.startswith("application/json") or response.status_code == 204
            said = f"{case.method} {case.formatted_path} -> {response.status_code} {kind}"
            if not json:
                problems.append(f"{said}: not JSON: {response.text[:200]}")
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # a failed check: keep going, report them all at the end
                problems.append(f"{said}: {exc}"[:600])

        one()
    print(f"{service}: {SEEN.get(service, 0)} generated requests")
    assert not problems, "\n".join(problems[:20])
