"""The zygote: a small, clean process that forks one judge per grading job.

Started by the grader as `<interpreter> -I -S -B zygote.py CONFIG` with an empty environment
and one inherited socket (SOCK_SEQPACKET). It holds no secrets and no job's data, so what its
children inherit is only this code and the standard library, already imported (a fork costs
far less than a fresh interpreter). At start, as root, it takes a network namespace with no
interface up and a private mount namespace (per-slot tmpfs scratch folders), finds out which
confinement layers work here, and says so. Then, per message {"job": id} carrying the job's
socket, it forks a judge (judge.py) and answers {"job": id, "pid": pid}.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The modules every judge and child needs, imported once here (their forks share the pages).
import ast  # noqa: E402, F401
import collections  # noqa: E402, F401
import gc  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import typing  # noqa: E402, F401 - `from typing import List` opens most solutions

import confine  # noqa: E402
import judge  # noqa: E402

STDLIB = [path for path in sys.path[1:] if os.path.exists(path)]


def read_only_paths() -> list[str]:
    """What a confined child may read: the standard library, shared libraries, a few files."""
    return [
        *STDLIB,
        "/usr/lib",
        "/lib",
        "/lib64",
        "/etc/ld.so.cache",
        "/etc/localtime",
        "/usr/share/zoneinfo",
        "/dev/urandom",
    ]


def probe(plan: confine.Plan) -> str | None:
    """Apply `plan` in a throwaway child: None if it worked, else why not."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            confine.apply(plan, parent)
        except BaseException as exc:
            os.write(write_fd, f"{type(exc).__name__}: {exc}".encode())
            os._exit(1)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as f:
        why = f.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    return None if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else why or "failed"


def set_up(config: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """The judges' context and, per layer, whether it is on (and why not)."""
    root = os.geteuid() == 0
    layers: dict[str, str] = {}
    if root:
        confine.unshare(confine.CLONE_NEWNET | confine.CLONE_NEWNS)
        confine.make_mounts_private()
        layers["network"] = "on: a network namespace of its own, no interface up"
        layers["tmpfs"] = f"on: a {config['tmpfs_mb']} MiB tmpfs scratch folder per slot"
    else:
        layers["network"] = layers["tmpfs"] = "off: the grader is not root"
    base = confine.Plan(
        uid=None,
        cpu_s=5,
        memory_bytes=2**30,
        file_bytes=int(config["file_bytes"]),  # type: ignore[call-overload]
        open_files=int(config["open_files"]),  # type: ignore[call-overload]
        processes=int(config["processes"]),  # type: ignore[call-overload]
        landlock_abi=0,
    )
    layers["rlimits"] = "on: cpu, address space, file size, open files, processes, no core"
    if why := probe(base):
        raise SystemExit(f"rlimits failed: {why}")
    uid_ok = root and bool(config["drop_uid"])
    if uid_ok and (why := probe(_with(base, uid=int(config["uid_base"])))):  # type: ignore[call-overload]
        uid_ok, layers["uid"] = False, f"off: {why}"
    elif uid_ok:
        layers["uid"] = f"on: one uid per slot from {config['uid_base']}"
    else:
        layers["uid"] = f"off: {config.get('uid_why') or 'the grader is not root'}"
    abi = confine.landlock_abi()
    if abi and (why := probe(_with(base, landlock_abi=abi, read_only=read_only_paths()))):
        abi, layers["landlock"] = 0, f"off: {why}"
    elif abi:
        parts = ["files"] + (["TCP"] if abi >= 4 else []) + (["signals"] if abi >= 6 else [])
        layers["landlock"] = f"on: ABI {abi} ({', '.join(parts)})"
    else:
        layers["landlock"] = "off: the kernel has no Landlock"
    bpf = str(config["seccomp_bpf"])
    if bpf and (why := probe(_with(base, seccomp_bpf=bytes.fromhex(bpf)))):
        bpf, layers["seccomp"] = "", f"off: {why}"
    elif bpf:
        layers["seccomp"] = "on: no fork, exec, socket, ptrace, mount, namespaces, kill"
    else:
        layers["seccomp"] = f"off: {config.get('seccomp_why') or 'no filter'}"
    layers["cgroups"] = "off: not used (rlimits and seccomp bound memory and processes)"
    context = {
        "base": config["base"],
        "uid_base": config["uid_base"],
        "drop_uid": uid_ok,
        "tmpfs_bytes": int(config["tmpfs_mb"]) * 2**20 if root else 0,  # type: ignore[call-overload]
        "file_bytes": base.file_bytes,
        "open_files": base.open_files,
        "processes": base.processes,
        "landlock_abi": abi,
        "read_only": read_only_paths(),
        "seccomp_bpf": bpf,
        "stdlib": STDLIB,
    }
    return context, layers


def _with(plan: confine.Plan, **changes: object) -> confine.Plan:
    return confine.Plan(**{**plan.__dict__, **changes})  # type: ignore[arg-type]


def serve(ctl: socket.socket, context: dict[str, object]) -> None:
    me = os.getpid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(ctl, 4096, 1)
        except InterruptedError:
            continue
        if not message:
            return  # the grader is gone
        job = json.loads(message)["job"]
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            ctl.close()
            confine._prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != me:
                os._exit(1)
            judge.main(socket.socket(fileno=fds[0]), context)
        os.close(fds[0])
        ctl.send(json.dumps({"job": job, "pid": pid}).encode())


def main() -> None:
    config = json.loads(sys.argv[1])
    ctl = socket.socket(fileno=int(config["ctl_fd"]))
    try:
        context, layers = set_up(config)
    except BaseException as exc:
        ctl.send(json.dumps({"failed": f"{type(exc).__name__}: {exc}"}).encode())
        raise
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # judges are reaped by the kernel
    gc.collect()
    gc.freeze()  # keep the shared pages shared: the collector no longer touches them
    ctl.send(json.dumps({"layers": layers, "pid": os.getpid()}).encode())
    serve(ctl, context)


if __name__ == "__main__":
    main()
