"""One grading job in a judge: its settings, its slot's folders, its clock and output."""

import contextlib
import os
import shutil
from builtins import max  # noqa: UP029 - bound now: tests may patch builtins
from typing import Any

from streams import Clock, Output


class Job:
    """One job: its settings, its slot's folders, its clock and output."""

    def __init__(self, context: dict[str, Any], slot: int, config: dict[str, Any]) -> None:
        self.context, self.config = context, config
        slot_dir = os.path.join(context["base"], f"slot-{slot}")
        self.scratch = os.path.join(slot_dir, "work")
        self.judge_dir = os.path.join(slot_dir, "judge")
        self.solution = os.path.join(self.scratch, "solution.py")
        self.tests_path = os.path.join(self.judge_dir, "test_solution.py")
        self.uid = context["uid_base"] + slot if context["drop_uid"] else None
        limits = config["limits"]
        self.cpu_s = max(1, -(-int(limits["cpu_ms"]) // 1000))  # RLIMIT_CPU counts seconds
        self.clock = Clock(limits["wall_ms"] / 1000)
        self.output = Output(limits["output_kb"] * 1024)

    def prepare(self, tests: str) -> None:
        self.tests = tests
        self.clean()
        with open(self.solution, "w", encoding="utf-8") as f:
            f.write(self.config["code"])
        if self.uid is not None:
            os.chown(self.solution, self.uid, self.uid)
        with open(self.tests_path, "w", encoding="utf-8") as f:
            f.write(tests)

    def clean(self) -> None:
        """Empty the slot's folders (kept: the Landlock rules name them)."""
        for folder in (self.scratch, self.judge_dir):
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def child(self, mode: str) -> dict[str, Any]:
        """What the zygote needs to fork a confined child for this job."""
        entry_point = self.config.get("entry_point")
        return {"mode": mode, "limits": self.config["limits"], "entry_point": entry_point}
