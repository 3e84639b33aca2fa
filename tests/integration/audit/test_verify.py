"""`grindstone audit verify` against a real NATS JetStream: tampering done through the server's
own API is named by kind and stream sequence; an untampered log verifies clean."""

import argparse
import asyncio
import json
import uuid

from common import checkpoints
from common import nats as gnats
from events import codec, integrity, subjects
from grindstone_cli import audit
from tests.conftest import SECRET
from tests.integration.projector.history import Submission, append, published, subject_of

KEY = integrity.checkpoint_key(SECRET)


async def verify(js, capsys, exported=(), key=KEY):
    """(exit status, [(seq, kind)] of the failing findings, every finding)."""
    status = await audit.verify(js, list(exported), key, as_json=True)
    document = json.loads(capsys.readouterr().out)
    failing = [(f["seq"], f["kind"]) for f in document["findings"] if f["kind"] != "unchained"]
    return status, failing, document["findings"]


async def lessons(js, students=3):
    """Some students' submissions, each with its events; the seqs in order."""
    assignment = uuid.uuid4()
    subs = [Submission(uuid.uuid4(), assignment) for _ in range(students)]
    seqs = await append(js, published(assignment, 1))
    for sub in subs:
        seqs += await append(js, sub.created(), sub.started(), sub.graded("failed"))
    return subs, seqs


def without_nats_headers(headers):
    return {k: v for k, v in headers.items() if not k.startswith("Nats-")}


async def stored(js, seq):
    return await js.get_msg(subjects.EVENTS_STREAM, seq=seq, direct=True)


async def test_an_untampered_log_with_concurrent_appends_verifies_clean(js, capsys):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    await append(js, sub.created())

    async def writer(n):
        done = 0
        while done < 15:  # each append expects the subject's last seq, as services do
            last = await gnats.last_message(js, subject_of(sub.created()))
            try:
                await gnats.append(
                    js, subject_of(sub.created()), sub.regrade(attempt=n), msg_id=str(uuid.uuid4()),
                    expected_seq=last.seq,
                )  # fmt: skip
                done += 1
            except gnats.ConcurrencyError:
                continue

    await asyncio.gather(*(writer(n) for n in range(4)), lessons(js))
    assert await checkpoints.make(js, KEY, every_events=10) >= 2

    status, failing, found = await verify(js, capsys)

    assert (status, failing, found) == (0, [], [])


async def test_a_deleted_message_is_named_removed(js, capsys):
    _, seqs = await lessons(js)
    await js.delete_msg(subjects.EVENTS_STREAM, seqs[5])

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(seqs[5], "removed")])


async def test_an_altered_copy_appended_is_named_altered(js, capsys):
    _, seqs = await lessons(js)
    original = await stored(js, seqs[1])
    changed = original.data.replace(b"print(1)", b"print('forged')")
    assert changed != original.data
    ack = await js.publish(
        original.subject, changed, headers=without_nats_headers(original.headers)
    )

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(ack.seq, "altered")])


async def test_a_forged_event_with_a_recomputed_hash_is_named_inserted(js, capsys):
    _, seqs = await lessons(js)
    original = await stored(js, seqs[2])  # a Started: it chains to the Created before it
    changed = original.data.replace(b'"g1"', b'"forger"')
    headers = without_nats_headers(original.headers)
    integrity.chain(headers[integrity.PREV_HEADER], original.subject, headers, changed)
    ack = await js.publish(original.subject, changed, headers=headers)

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(ack.seq, "inserted")])


async def test_a_purged_subject_is_named_removed_and_breaks_the_checkpoint(js, capsys):
    subs, seqs = await lessons(js)
    await checkpoints.make(js, KEY)
    gone = subject_of(subs[1].created())
    await js.purge_stream(subjects.EVENTS_STREAM, subject=gone)

    status, failing, _ = await verify(js, capsys)

    removed = [(seq, "removed") for seq in seqs[4:7]]
    assert (status, failing) == (1, sorted([*removed, (seqs[-1], "checkpoint")]))


async def test_an_older_event_republished_after_a_newer_one_is_named_reordered(js, capsys):
    _, seqs = await lessons(js)
    older = await stored(js, seqs[1])  # the first Created, republished after its Graded
    ack = await js.publish(older.subject, older.data, headers=without_nats_headers(older.headers))

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(ack.seq, "reordered")])


async def test_a_swapped_pair_is_named_reordered_and_removed(js, capsys):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    first, _ = await append(js, sub.created(), sub.started())
    moved = await stored(js, first)
    await js.delete_msg(subjects.EVENTS_STREAM, first)  # Created now comes after Started
    ack = await js.publish(moved.subject, moved.data, headers=without_nats_headers(moved.headers))

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(first, "removed"), (ack.seq, "reordered")])


async def test_events_from_before_integrity_are_unchained_and_fail_nothing_only_first(js, capsys):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    data, headers = codec.encode(sub.created())
    old = (await js.publish(subject_of(sub.created()), data, headers=headers)).seq
    await append(js, sub.started(), sub.graded())

    status, failing, found = await verify(js, capsys)
    assert (status, failing) == (0, [])
    assert [(f["seq"], f["kind"]) for f in found] == [(old, "unchained")]

    data, headers = codec.encode(sub.deleted())
    late = (await js.publish(subject_of(sub.created()), data, headers=headers)).seq
    status, failing, _ = await verify(js, capsys)
    assert (status, failing) == (1, [(late, "inserted")])


async def test_exported_checkpoints_hold_the_log_when_the_stored_ones_are_gone(
    js, capsys, tmp_path
):
    _, seqs = await lessons(js)
    await checkpoints.make(js, KEY)
    export = tmp_path / "checkpoints.jsonl"
    export.write_text(
        "".join(f"{json.dumps(c)}\n" for c in map(_plain, await checkpoints.stored(js)))
    )
    await js.purge_stream(subjects.AUDIT_CHECKPOINTS_STREAM)
    await js.delete_msg(subjects.EVENTS_STREAM, seqs[-1])

    status, failing, _ = await verify(js, capsys, audit._read_export(export))

    assert status == 1
    assert (seqs[-1], "removed") in failing
    assert [kind for seq, kind in failing if seq == seqs[-1]].count("checkpoint") == 2


async def test_a_checkpoint_not_signed_with_the_server_key_is_named(js, capsys):
    _, seqs = await lessons(js)
    await checkpoints.make(js, integrity.checkpoint_key("another secret"))

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(seqs[-1], "checkpoint")])


def _plain(checkpoint):
    return {f: getattr(checkpoint, f) for f in checkpoint.__struct_fields__}


async def test_the_commands_sign_export_and_verify_against_the_export(
    js, capsys, tmp_path, servers, monkeypatch
):
    monkeypatch.setenv("NATS_URL", servers.nats_url)
    monkeypatch.setenv("GRINDSTONE_SECRET", SECRET)
    _, seqs = await lessons(js)
    export = tmp_path / "export.jsonl"

    assert await invoke("checkpoint") == 0
    assert await invoke("checkpoints", "--json") == 0
    export.write_text(capsys.readouterr().out)
    assert await invoke("verify", "--against", str(export)) == 0
    assert capsys.readouterr().out == ""  # no finding, one per line
    await js.delete_msg(subjects.EVENTS_STREAM, seqs[2])
    assert await invoke("verify", "--against", str(export)) == 1

    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        [f"seq {seqs[2]}", "removed"],
        [f"seq {seqs[-1]}", "checkpoint"],
        [f"seq {seqs[-1]}", "checkpoint"],
    ]


async def invoke(*argv):
    root = argparse.ArgumentParser()
    audit.add_parser(root.add_subparsers())
    args = root.parse_args(["audit", *argv])
    return await args.run(args)


async def test_the_last_events_deleted_are_named_though_nothing_follows_them(js, capsys):
    subs, seqs = await lessons(js)
    await js.purge_stream(subjects.EVENTS_STREAM, subject=subject_of(subs[-1].created()))

    status, failing, _ = await verify(js, capsys)

    assert (status, failing) == (1, [(seq, "removed") for seq in seqs[-3:]])
