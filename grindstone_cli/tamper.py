"""The checks of `grindstone audit verify`, pure: fed the stored messages in stream order, it
recomputes every subject's hash chain and the global running hash, and names each message
that was altered, removed, inserted or reordered (docs/design.md, "Tamper evidence")."""

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from events import integrity
from events.integrity import GENESIS, Checkpoint

FAILING = ("altered", "removed", "inserted", "reordered", "checkpoint")


@dataclass(frozen=True)
class Finding:
    seq: int
    kind: str  # one of FAILING, or "unchained" (stored before integrity existed: no failure)
    subject: str
    detail: str


@dataclass
class _Subject:
    head: str = GENESIS  # the hash the next event must chain to
    last_seq: int = 0
    seen: dict[str, int] = field(default_factory=dict)  # hash -> seq, on this subject
    awaited: dict[str, tuple[int, int]] = field(default_factory=dict)  # missing prev -> seqs


class Verifier:
    def __init__(self, checkpoints: Iterable[Checkpoint] = ()) -> None:
        self.subjects: dict[str, _Subject] = {}
        self.checkpoints = sorted(checkpoints, key=lambda c: c.stream_seq)
        self.head = GENESIS  # the global running hash
        self.last_seq = 0
        self.gaps: list[int] = []
        self.chained = False
        self.findings: list[Finding] = []

    def feed(self, seq: int, subject: str, headers: Mapping[str, str] | None, data: bytes) -> None:
        if self.checkpoints and self.checkpoints[0].stream_seq < seq:
            self._pass_checkpoints(before=seq)
        if seq != self.last_seq + 1:
            self._gap(self.last_seq + 1, seq)
        self.last_seq = seq
        state = self.subjects.get(subject)
        if state is None:
            state = self.subjects[subject] = _Subject()
        found = integrity.claimed(headers)
        if found is None:
            kind = "inserted" if self.chained else "unchained"
            self._note(seq, kind, subject, "no integrity fields: not appended by grindstone")
            state.head, state.last_seq = GENESIS, seq  # as common/nats.append chains after it
            self.head = integrity.fold(self.head, seq, subject, "")
            return
        self.chained = True
        prev, claimed = found
        if not integrity.recomputes(subject, headers, data):
            self._note(seq, "altered", subject, "its content does not match its hash")
        elif prev != state.head:
            self._misplaced(seq, subject, state, prev, claimed)
        state.seen.setdefault(claimed, seq)
        state.head, state.last_seq = claimed, seq
        self.head = integrity.fold(self.head, seq, subject, claimed)

    def _misplaced(self, seq: int, subject: str, state: _Subject, prev: str, claimed: str) -> None:
        """It does not chain to the event before it on its subject: say how."""
        if claimed in state.awaited:
            later, _ = state.awaited.pop(claimed)
            self._note(seq, "reordered", subject, f"it comes after seq {later}, which follows it")
        elif claimed in state.seen:
            earlier = state.seen[claimed]
            self._note(seq, "reordered", subject, f"a copy of seq {earlier}, stored again later")
        elif prev == GENESIS or prev in state.seen:
            after = state.seen.get(prev)
            where = "the start of its subject" if after is None else f"seq {after}"
            self._note(seq, "inserted", subject, f"chains to {where}, which already had a next")
        else:
            state.awaited[prev] = (seq, state.last_seq)

    def finish(self, last_seq: int) -> list[Finding]:
        """The findings, once every stored message was fed; `last_seq`: the stream's."""
        self._gap(self.last_seq + 1, last_seq + 1)
        self._pass_checkpoints(before=max(last_seq, self.last_seq) + 1)
        for subject, state in self.subjects.items():
            for seq, before in state.awaited.values():
                if not self._gap_between(before, seq):  # else that gap already names it
                    detail = "the event before it on its subject is missing"
                    self._note(seq, "removed", subject, detail)
        return sorted(self.findings, key=lambda f: (f.seq, f.kind))

    def _gap(self, first: int, end: int) -> None:
        for missing in range(first, end):
            self.gaps.append(missing)
            self._note(missing, "removed", "", "no longer stored: deleted or purged")

    def _gap_between(self, low: int, high: int) -> bool:
        at = bisect.bisect_right(self.gaps, low)
        return at < len(self.gaps) and self.gaps[at] < high

    def _pass_checkpoints(self, before: int) -> None:
        """Compare the running hash with each checkpoint whose sequence is now behind."""
        while self.checkpoints and self.checkpoints[0].stream_seq < before:
            checkpoint = self.checkpoints.pop(0)
            if checkpoint.head != self.head:
                detail = f"the log up to here differs from the checkpoint signed at {checkpoint.at}"
                self._note(checkpoint.stream_seq, "checkpoint", "", detail)

    def _note(self, seq: int, kind: str, subject: str, detail: str) -> None:
        self.findings.append(Finding(seq, kind, subject, detail))
