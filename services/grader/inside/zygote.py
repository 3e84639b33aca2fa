"""The zygote: a small, clean process that forks the judges and every confined child.

Started by the grader as `<interpreter> -I -S -B zygote.py CONFIG` with an empty environment
and one inherited socket (SOCK_SEQPACKET). It holds no secrets and never any job's code or
tests, so what its children inherit is this code and the standard library, already imported
(a fork costs far less than a fresh interpreter). At start, as root, it takes a network
namespace with no interface up and a private mount namespace, and finds out which confinement
layers work here. Then:
- {"judge": slot} from the grader, with the job socket: prepare the slot (a tmpfs, a scratch
  folder owned by the slot's uid, its Landlock ruleset) and fork a judge (judge.py) for it,
  which serves that slot's jobs one after another; answer {"slot", "pid"}.
- {"mode": "module" | "run" | "check", ...} from a judge, with the child's descriptors: fork a
  confined child (student.py) and answer {"pid"}; when it ends, {"exit": pid, "status"}.
A student is never forked from a judge: nothing of any test is in its memory.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The modules every confined child needs, imported once here (their forks share the pages).
import collections  # noqa: F401
import contextlib
import gc
import json
import selectors
import signal
import socket
import traceback
import typing  # noqa: F401 - `from typing import List` opens most solutions
from typing import Any

import confine
import student

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
        "bpf": bytes.fromhex(bpf),
        "stdlib": STDLIB,
        "cpus": sorted(os.sched_getaffinity(0)),
    }
    return context, layers


def _with(plan: confine.Plan, **changes: object) -> confine.Plan:
    return plan._replace(**changes)


class Zygote:
    def __init__(self, ctl: socket.socket, context: dict[str, Any]) -> None:
        self.ctl, self.context, self.me = ctl, context, os.getpid()
        self.selector = selectors.DefaultSelector()
        self.judges: dict[socket.socket, int] = {}  # a judge's channel -> its slot
        self.owners: dict[int, socket.socket] = {}  # a child's pid -> its judge's channel
        self.rulesets: dict[int, int] = {}  # slot -> Landlock ruleset fd
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the select through wake_w
        self.selector.register(ctl, selectors.EVENT_READ)
        self.selector.register(self.wake_r, selectors.EVENT_READ)

    def serve(self) -> None:
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is self.ctl:
                    self.from_grader()
                elif key.fileobj == self.wake_r:
                    os.read(self.wake_r, 4096)
                    self.reap()
                else:
                    self.from_judge(key.fileobj)  # type: ignore[arg-type]

    def from_grader(self) -> None:
        message, fds, _, _ = socket.recv_fds(self.ctl, 4096, 1)
        if not message:
            os._exit(0)  # the grader is gone; PDEATHSIG takes the judges and children
        slot = int(json.loads(message)["judge"])
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return
        self.prepare(slot)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:  # a child never returns into the zygote's loop
                self.after_fork([fds[0], theirs.fileno()])
                self.pin(slot)
                import judge  # only judges need it: the zygote stays small, its forks cheap

                judge.main(socket.socket(fileno=fds[0]), theirs, self.context, slot)
            except BaseException:
                os.write(2, traceback.format_exc().encode())
            finally:
                os._exit(1)
        os.close(fds[0])
        theirs.close()
        self.judges[ours] = slot
        self.selector.register(ours, selectors.EVENT_READ)
        self.ctl.send(json.dumps({"slot": slot, "pid": pid}).encode())

    def after_fork(self, keep: list[int]) -> None:
        """In a new child: no signal plumbing of ours, no descriptor but `keep`, die with us."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in [self.ctl.fileno(), self.wake_r, self.wake_w, *self.rulesets.values()]:
            if fd not in keep:
                os.close(fd)
        for channel in self.judges:
            if channel.fileno() not in keep:
                channel.close()
        confine.die_with_parent(self.me)

    def pin(self, slot: int) -> None:
        """A slot's judge and its student's process share one CPU. They take turns (every
        crossing is a message and its answer), and a wake-up on the CPU that just went idle
        is far cheaper on a VM than waking another, idle one: 1000 calls across the boundary
        took 180 ms pinned against 400-500 ms unpinned here (`bench.boundary`). Slots are
        spread over the CPUs the grader may use."""
        cpus = self.context["cpus"]
        if len(cpus) > 1:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(0, {cpus[slot % len(cpus)]})

    def prepare(self, slot: int) -> None:
        """The slot's folders (on a tmpfs of their own) and Landlock ruleset, made once."""
        if slot in self.rulesets:
            return
        folder = os.path.join(self.context["base"], f"slot-{slot}")
        os.makedirs(folder, mode=0o711, exist_ok=True)
        if self.context["tmpfs_bytes"] and not os.path.ismount(folder):
            confine.mount_tmpfs(folder, self.context["tmpfs_bytes"])
        scratch, judge_dir = os.path.join(folder, "work"), os.path.join(folder, "judge")
        os.makedirs(scratch, mode=0o700, exist_ok=True)
        os.makedirs(judge_dir, mode=0o700, exist_ok=True)
        if self.context["drop_uid"]:
            uid = self.context["uid_base"] + slot
            os.chown(scratch, uid, uid)
        if self.context["landlock_abi"]:
            plan = self.plan(slot, {"cpu_ms": 1000, "memory_mb": 64})
            self.rulesets[slot] = confine.landlock_ruleset(plan)
        else:
            self.rulesets[slot] = -1

    def plan(self, slot: int, limits: dict[str, int]) -> confine.Plan:
        context = self.context
        return confine.Plan(
            uid=context["uid_base"] + slot if context["drop_uid"] else None,
            cpu_s=max(1, -(-int(limits["cpu_ms"]) // 1000)),
            memory_bytes=int(limits["memory_mb"]) * 2**20,
            file_bytes=context["file_bytes"],
            open_files=context["open_files"],
            processes=context["processes"],
            landlock_abi=context["landlock_abi"],
            read_only=context["read_only"],
            writable=[os.path.join(context["base"], f"slot-{slot}", "work"), "/dev/null"],
            seccomp_bpf=context["bpf"],
        )

    def from_judge(self, channel: socket.socket) -> None:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 4096, 4)
        except OSError:
            message, fds = b"", []
        if not message:  # the judge is gone: so are its children
            self.selector.unregister(channel)
            del self.judges[channel]
            for pid, owner in list(self.owners.items()):
                if owner is channel:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
            channel.close()
            return
        request = json.loads(message)
        slot = self.judges[channel]
        plan = self.plan(slot, request["limits"])
        pid = os.fork()
        if pid == 0:
            try:  # a child never returns into the zygote's loop
                ruleset = self.rulesets[slot]
                self.after_fork([*fds, ruleset])
                self.pin(slot)
                ruleset_fd = ruleset if ruleset >= 0 else None
                student.become(fds, plan, self.me, ruleset_fd, request, self.context["stdlib"])
            except BaseException:
                os.write(2, traceback.format_exc().encode())
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)
        self.owners[pid] = channel
        channel.send(json.dumps({"pid": pid}).encode())

    def reap(self) -> None:
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            owner = self.owners.pop(pid, None)
            if owner is not None:
                cpu_ms = round((usage.ru_utime + usage.ru_stime) * 1000)
                answer = {"exit": pid, "status": status, "cpu_ms": cpu_ms}
                with contextlib.suppress(OSError):
                    owner.send(json.dumps(answer).encode())


def main() -> None:
    config = json.loads(sys.argv[1])
    ctl = socket.socket(fileno=int(config["ctl_fd"]))
    try:
        context, layers = set_up(config)
    except BaseException as exc:
        ctl.send(json.dumps({"failed": f"{type(exc).__name__}: {exc}"}).encode())
        raise
    zygote = Zygote(ctl, context)
    gc.collect()
    student.warm()
    gc.freeze()  # keep the shared pages shared: the collector no longer touches them
    ctl.send(json.dumps({"layers": layers, "pid": os.getpid()}).encode())
    zygote.serve()


if __name__ == "__main__":
    main()
