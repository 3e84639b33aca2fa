"""The verifier of `grindstone audit verify` on generated logs: a log chained as
common/nats.append chains it verifies clean; each kind of tampering is named at its sequence."""

import argparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import integrity
from grindstone_cli import audit
from grindstone_cli.tamper import Verifier

SUBJECTS = [f"events.submission.u.s{n}" for n in range(4)]
KEY = integrity.checkpoint_key("unit")


def chained(subjects: list[str]) -> list[tuple[int, str, dict[str, str], bytes]]:
    """A log: one message per subject in the list, chained per subject."""
    heads: dict[str, str] = {}
    log = []
    for seq, subject in enumerate(subjects, start=1):
        data = f'{{"n": {seq}}}'.encode()
        headers = {"Event-Type": "SubmissionCreated", "Event-Version": "1"}
        integrity.chain(heads.get(subject, integrity.GENESIS), subject, headers, data)
        heads[subject] = headers[integrity.HASH_HEADER]
        log.append((seq, subject, headers, data))
    return log


def findings(log, last_seq=None, checkpoints=()):
    verifier = Verifier(checkpoints)
    for message in log:
        verifier.feed(*message)
    return [(f.seq, f.kind) for f in verifier.finish(last_seq or log[-1][0])]


def head_at(log, upto):
    head = integrity.GENESIS
    for seq, subject, headers, _ in log:
        if seq <= upto:
            head = integrity.fold(head, seq, subject, headers[integrity.HASH_HEADER])
    return head


logs = st.lists(st.sampled_from(SUBJECTS), min_size=3, max_size=40)


@given(logs)
def test_a_log_chained_as_append_chains_it_is_clean(subjects):
    log = chained(subjects)
    signed = integrity.sign(KEY, len(log), head_at(log, len(log)), "t")
    assert findings(log, checkpoints=[signed]) == []


@given(logs, st.data())
def test_a_deleted_message_is_named_at_its_sequence(subjects, data):
    log = chained(subjects)
    gone = data.draw(st.integers(1, len(log)))
    kept = [m for m in log if m[0] != gone]
    assert findings(kept, last_seq=len(log)) == [(gone, "removed")]


@given(logs, st.data())
def test_an_altered_copy_or_a_replayed_copy_appended_is_named(subjects, data):
    log = chained(subjects)
    _, subject, headers, body = log[data.draw(st.integers(0, len(log) - 1))]
    end = len(log) + 1
    altered = [*log, (end, subject, dict(headers), body + b" ")]
    assert findings(altered) == [(end, "altered")]
    replayed = [*log, (end, subject, dict(headers), body)]
    assert findings(replayed) == [(end, "reordered")]  # a copy of `seq`, stored again later


@given(logs, st.data())
def test_a_checkpoint_that_the_log_no_longer_matches_is_named(subjects, data):
    log = chained(subjects)
    at = data.draw(st.integers(1, len(log)))
    wrong = integrity.sign(KEY, at, "f" * 64, "t")
    assert findings(log, checkpoints=[wrong]) == [(at, "checkpoint")]


def test_verify_has_help(capsys):
    root = argparse.ArgumentParser(prog="grindstone")
    audit.add_parser(root.add_subparsers())
    with pytest.raises(SystemExit) as caught:
        root.parse_args(["audit", "verify", "--help"])
    assert caught.value.code == 0
    assert "--against" in capsys.readouterr().out
