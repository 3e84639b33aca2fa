"""The production configuration: the built site, /api and /ws through nginx
(infra/nginx/prod.conf.template) in front of two replicas of each HTTP service, two graders,
on a three-node NATS cluster (infra/nats/cluster.conf.template) with replicated streams."""

import asyncio
import json
import re
from collections.abc import Iterator

import httpx
import pytest
import websockets

from common import embedded, systemstate
from common import nats as gnats
from events import subjects
from grindstone_cli import stack
from tests.e2e import prod_system
from tests.e2e.conftest import curriculum_record

WS_TIMEOUT_S = 30
SETTLE_S = 30  # bound on waiting for the graders' first heartbeats (not asserted on)
YEAR_S = 365 * 24 * 3600


@pytest.fixture(scope="module")
def system(servers) -> Iterator[stack.System]:
    with prod_system.running(servers, "prod", nats_cluster=True) as running:
        yield running


@pytest.fixture
def http(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.url, timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {new_student(client)}"
        yield client


def first_assignment(http: httpx.Client) -> dict:
    listing = http.get("/api/assignments")
    assert listing.status_code == 200, listing.text
    return listing.json()[0]


def new_student(http: httpx.Client) -> str:
    """A new student's token (from a client holding none of `http`'s session or token)."""
    with httpx.Client(base_url=http.base_url, timeout=10) as fresh:
        created = fresh.post("/api/sessions")
    assert created.status_code == 201, created.text
    return created.json()["token"]


def without_nonce(html: str) -> str:
    return re.sub(r'content="[0-9a-f]{32}"', "", html)


def assert_a_page(response: httpx.Response) -> None:
    assert response.status_code == 200, response.url
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()
    assert response.headers["cache-control"] == "no-cache"


def test_every_page_answers_on_a_deep_link_and_on_reload(http):
    assignment_id = first_assignment(http)["id"]
    pages = ["/", f"/assignments/{assignment_id}/", "/submissions/"]
    for path in pages * 2:  # the second round is a reload
        assert_a_page(http.get(path))
    again = http.get(f"/assignments/{assignment_id}/", params={"from": "home"})
    assert_a_page(again)
    page = http.get("/assignments/index.html").text
    assert without_nonce(again.text) == without_nonce(page)  # one page, any id


def test_an_assignment_without_the_slash_redirects_to_the_slash_on_the_same_origin(http):
    assignment_id = first_assignment(http)["id"]
    moved = http.get(f"/assignments/{assignment_id}")
    assert moved.status_code in (301, 302, 308)
    assert moved.headers["location"] == f"/assignments/{assignment_id}/"
    with_query = http.get(f"/assignments/{assignment_id}", params={"x": "1"})
    assert with_query.headers["location"] == f"/assignments/{assignment_id}/?x=1"


def test_hashed_assets_load_cached_for_a_year_and_compressed(http):
    html = http.get("/").text
    assets = set(re.findall(r"""(?:src|href)=["'](/assets/[^"']+)["']""", html))
    assert assets, f"the home page names no /assets/ file: {html[:500]}"
    for path in assets:
        asset = http.get(path, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200, path
        cache_control = asset.headers["cache-control"]
        assert "immutable" in cache_control and f"max-age={YEAR_S}" in cache_control
        assert asset.headers["x-content-type-options"] == "nosniff"
        if path.endswith((".js", ".css")) and len(asset.content) > 1024:
            assert asset.headers.get("content-encoding") == "gzip", path


def test_every_answer_carries_the_security_headers(http):
    for path in ["/", "/submissions/", "/api/assignments", "/no-such-page"]:
        headers = http.get(path).headers
        csp = headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == directives["connect-src"] == "'self'", csp
        assert re.fullmatch(r"'self' 'nonce-[0-9a-f]{32}'", directives["style-src"]), csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_each_page_load_gets_a_fresh_style_nonce_that_matches_its_policy(http):
    nonces = []
    for path in ["/", "/", "/submissions/"]:
        page = http.get(path)
        nonce = re.search(r'<meta name="csp-nonce" content="([0-9a-f]{32})">', page.text)
        assert nonce, page.text[:300]
        assert f"'nonce-{nonce[1]}'" in page.headers["content-security-policy"]
        assert "etag" not in page.headers  # a 304 would pair an old nonce with a new policy
        nonces.append(nonce[1])
    assert len(set(nonces)) == len(nonces)


def test_unknown_paths_are_not_found(http):
    for path in ["/nope", "/assignments/a/b/", "/assets/missing-0000.js", "/submissions/x"]:
        assert http.get(path).status_code == 404, path


def test_the_api_answers_reads_and_writes_through_the_one_origin(http):
    assert http.get("/api/assignments").json()
    token = new_student(http)
    progress = http.get("/api/progress", headers={"Authorization": f"Bearer {token}"})
    assert progress.status_code == 200 and progress.json()["points"] == 0


async def graded_over_the_socket(system, token: str, assignment: dict, code: str) -> dict:
    url = system.url.replace("http", "ws", 1) + f"/ws?token={token}"
    auth = {"Authorization": f"Bearer {token}"}
    async with (
        websockets.connect(url) as ws,
        httpx.AsyncClient(base_url=system.url, timeout=10, headers=auth) as http,
    ):
        posted = await http.post(
            "/api/submissions", json={"assignment_id": assignment["id"], "code": code}
        )
        assert posted.status_code == 202, posted.text
        async with asyncio.timeout(WS_TIMEOUT_S):
            async for raw in ws:
                message = json.loads(raw)
                if (
                    message["submission"]["id"] == posted.json()["id"]
                    and message["type"] == "submission.graded"
                ):
                    return dict(message["submission"])
    raise AssertionError("the socket closed before the verdict")


async def test_the_websocket_upgrades_through_nginx_and_brings_the_verdict(system, http):
    assignment = first_assignment(http)
    solution = curriculum_record(assignment["title"])["solution"]
    graded = await graded_over_the_socket(system, new_student(http), assignment, solution)
    assert graded["status"] == "passed"


async def test_a_students_submissions_sent_at_once_on_the_cluster_take_one_and_refuse_the_rest(
    system, http
):
    """The cluster refuses racing appends with its own code (an append still in flight): the
    command API answers those as lost races too, 409 by the one-pending rule, never a 5xx."""
    assignment = first_assignment(http)
    auth = {"Authorization": f"Bearer {new_student(http)}"}
    async with httpx.AsyncClient(base_url=system.url, timeout=10, headers=auth) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    "/api/submissions",
                    json={"assignment_id": assignment["id"], "code": f"print({n})\n"},
                )
                for n in range(6)
            )
        )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202, 409, 409, 409, 409, 409], [a.text for a in answers]


def answered_by(port: int, route: str) -> float:
    """Requests a replica counted for a route, from its own /metrics (not through nginx)."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    pattern = rf'^grindstone_http_requests_total{{[^}}]*route="{re.escape(route)}"[^}}]*}} (\S+)$'
    return sum(float(value) for value in re.findall(pattern, text, re.MULTILINE))


def test_requests_are_spread_over_the_replicas(system, http):
    route = "/api/assignments/{assignment_id}"
    ports = [port for port, _ in system.replicas["query_api"]]
    before = [answered_by(port, route) for port in ports]
    for _ in range(8):
        assert http.get("/api/assignments/spread-check").status_code in (400, 401, 404)
    after = [answered_by(port, route) for port in ports]
    assert len(ports) == 2 and all(a > b for a, b in zip(after, before, strict=True)), after


async def test_the_events_stream_and_the_graders_consumer_have_three_replicas_on_three_nodes(
    system,
):
    assert [label for label, _ in system.nats_nodes] == ["nats", "nats.2", "nats.3"]
    assert len({port for _, port in system.nats_nodes}) == 3
    assert all(system.supervisor.children[label].alive() for label, _ in system.nats_nodes)
    nc = await gnats.connect(system.urls["nats_url"], "tests-prod")
    try:
        js = nc.jetstream()
        stream = await js.stream_info(subjects.EVENTS_STREAM)
        consumer = await js.consumer_info(subjects.EVENTS_STREAM, subjects.GRADER_CONSUMER)
    finally:
        await nc.close()
    assert stream.config.num_replicas == 3 and consumer.config.num_replicas == 3
    assert stream.cluster is not None and stream.cluster.leader
    assert len(stream.cluster.replicas or []) == 2


async def test_two_graders_run_and_beat(system):
    assert system.graders == ["grader", "grader.2"]
    assert all(system.supervisor.children[label].alive() for label in system.graders)
    nc = await gnats.connect(system.urls["nats_url"], "tests-prod")
    try:
        async with asyncio.timeout(SETTLE_S):
            while True:
                if len(await systemstate.alive_graders(nc.jetstream())) == 2:
                    break
                await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def test_the_system_still_answers_with_one_replica_of_each_service_gone(system, http):
    """Last in this module: it stops a replica of every HTTP service for good."""
    async with httpx.AsyncClient(timeout=5) as direct:
        for name, replicas in system.replicas.items():
            assert len({port for port, _ in replicas}) == prod_system.REPLICAS, name
            for port, _ in replicas:  # every replica is up and answers on its own port
                health = f"http://127.0.0.1:{port}{stack.HTTP_SERVICES[name]}"
                assert (await direct.get(health)).status_code == 200
    for replicas in system.replicas.values():
        embedded.stop(replicas[0][1])
    async with httpx.AsyncClient(base_url=system.url, timeout=10, headers=http.headers) as api:
        for _ in range(6):  # round robin would send every other request to the stopped one
            assert (await api.get("/api/assignments")).status_code == 200
            assert (await api.post("/api/sessions")).status_code in (200, 201)  # kept or new
        assignment = (await api.get("/api/assignments")).json()[0]
        tokens = []
        for _ in range(2):
            async with httpx.AsyncClient(base_url=system.url, timeout=10) as fresh:
                tokens.append((await fresh.post("/api/sessions")).json()["token"])
    wrong = curriculum_record(assignment["title"])["wrong_solution"]
    for token in tokens:  # a new socket each time: least_conn must not pick the stopped one
        graded = await graded_over_the_socket(system, token, assignment, wrong)
        assert graded["status"] == "failed"
