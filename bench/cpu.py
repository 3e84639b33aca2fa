"""CPU time per component of a running system, read from /proc for this process's tree.

A snapshot maps each live descendant (and this process, the load generator) to its component
and its CPU seconds: its own, plus those of the children it reaped (the zygote reaps every
confined child, Postgres its backends that ended), so nothing that ran in between is lost.
"""

import os
from collections import defaultdict
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
SERVERS = ("nats-server", "postgres", "valkey-server", "redis-server", "nginx")

Snapshot = dict[int, tuple[str, float, float]]  # pid -> (component, own s, reaped children s)


def _stat(pid: int) -> tuple[int, float, float] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) / TICK
    reaped = (int(fields[13]) + int(fields[14])) / TICK
    return ppid, own, reaped


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")


def _component(pid: int, parents: dict[int, int]) -> str:
    argv = _cmdline(pid)
    if pid == os.getpid():
        return "bench client"
    if "-m" in argv and argv.index("-m") + 1 < len(argv):
        module = argv[argv.index("-m") + 1]
        if module.startswith("services."):
            return module.removeprefix("services.")
    if any(a.endswith("zygote.py") for a in argv):
        parent = _cmdline(parents.get(pid, 0))
        return "judges+children" if any(a.endswith("zygote.py") for a in parent) else "zygote"
    for server in SERVERS:
        if argv and server in argv[0]:
            return server.replace("redis-server", "valkey-server")
    return "other"


def snapshot() -> Snapshot:
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = stat
    parents = {pid: stat[0] for pid, stat in stats.items()}
    tree = {os.getpid()}
    changed = True
    while changed:  # every descendant of this process
        grown = {pid for pid, ppid in parents.items() if ppid in tree}
        changed = not grown <= tree
        tree |= grown
    return {pid: (_component(pid, parents), *stats[pid][1:]) for pid in tree if pid in stats}


def split(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds per component between two snapshots (a process born in between from 0)."""
    used: dict[str, float] = defaultdict(float)
    for pid, (component, own, reaped) in after.items():
        _, own0, reaped0 = before.get(pid, (component, 0.0, 0.0))
        if component == "zygote":  # what it reaped is the confined children's time
            used["zygote"] += own - own0
            used["judges+children"] += reaped - reaped0
        else:
            used[component] += (own - own0) + (reaped - reaped0)
    return dict(sorted(used.items(), key=lambda item: -item[1]))
