"""The HTTP hot paths against their baselines, in one run: `GET /api/assignments/{id}` with a
student token and `POST /api/submissions` (a new student on each request, every answer a 202),
through nginx in the production configuration (2 replicas of each HTTP service), here and in a
clone of another commit; and a bare Litestar endpoint (one uvicorn process, a tiny JSON GET)
measured directly. k6, `--vus` virtual users for `--seconds`, the median of `--runs` runs.

    python -m bench.http_paths --baseline-root /tmp/base   # a clone with its own .venv

Each system runs on embedded servers of its own, one after the other.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import cpu

ROOT = Path(__file__).resolve().parent.parent
K6 = Path(sys.executable).with_name("k6")
LIMITS_OFF = {
    "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
    "COMMAND_API_SUBMISSIONS_PER_ADDRESS_PER_MINUTE": "0",
    "LOG_LEVEL": "WARNING",
}
TOKENS = 60_000  # POST tokens: one a request
PER_RUN = 20_000  # each run's own tokens: a student of an earlier run may still be pending

_OPTIONS = "export const options = { vus: %d, duration: '%ds', thresholds: %s };\n"
_STRICT = "{ http_req_failed: ['rate==0'], checks: ['rate==1'] }"
_READ = """
import http from 'k6/http';
import { check } from 'k6';
const headers = { Authorization: `Bearer ${__ENV.TOKEN}` };
export default function () {
  const r = http.get(__ENV.URL, { headers });
  check(r, { '200': (res) => res.status === 200 });
}
"""
_POST = """
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
const tokens = new SharedArray('tokens', () => JSON.parse(open(__ENV.TOKENS)));
export default function () {
  const n = Number(__ENV.OFFSET) + exec.scenario.iterationInTest;
  const code = `print("Hello, Grindstone!")  # ${n}\\n`;
  const body = JSON.stringify({ assignment_id: __ENV.ASSIGNMENT, code });
  const headers = { Authorization: `Bearer ${tokens[n]}`, 'Content-Type': 'application/json' };
  check(http.post(__ENV.URL, body, { headers }), { '202': (res) => res.status === 202 });
}
"""
BARE_APP = """
from litestar import Litestar, get

@get("/", sync_to_thread=False)
def hello() -> dict[str, bool]:
    return {"ok": True}

app = Litestar([hello])
"""


def serve(info_path: Path) -> None:
    """Run in the measured checkout (its own python): the prod system until SIGTERM, its URL,
    a student token, an assignment and tokens of new students written to `info_path`."""
    from uuid import uuid4  # here: from the measured checkout (PYTHONPATH), not this one

    from common import auth, embedded
    from grindstone_cli import stack

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with tempfile.TemporaryDirectory(prefix="grindstone-h5-") as folder:
        Path(folder).chmod(0o755)
        port = embedded.free_port()
        with stack.running(Path(folder), port, LIMITS_OFF, replicas=2, prod=True) as system:
            student = auth.Identity(uuid4(), "student")
            token = auth.issue(system.secret, student)
            headers = {"Authorization": f"Bearer {token}"}
            items = httpx.get(f"{system.url}/api/assignments", headers=headers).json()
            fresh = [
                auth.issue(system.secret, auth.Identity(uuid4(), "student")) for _ in range(TOKENS)
            ]
            tokens_path = Path(folder) / "tokens.json"
            tokens_path.write_text(json.dumps(fresh))
            info = {
                "url": system.url,
                "token": token,
                "assignment": items[0]["id"],
                "tokens": str(tokens_path),
                "pids": {n: [p.pid for _, p in r] for n, r in system.replicas.items()},
            }
            info_path.write_text(json.dumps(info))
            try:
                while True:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass


def k6(
    script: str, env: dict[str, str], vus: int, seconds: int, folder: Path
) -> tuple[float, int, int]:
    """(Requests per second, requests, failed checks) of one k6 run."""
    path = folder / "script.js"
    path.write_text(script + _OPTIONS % (vus, seconds, _STRICT))
    summary = folder / "summary.json"
    done = subprocess.run(
        [str(K6), "run", "--quiet", "--no-color", "--summary-export", str(summary), str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 99):  # 99: a threshold crossed (failures are counted)
        raise RuntimeError(f"k6 failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr}")
    metrics = json.loads(summary.read_text())["metrics"]
    reqs = metrics["http_reqs"]
    return float(reqs["rate"]), int(reqs["count"]), int(metrics["checks"]["fails"])


def median_rate(
    script: str, env: dict[str, str], args: argparse.Namespace, folder: Path, label: str
) -> float:
    """The median rate of the runs; prints the CPU milliseconds per request of each component
    (k6 is `bench client`, which reaps it) over all the runs, and any failed answers."""
    before = cpu.snapshot()
    runs = [
        k6(script, {**env, "OFFSET": str(i * PER_RUN)}, args.vus, args.seconds, folder)
        for i in range(args.runs)
    ]
    used = cpu.split(before, cpu.snapshot())
    count = sum(n for _, n, _ in runs)
    shares = ", ".join(f"{name} {1000 * s / count:.3f}" for name, s in used.items() if s > 0.05)
    print(f"  {label}: CPU ms per request: {shares}", flush=True)
    rates = ", ".join(f"{rate:.0f}" for rate, _, _ in runs)
    failed = sum(f for _, _, f in runs)
    print(f"  {label}: runs {rates} req/s; {failed} of {count} answers not as expected", flush=True)
    return statistics.median(rate for rate, _, _ in runs)


def measure_system(root: Path, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    info_path = folder / f"info-{os.getpid()}-{time.monotonic_ns()}.json"
    python = root / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([str(python), __file__, "serve", str(info_path)], cwd=root, env=env)
    try:
        while not info_path.exists():
            if proc.poll() is not None:
                raise RuntimeError(f"the system of {root} did not start")
            time.sleep(0.5)
        info = json.loads(info_path.read_text())
        url = info["url"]
        read_env = {"URL": f"{url}/api/assignments/{info['assignment']}", "TOKEN": info["token"]}
        result = {"read": median_rate(_READ, read_env, args, folder, f"{root} read")}
        if not args.read_only:
            post_env = {
                "URL": f"{url}/api/submissions",
                "TOKENS": info["tokens"],
                "ASSIGNMENT": info["assignment"],
            }
            result["post"] = median_rate(_POST, post_env, args, folder, f"{root} post")
        return result
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def measure_bare(args: argparse.Namespace, folder: Path) -> float:
    (folder / "bare_app.py").write_text(BARE_APP)
    port = 18_000 + os.getpid() % 1000
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=folder)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                httpx.get(url)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        return median_rate(_READ, {"URL": url, "TOKEN": "-"}, args, folder, "bare")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(Path(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-root", type=Path, help="a clone of the baseline commit")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--vus", type=int, default=10)
    parser.add_argument("--read-only", action="store_true", help="skip the POST")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grindstone-h5-k6-") as name:
        folder = Path(name)
        bare = measure_bare(args, folder)
        print(f"bare Litestar GET (one uvicorn process, direct): {bare:8.0f} req/s", flush=True)
        base = measure_system(args.baseline_root, args, folder) if args.baseline_root else {}
        for path, rate in base.items():
            print(f"baseline {path:4} ({args.baseline_root}): {rate:8.0f} req/s", flush=True)
        now = measure_system(ROOT, args, folder)
    for path, rate in now.items():
        ratio = f" = {rate / base[path]:.2f}x baseline" if path in base else ""
        print(f"this checkout {path:4}: {rate:8.0f} req/s{ratio}")
    print(f"read / bare Litestar: {now['read'] / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
