"""A finished ungraded run on /ws: `{"type": "run.finished", "run": {...}}` to its student only,
once, beside their submissions' messages (which it never disturbs)."""

from uuid import UUID, uuid4

from events import subjects
from tests.integration.projector.history import FAILED_RUN, Run, at
from tests.integration.push.conftest import append, receive, student_socket
from tests.unit.push.builders import Story


async def append_run(js, run: Run, *events) -> list[int]:
    return [await append(js, subjects.run(run.user_id, run.run_id), event) for event in events]


async def test_a_finished_run_reaches_its_students_socket_and_no_one_elses(push, js):
    ann, bob = uuid4(), uuid4()
    run = Run(ann, uuid4())
    async with student_socket(push, ann) as ann_ws, student_socket(push, bob) as bob_ws:
        await append_run(js, run, run.requested(), run.started(), run.finished(output=FAILED_RUN))
        message = await receive(ann_ws)
        # a submission of each after it: the first thing bob hears is his own
        mine, his = Story(user_id=ann), Story(user_id=bob)
        await append(js, mine.subject, mine.created())
        await append(js, his.subject, his.created())
        ann_next, bob_first = await receive(ann_ws), await receive(bob_ws)
    assert message == {
        "type": "run.finished",
        "run": {
            "id": str(run.run_id),
            "assignment_id": str(run.assignment_id),
            "status": "finished",
            "stdout": "before\n",
            "stderr": "Traceback ...\n",
            "value": None,
            "error": {
                "error": "ZeroDivisionError: division by zero",
                "line": 2,
                "source_line": "1 / 0",
            },
            "limit": None,
            "time_ms": 7,
            "created_at": at(0).isoformat().replace("+00:00", "Z"),  # its request's time
        },
    }
    # nothing of the request or the start came before the finish, nor anything after it
    assert (ann_next["type"], ann_next["submission"]["id"]) == (
        "submission.created", str(mine.submission_id),
    )  # fmt: skip
    assert (bob_first["type"], bob_first["submission"]["id"]) == (
        "submission.created", str(his.submission_id),
    )  # fmt: skip


async def test_a_finish_repeated_is_sent_once(push, js):
    user = uuid4()
    run, next_run = Run(user, uuid4()), Run(user, uuid4())
    async with student_socket(push, user) as ws:
        await append_run(js, run, run.requested(), run.finished(), run.finished(minute=3))
        await append_run(js, next_run, next_run.requested(), next_run.finished())
        got = [await receive(ws), await receive(ws)]
    assert [(m["type"], m["run"]["id"]) for m in got] == [
        ("run.finished", str(run.run_id)),
        ("run.finished", str(next_run.run_id)),  # in the runs' order: the repeat gave nothing
    ]


async def test_a_resumed_connection_catches_up_submissions_and_still_hears_runs(push, js):
    user = uuid4()
    story, run = Story(user_id=user), Run(user, uuid4())
    (created,) = [await append(js, story.subject, story.created())]
    await append_run(js, run, run.requested())
    async with student_socket(push, user, after=0) as ws:
        replayed = await receive(ws)
        await append_run(js, run, run.finished())
        live = await receive(ws)
    assert (replayed["type"], replayed["seq"]) == ("submission.created", created)
    assert live["type"] == "run.finished" and UUID(live["run"]["id"]) == run.run_id
    assert "seq" not in live  # never where a client resumes its submissions from
