"""Push never stops on an event it cannot read: live, on replay and when folding a submission's
past it skips it, sets it aside once (across replicas) and goes on."""

import httpx
import msgspec

from common import embedded, setaside
from tests import poison
from tests.integration.push.conftest import append, receive, serving, student_socket
from tests.unit.push.builders import Story


async def set_aside(js) -> list[tuple[int, str]]:
    return [(r.seq, r.subject) for r in await setaside.records(js, "push")]


async def test_events_it_cannot_read_are_set_aside_and_live_updates_go_on(push, js):
    ann, bob = Story(), Story()
    async with (
        student_socket(push, ann.user_id) as ann_ws,
        student_socket(push, bob.user_id) as bob_ws,
    ):
        bad = [
            *await poison.publish(js, ann.subject, ann.created()),
            *await poison.publish(js, bob.subject, bob.started()),
        ]
        seqs = [
            await append(js, ann.subject, ann.created()),
            await append(js, bob.subject, bob.created()),
        ]
        assert (await receive(ann_ws))["seq"] == seqs[0]
        assert (await receive(bob_ws))["seq"] == seqs[1]
    async with httpx.AsyncClient(base_url=push.http_url) as http:
        assert (await http.get("/ws/health")).status_code == 200
    records = await setaside.records(js, "push")
    subjects = [ann.subject] * len(poison.KINDS) + [bob.subject] * len(poison.KINDS)
    assert [(r.seq, r.subject) for r in records] == [
        (seq, subject) for (seq, _), subject in zip(bad, subjects, strict=True)
    ]
    for record, (_, kind) in zip(records, bad, strict=True):
        assert kind.reason in record.reason, (kind.kind, record.reason)


async def test_two_replicas_set_each_event_aside_once_and_both_go_on(push_settings, js):
    ann = Story()
    other = msgspec.structs.replace(push_settings, port=embedded.free_port())
    async with (
        serving(push_settings) as one,
        serving(other) as two,
        student_socket(one, ann.user_id) as ws_one,
        student_socket(two, ann.user_id) as ws_two,
    ):
        bad = await poison.publish(js, ann.subject, ann.created())
        seq = await append(js, ann.subject, ann.created())
        assert (await receive(ws_one))["seq"] == seq
        assert (await receive(ws_two))["seq"] == seq
    assert await set_aside(js) == [(s, ann.subject) for s, _ in bad]


async def test_a_replay_skips_what_it_cannot_read_and_sets_it_aside_once(push, js):
    ann = Story()
    seqs = [await append(js, ann.subject, ann.created())]
    bad = await poison.publish(js, ann.subject, ann.started())
    seqs.append(await append(js, ann.subject, ann.started()))
    for _ in range(2):  # the second replay meets them again: still recorded once
        async with student_socket(push, ann.user_id, after=0) as ws:
            assert [(await receive(ws))["seq"] for _ in seqs] == seqs
    assert await set_aside(js) == [(s, ann.subject) for s, _ in bad]


async def test_a_submission_past_folded_from_the_stream_skips_what_it_cannot_read(push, js):
    ann = Story()
    await append(js, ann.subject, ann.created())
    bad = await poison.publish(js, ann.subject, ann.started())  # no one listens yet
    async with student_socket(push, ann.user_id) as ws:
        seq = await append(js, ann.subject, ann.started())
        message = await receive(ws)
    assert (message["type"], message["seq"]) == ("submission.grading", seq)
    assert message["submission"]["code"] == ann.code  # folded from the Created before it
    # the fan-out may still be receiving the large one as the student connects: it, or the
    # fold, sets that one aside first
    assert sorted(await set_aside(js)) == [(s, ann.subject) for s, _ in bad]
