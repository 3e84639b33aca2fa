"""The k6 load tests (bench/k6/) run briefly against a real system and pass; a failing request
fails the run: their thresholds bite."""

from pathlib import Path

import pytest

from bench import k6run
from bench.e2e import load_trivial
from grindstone_cli import stack

SHORT = {"DURATION": "1s", "VUS": "1"}


@pytest.fixture(scope="module")
def assignment_id(system: stack.System) -> str:
    """The benchmark's assignment, which the scripts' program passes."""
    return load_trivial(system)


@pytest.fixture
def k6_env(system: stack.System, assignment_id: str, tmp_path: Path) -> dict[str, str]:
    """Tokens of students new to this test, and the assignment."""
    tokens = k6run.mint_tokens(system.env["GRINDSTONE_SECRET"], 200, tmp_path)
    return {"TOKENS": str(tokens), "ASSIGNMENT_ID": assignment_id}


def passes(script: str, system: stack.System, env: dict[str, str]) -> k6run.Result:
    result = k6run.run(script, system.url, env, timeout_s=120)
    assert result.exit_code == 0, result.output
    return result


def test_the_pages_script_loads_the_assignment_page_and_its_assets(system: stack.System) -> None:
    result = passes("pages.js", system, SHORT)
    assert result.value("http_reqs", "count") > 1


def test_the_assignment_api_script_reads_with_a_student_token(
    system: stack.System, k6_env: dict[str, str]
) -> None:
    passes("assignment_api.js", system, {**SHORT, **k6_env})


def test_the_submit_script_gets_a_202_for_each_new_student(
    system: stack.System, k6_env: dict[str, str]
) -> None:
    result = passes("submit.js", system, {**SHORT, **k6_env})
    assert result.value("checks", "passes") == result.value("http_reqs", "count") > 0


def test_the_end_to_end_script_receives_each_graded_message(
    system: stack.System, k6_env: dict[str, str]
) -> None:
    offset = 0  # each run its own new students
    for mode in ({"MODE": "rate", "RATE": "5"}, {"MODE": "students", "STUDENTS": "2"}):
        env = {**k6_env, **mode, "DURATION": "1s", "TOKEN_OFFSET": str(offset)}
        result = passes("e2e.js", system, env)
        offset += 100
        assert result.value("graded", "count") == result.value("accepted", "count") > 0
        assert result.value("submit_to_push", "max") > 0


def test_the_fanout_script_delivers_to_every_socket(
    system: stack.System, k6_env: dict[str, str]
) -> None:
    env = {**k6_env, "CLIENTS": "5", "HOLD": "4s", "SETTLE_MS": "500"}
    result = passes("ws_fanout.js", system, env)
    assert result.value("sockets_opened", "count") == 5
    assert result.value("messages_delivered", "count") == 10  # created and graded, each


def test_the_get_script_reads_one_url(system: stack.System) -> None:
    passes("get.js", system, {**SHORT, "URL": f"{system.url}/"})


def test_a_failed_request_fails_the_run(
    system: stack.System, k6_env: dict[str, str], tmp_path: Path
) -> None:
    forged = tmp_path / "forged.json"
    forged.write_text('["student.00000000-0000-0000-0000-000000000000.9999999999.forged"]')
    result = k6run.run("assignment_api.js", system.url, {**SHORT, **k6_env, "TOKENS": str(forged)})
    assert result.exit_code != 0
    assert "http_req_failed" in result.output
