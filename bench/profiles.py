"""py-spy on one process of each service while a load runs: where each spends its CPU, as the
functions at the top of the sampled stacks (self time), for PERFORMANCE.md."""

import collections
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench import cpu

PY_SPY = Path(sys.executable).with_name("py-spy")
SERVICES = ("command_api", "query_api", "push", "grader", "projector")
TOP = 8
# leaf frames of a process waiting for work: the event loop in select (native, so py-spy shows
# its Python caller), a thread pool's idle workers
IDLE = ("Runner.run (", "Condition.wait (", "BaseEventLoop.run_forever (", "_worker (")
T = TypeVar("T")

Profile = dict[str, list[tuple[str, float]]]  # component -> (function, share of its samples)


def _one_pid_each() -> dict[str, int]:
    pids: dict[str, int] = {}
    for pid, (component, _, _) in sorted(cpu.snapshot().items()):
        if component in SERVICES:
            pids.setdefault(component, pid)
    return pids


def _counts(collapsed: Path) -> list[int]:
    counts = (line.rpartition(" ")[2] for line in collapsed.read_text().splitlines())
    return [int(count) for count in counts if count.isdigit()]


def _top(collapsed: Path) -> list[tuple[str, float]]:
    """Leaf frames of py-spy's raw (collapsed) stacks, by share of the samples."""
    leaves: collections.Counter[str] = collections.Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            leaf = stack.rsplit(";", 1)[-1]
            leaves[re.sub(r" \(/.*/(site-packages|lib/python3\.\d+|main)/", " (", leaf)] += int(
                count
            )
    total = sum(leaves.values()) or 1
    idle = sum(count for frame, count in leaves.items() if frame.startswith(IDLE))
    busy = [
        (frame, count / total)
        for frame, count in leaves.most_common()
        if not frame.startswith(IDLE)
    ]
    return [("waiting (event loop's select, idle threads)", idle / total), *busy[:TOP]]


def sampled(seconds: float, load: Callable[[], T]) -> tuple[T, Profile]:
    """Run `load` while py-spy samples one process of each service for `seconds`."""
    pids = _one_pid_each()
    with tempfile.TemporaryDirectory(prefix="grindstone-py-spy-") as folder:
        spies = {}
        for component, pid in pids.items():
            out = Path(folder) / f"{component}.txt"
            argv = [str(PY_SPY), "record", "--pid", str(pid), "--duration", str(int(seconds))]
            # not --nonblocking: here it caught a handful of samples in 10 s of a busy process
            # (uvloop services); pausing at each sample costs the profiled run a little
            argv += ["--rate", "100", "--format", "raw", "--output", str(out)]
            spies[component] = (
                subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                out,
            )
        result = load()
        profile = {}
        for component, (spy, out) in spies.items():
            spy.wait(seconds + 60)
            if out.exists():
                samples = sum(_counts(out))
                profile[f"{component} ({samples:,} samples)"] = _top(out)
    return result, profile
