"""An ungraded run's latency through the page: Run clicked -> its output shown, in headless
Chromium against the whole system, for runs with stdin (a program) and runs with a call (a
function); beside two baselines from the same system: the same runs by HTTP without the page
(POST /api/runs -> `run.finished` on /ws) and the round trip of GET /api/assignments/{id}.

    python -m bench.run_latency --runs 30

The page's figure is measured inside it: from the click reaching the Run button to the first
frame drawn after the expected output is in the DOM. Starts a system of its own (embedded
servers unless NATS_URL/DATABASE_URL/VALKEY_URL are set), rate limits off.
"""

import argparse
import asyncio
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets
from playwright.sync_api import Page, sync_playwright

from common import embedded
from grindstone_cli import stack
from scripts import chromium

PROGRAM, FUNCTION = "Sum of two numbers", "Count the vowels"
SHOWN_TIMEOUT_MS = 60_000

# in the page: when the click reaches Run, and the first frame after the output is there
WATCH = """([selector, expected]) => {
  const b = (window.__bench ??= {});
  b.clicked = null;
  b.shown = null;
  const button = document.querySelector(".run-form button[type=submit]");
  const clicked = () => (b.clicked = performance.now());
  button.addEventListener("click", clicked, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (document.querySelector(selector)?.textContent.trim() !== expected) return;
    observer.disconnect();
    requestAnimationFrame(() => (b.shown = performance.now()));
  });
  const all = { subtree: true, childList: true, characterData: true };
  observer.observe(document.querySelector("section.run"), all);
}"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figures(name: str, ms: list[float]) -> str:
    return (
        f"{name:<58} p50 {percentile(ms, 50):7.1f} ms   p90 {percentile(ms, 90):7.1f} ms"
        f"   max {max(ms):7.1f} ms   (n={len(ms)})"
    )


def curriculum() -> dict[str, dict[str, Any]]:
    lines = stack.CURRICULUM.read_text().splitlines()
    return {r["title"]: r for r in map(json.loads, filter(None, lines))}


def cases(kind: str, n: int) -> list[tuple[str, str, str]]:
    """(stdin or call, the output selector, the output expected) for each run."""
    if kind == PROGRAM:  # a different sum each time: the output shown is this run's
        return [(f"{i} {i + 1}\n", ".run-stdout", str(2 * i + 1)) for i in range(n)]
    return [(f'count_vowels("{"a" * i}b")', ".run-output pre.value", str(i)) for i in range(n)]


def one_click(page: Page, given: str, selector: str, expected: str, kind: str) -> float:
    field = "Input (stdin)" if kind == PROGRAM else "Call"
    page.get_by_label(field, exact=True).fill(given)
    page.evaluate(WATCH, [selector, expected])
    page.get_by_role("button", name="Run", exact=True).click()
    page.wait_for_function("() => window.__bench.shown !== null", timeout=SHOWN_TIMEOUT_MS)
    return float(page.evaluate("() => window.__bench.shown - window.__bench.clicked"))


def through_the_page(url: str, ids: dict[str, str], n: int) -> dict[str, list[float]]:
    records, found = curriculum(), {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium.EXECUTABLE, args=chromium.ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/")  # a session first
        page.get_by_role("textbox", name="Your code").wait_for()
        for kind in (PROGRAM, FUNCTION):
            page.goto(f"{url}/assignments/{ids[kind]}/")
            page.get_by_role("textbox", name="Your code").fill(records[kind]["solution"])
            warm, *measured = cases(kind, n + 1)
            one_click(page, *warm, kind)  # a sandbox started, the page's code compiled
            found[kind] = [one_click(page, *case, kind) for case in measured]
        browser.close()
    return found


async def by_http(
    url: str, ids: dict[str, str], n: int
) -> tuple[dict[str, list[float]], list[float]]:
    """(POST /api/runs -> run.finished on /ws for the same runs, by kind; GET round trips)."""
    records, reads = curriculum(), []
    runs: dict[str, list[float]] = {PROGRAM: [], FUNCTION: []}
    async with httpx.AsyncClient(timeout=30) as http:
        token = (await http.post(f"{url}/api/sessions")).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        ws_url = url.replace("http", "ws", 1) + f"/ws?token={token}"
        async with websockets.connect(ws_url) as ws:
            for kind in (PROGRAM, FUNCTION):
                body = {"assignment_id": ids[kind], "code": records[kind]["solution"]}
                for i, (given, _, _) in enumerate(cases(kind, n + 1)):
                    body |= {"stdin": given} if kind == PROGRAM else {"call": given}
                    start = time.perf_counter()
                    posted = await http.post(f"{url}/api/runs", json=body)
                    posted.raise_for_status()
                    await finished(ws, posted.json()["id"])
                    if i:  # the first is the warm-up, as through the page
                        runs[kind].append((time.perf_counter() - start) * 1000)
        for _ in range(2 * n):
            start = time.perf_counter()
            (await http.get(f"{url}/api/assignments/{ids[PROGRAM]}")).raise_for_status()
            reads.append((time.perf_counter() - start) * 1000)
    return runs, reads


async def finished(ws: Any, run_id: str) -> None:
    async for raw in ws:
        message = json.loads(raw)
        if message.get("type") == "run.finished" and message["run"]["id"] == run_id:
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each kind (stdin, call)")
    args = parser.parse_args()
    env = {"GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="grindstone-bench-") as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as an unprivileged user
        with stack.running(Path(folder), embedded.free_port(), env) as system:
            listed = httpx.get(f"{system.url}/api/assignments", headers=bearer(system)).json()
            ids = {a["title"]: a["id"] for a in listed if a["title"] in (PROGRAM, FUNCTION)}
            page = through_the_page(system.url, ids, args.runs)
            runs, reads = asyncio.run(by_http(system.url, ids, args.runs))
    print(f"command: python -m bench.run_latency {shlex.join(sys.argv[1:])}".rstrip())
    print(figures("click Run -> output shown, stdin runs (page)", page[PROGRAM]))
    print(figures("click Run -> value shown, call runs (page)", page[FUNCTION]))
    print(figures("baseline: stdin runs by HTTP, POST -> run.finished on /ws", runs[PROGRAM]))
    print(figures("baseline: call runs by HTTP, POST -> run.finished on /ws", runs[FUNCTION]))
    print(figures("baseline: GET /api/assignments/{id} round trip", reads))
    return 0


def bearer(system: stack.System) -> dict[str, str]:
    token = httpx.post(f"{system.url}/api/sessions").json()["token"]
    return {"Authorization": f"Bearer {token}"}


if __name__ == "__main__":
    sys.exit(main())
