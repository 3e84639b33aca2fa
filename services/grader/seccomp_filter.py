"""The seccomp filter of a sandboxed child, compiled once to BPF by the grader.

Allow by default, refuse the system calls a Python solution never needs and a hostile one
would use: new processes (threads still work), programs, sockets, tracing, namespaces, mounts,
signals to other processes, kernel and clock administration. The zygote hands the BPF bytes to
each child, which loads them with one prctl (cheaper than building the filter per job).
"""

import errno
import tempfile

import pyseccomp as seccomp

CLONE_THREAD = 0x00010000

REFUSED = (
    "fork", "vfork", "execve", "execveat",
    "socket", "socketpair",
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd",
    "pidfd_send_signal", "kill", "tkill", "setsid", "setpgid",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "mount_setattr",
    "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "keyctl", "add_key", "request_key",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "syslog", "acct", "quotactl", "personality",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname",
    "setdomainname", "iopl", "ioperm", "mknod", "mknodat", "name_to_handle_at",
    "open_by_handle_at", "fanotify_init", "mbind", "migrate_pages", "move_pages", "uselib",
    "vhangup", "memfd_create", "memfd_secret",  # memory outside the address-space limit
)  # fmt: skip


def build() -> bytes:
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in REFUSED:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    # clone without CLONE_THREAD makes a process; with it, a thread (allowed)
    rules.add_rule(
        seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0)
    )
    # clone3 passes its flags in memory a filter cannot read: ENOSYS makes glibc use clone
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()
