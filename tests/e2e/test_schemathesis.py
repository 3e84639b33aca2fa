"""Schemathesis over both APIs through nginx, from their own OpenAPI documents: a bounded
number of generated requests per operation (CASES), as a student with a token; nothing
answers 5xx and every answer under /api/ is JSON."""

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck

CASES = 25  # generated requests per operation; `just test` stays short
SEEN: dict[str, int] = {}


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

        @hypothesis.given(case=operation.as_strategy())
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
            if response.status_code >= 500 or not json:
                problems.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code} {kind}: "
                    f"{response.text[:200]}"
                )

        one()
    print(f"{service}: {SEEN.get(service, 0)} generated requests")
    assert not problems, "\n".join(problems[:20])
