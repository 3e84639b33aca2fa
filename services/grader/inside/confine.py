"""Confining the current process before it runs the student's code. Standard library only.

`Plan` says what to apply; `probe()` (in the zygote, once) says what this machine allows;
`apply(plan)` (in the forked child) applies it in an order that works: rlimits, no new privileges,
drop to the slot's uid, die with the parent, Landlock, then seccomp last.
"""

import ctypes
import errno
import os
import resource
import signal
from collections.abc import Sequence
from typing import NamedTuple

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV = 0x4000, 1 << 18, 2, 4

# Landlock (x86_64 syscall numbers, uapi/linux/landlock.h)
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ABI1 = (1 << 13) - 1  # every file system right of ABI 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2
READ_ONLY = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class Plan(NamedTuple):  # not a dataclass: dataclasses brings inspect and ast into the zygote
    """What one child applies; the parts the machine does not allow are left out at probe time."""

    uid: int | None  # None: stay as we are (the grader is not root)
    cpu_s: int
    memory_bytes: int
    file_bytes: int
    open_files: int
    processes: int  # threads count too, once not root
    landlock_abi: int  # 0: no Landlock
    read_only: Sequence[str] = ()  # files and folders it may read
    writable: Sequence[str] = ()  # its scratch folder, /dev/null
    seccomp_bpf: bytes = b""  # empty: no seccomp filter


def die_with_parent(parent_pid: int) -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before PDEATHSIG was set
        os._exit(1)


def landlock_abi() -> int:
    abi = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    return max(int(abi), 0)


def unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        raise _oserror("unshare")


def make_mounts_private() -> None:
    if _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise _oserror("mount --make-rprivate /")


def mount_tmpfs(path: str, size_bytes: int) -> None:
    options = f"size={size_bytes},mode=0711".encode()
    if _libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        raise _oserror(f"mount tmpfs on {path}")


def apply(plan: Plan, parent_pid: int, ruleset: int | None = None) -> None:
    """Confine this process for good. Raises OSError if a layer the plan asks for fails.

    `ruleset`: a Landlock ruleset built beforehand (`landlock_ruleset`); else built here.
    """
    limits = [
        (resource.RLIMIT_CPU, (plan.cpu_s, plan.cpu_s + 1)),  # SIGXCPU, then SIGKILL
        (resource.RLIMIT_AS, (plan.memory_bytes, plan.memory_bytes)),
        (resource.RLIMIT_FSIZE, (plan.file_bytes, plan.file_bytes)),
        (resource.RLIMIT_NOFILE, (plan.open_files, plan.open_files)),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_NPROC, (plan.processes, plan.processes)),
    ]
    for which, values in limits:
        resource.setrlimit(which, values)
    if ruleset is None and plan.landlock_abi:
        ruleset = landlock_ruleset(plan)  # the paths are opened while still root
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if plan.uid is not None:
        os.setgroups([])
        os.setresgid(plan.uid, plan.uid, plan.uid)
        os.setresuid(plan.uid, plan.uid, plan.uid)
    die_with_parent(parent_pid)  # after the uid change, which clears it
    if ruleset is not None:
        _restrict_self(ruleset)
    if plan.seccomp_bpf:
        _load_seccomp(plan.seccomp_bpf)


def landlock_ruleset(plan: Plan) -> int:
    abi = plan.landlock_abi
    fs = FS_ABI1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
    fs |= FS_IOCTL_DEV if abi >= 5 else 0
    attr = _RulesetAttr(
        fs=fs,
        net=NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,  # handled, with no port allowed
        scoped=SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0,
    )
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        raise _oserror("landlock_create_ruleset")
    for path in plan.read_only:
        _allow(ruleset, path, READ_ONLY & fs)
    for path in plan.writable:
        _allow(ruleset, path, fs)
    return int(ruleset)


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return  # not on this machine: nothing to allow
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = _PathBeneath(allowed=rights, parent_fd=fd)
        if _libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH,
                         ctypes.byref(rule), 0) != 0:  # fmt: skip
            raise _oserror(f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def _restrict_self(ruleset: int) -> None:
    if _libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
        raise _oserror("landlock_restrict_self")


def _load_seccomp(bpf: bytes) -> None:
    program = ctypes.create_string_buffer(bpf, len(bpf))
    fprog = _SockFprog(len=len(bpf) // 8, filter=ctypes.cast(program, ctypes.c_void_p))
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def _prctl(option: int, value: int, arg: int = 0) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(arg), 0, 0) != 0:
        raise _oserror(f"prctl({option})")


def _oserror(what: str) -> OSError:
    code = ctypes.get_errno() or errno.EPERM
    return OSError(code, f"{what}: {os.strerror(code)}")
