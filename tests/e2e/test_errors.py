"""Every error under /api/ is the contract's JSON through nginx, in development and production:
what nginx refuses itself (400, 405, 413, 414, a service down or slow: 502, 503, 504) and what
the services refuse (404, 405 with `Allow`, nested JSON and cursors: 400); HEAD answers where
GET does; a request body that never arrives is cut off in seconds."""

import base64
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from common import embedded
from grindstone_cli import gateway, stack

CUT_OFF_S = 10  # client_header_timeout and client_body_timeout in both templates


@pytest.fixture(scope="module")
def system(dev_or_prod: stack.System) -> stack.System:
    return dev_or_prod


@pytest.fixture
def http(system: stack.System) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.url, timeout=30) as client:
        token = client.post("/api/sessions").json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def assert_json_error(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"].split(";")[0] == "application/json"
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    assert code is None or body["error"] == code, body
    assert body["detail"].endswith(".") and len(body["detail"]) > 15
    assert "/" not in response.headers.get("server", ""), "no server version"


def raw_exchange(url: str, request: bytes, wait_s: float = 5) -> tuple[bytes, float]:
    """What the server answers to bytes httpx would not send, and when it closed."""
    where = urlsplit(url)
    start = time.monotonic()
    answer = b""
    with socket.create_connection((where.hostname, where.port), timeout=wait_s) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            answer += chunk
    return answer, time.monotonic() - start


def parse_raw(answer: bytes) -> httpx.Response:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in lines]
    request = httpx.Request("GET", "http://raw/")
    return httpx.Response(
        int(status_line.split()[1]), headers=headers, content=body, request=request
    )


def test_what_nginx_refuses_itself_is_json(http, system):
    assert_json_error(http.get("/api/assignments?" + "a" * 10_000), 414, "uri_too_long")
    assert_json_error(
        http.get("/api/assignments", headers={"X-Big": "a" * 10_000}), 400, "headers_too_large"
    )
    big = b"x" * (1024 * 1024 + 1)
    too_large = http.post("/api/submissions", content=big, headers={"Content-Type": "text/plain"})
    assert_json_error(too_large, 413, "too_large")
    assert_json_error(http.request("TRACE", "/api/assignments"), 405, "method_not_allowed")
    answer, _ = raw_exchange(system.url, b"NOT HTTP AT ALL\r\n\r\n")
    assert_json_error(parse_raw(answer), 400, "bad_request")


def test_an_unknown_address_is_a_json_404_for_every_method(http):
    for method in ("GET", "HEAD", "POST", "DELETE"):
        response = http.request(
            method, "/api/nothing/here", headers={"Content-Type": "application/json"}
        )
        if method == "HEAD":
            assert (response.status_code, response.content) == (404, b"")
        else:
            assert_json_error(response, 404, "not_found")


def test_a_method_the_api_does_not_answer_is_a_405_naming_the_methods_it_does(http):
    json = {"Content-Type": "application/json"}
    cases = [
        ("PUT", "/api/assignments", "GET, HEAD"),
        ("DELETE", "/api/assignments/0c8ff6b2-4d3e-4c39-9a8b-6d8f0f4f9d11", "GET, HEAD"),
        ("GET", "/api/sessions", "POST"),
        ("PUT", "/api/submissions", "GET, HEAD, POST"),
        ("PATCH", "/api/submissions/x", "GET, HEAD, DELETE"),
        ("PUT", "/api/progress", "GET, HEAD"),
    ]
    for method, path, allow in cases:
        response = http.request(method, path, headers=json)
        assert_json_error(response, 405, "method_not_allowed")
        assert response.headers["allow"] == allow, (method, path)


def test_deeply_nested_json_and_cursors_are_a_400(http):
    for body in (b"[" * 100_000, b'{"code": ' * 20_000, b"[" * 5000 + b"]" * 5000):
        response = http.post(
            "/api/submissions", content=body, headers={"Content-Type": "application/json"}
        )
        assert_json_error(response, 400, "malformed_json")
    for raw in (b"[" * 5000, b"[" * 2000 + b"]" * 2000, b'[["2025-01-01T00:00:00Z"], "x"]'):
        cursor = base64.urlsafe_b64encode(raw).decode()
        assert_json_error(http.get("/api/submissions", params={"cursor": cursor}), 400)


def test_head_answers_as_get_does_without_a_body(http):
    assignment_id = http.get("/api/assignments").json()[0]["id"]
    paths = [
        "/api/health",
        "/api/command/health",
        "/api/assignments",
        f"/api/assignments/{assignment_id}",
        "/api/submissions",
        "/api/progress",
        "/api/submissions/not-one",  # a 404 is the same 404
    ]
    for path in paths:
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path


def test_a_request_body_that_never_arrives_is_cut_off_in_seconds(system):
    for request in (
        b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n{",
        b"GET /api/assignments HTTP/1.1\r\nHost: x\r\n",  # the headers never end
    ):
        answer, waited = raw_exchange(system.url, request, wait_s=CUT_OFF_S * 3)
        assert CUT_OFF_S - 1 < waited < CUT_OFF_S + 5, (request, answer)


# 502, 503 and 504 are nginx's answers when a service is down, refused or too slow: a
# configuration of this test's own, rendered from the real template, in front of a port where
# nothing listens (query_api, so GET gets a 502) and one that never answers (command_api, so
# POST waits for a 504, after 1 s instead of the usual minute); a request limit of nginx's own
# (keyed on a header only these requests send) refuses the second request with a 503.
@pytest.fixture(params=["dev", "prod"])
def broken_gateway(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    template = gateway.PROD if request.param == "prod" else gateway.DEV
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel accepts the connections; nobody ever answers
        upstreams = {
            "query_api": [embedded.free_port()],
            "command_api": [silent.getsockname()[1]],
            "push": [embedded.free_port()],
        }
        port = embedded.free_port()
        conf = gateway.render(tmp_path / "nginx", port, upstreams, template)
        text = conf.read_text()
        text = text.replace(
            "    server {",
            "    limit_req_zone $http_x_limit_me zone=test:1m rate=1r/m;\n    server {",
            1,
        )
        text = re.sub(
            r"(location \^~ /api/ \{\n)",
            r"\1            proxy_read_timeout 1s;\n            limit_req zone=test;\n",
            text,
        )
        conf.write_text(text)
        proc = gateway.spawn(tmp_path / "nginx")
        try:
            embedded.wait_for_port(port, proc, "nginx")
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_service_down_slow_or_refused_by_nginx_is_json(broken_gateway):
    with httpx.Client(base_url=broken_gateway, timeout=10) as client:
        assert_json_error(client.get("/api/assignments"), 502, "unavailable")
        json = {"Content-Type": "application/json"}
        assert_json_error(client.post("/api/submissions", json={}, headers=json), 504, "timeout")
        limited = {"X-Limit-Me": "yes"}
        client.get("/api/assignments", headers=limited)  # the one request a minute
        assert_json_error(client.get("/api/assignments", headers=limited), 503, "unavailable")
