"""Two subscriptions per process, on every submission event and every run event, routed in
memory to connections.

Each subscription is an ordered push consumer (DeliverPolicy NEW), so each message carries its
stream sequence. Events of students with no connection here are not even decoded; of a run's
events only its finish is sent (services/push/runs.py). Each connection has a bounded queue: a
client too slow to keep up is closed with a reason instead of slowing the others down; it
resumes with `?after=<the last seq it received>`.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

import msgspec
import nats.errors
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from events import RunFinished, codec, subjects
from services.push import runs, view
from services.push.states import SubmissionStates, readable

log = logging.getLogger(__name__)

CLOSE_GOING_AWAY = 1001
CLOSE_INTERNAL = 1011
CLOSE_TRY_LATER = 1013

# (stream seq, the message as JSON); no seq: a message outside the catch-up (a run's), always sent
Outgoing = tuple[int | None, str]


Handler = Callable[[int, str, bytes, Mapping[str, str] | None], Awaitable[None]]


class Closing(msgspec.Struct, frozen=True):
    code: int
    reason: str


class Connection:
    """One client's queue of messages; whoever fills it never waits."""

    def __init__(self, user_id: str, size: int) -> None:
        self.user_id = user_id
        self.size = size
        self.queue: asyncio.Queue[Outgoing | Closing] = asyncio.Queue()

    def offer(self, items: list[Outgoing]) -> bool:
        """Queue all the items, or none of them when they do not fit."""
        if self.queue.qsize() + len(items) > self.size:
            return False
        for item in items:
            self.queue.put_nowait(item)
        return True

    def close(self, code: int, reason: str) -> None:
        """Drop what is still queued (the client resumes from its last seq) and ask to close."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(Closing(code, reason))


class Router:
    """Connections by student id."""

    def __init__(self) -> None:
        self._by_user: dict[str, set[Connection]] = {}

    def add(self, conn: Connection) -> None:
        self._by_user.setdefault(conn.user_id, set()).add(conn)

    def remove(self, conn: Connection) -> None:
        conns = self._by_user.get(conn.user_id, set())
        conns.discard(conn)
        if not conns:
            self._by_user.pop(conn.user_id, None)

    def listening(self, user_id: str) -> bool:
        return user_id in self._by_user

    def deliver(self, user_id: str, items: list[Outgoing]) -> None:
        for conn in tuple(self._by_user.get(user_id, ())):
            if not conn.offer(items):
                log.info("closing a connection that fell %d messages behind", conn.size)
                self.remove(conn)
                conn.close(CLOSE_TRY_LATER, "Too far behind; reconnect with ?after=<last seq>.")

    def close_user(self, user_id: str, code: int, reason: str) -> None:
        for conn in self._by_user.pop(user_id, set()):
            conn.close(code, reason)

    def close_all(self, code: int, reason: str) -> None:
        for user_id in list(self._by_user):
            self.close_user(user_id, code, reason)


class Fanout:
    """The process's one subscription: folds listened-to students' events and routes them."""

    def __init__(self, js: JetStreamContext, cache_size: int) -> None:
        self.router = Router()
        self.failed = False
        self._js = js
        self._states = SubmissionStates(js, cache_size)
        self._position = 0
        self._run_position = 0
        self._subs: list[JetStreamContext.PushSubscription] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        # a consumer reset before the first message restarts at seq 1: skip up to here
        info = await self._js.stream_info(subjects.EVENTS_STREAM)
        self._position = self._run_position = info.state.last_seq
        for filter_subject, handle in (
            (subjects.SUBMISSIONS_FILTER, self.handle),
            (subjects.RUNS_FILTER, self.handle_run),
        ):
            sub = await self._js.subscribe(
                filter_subject,
                stream=subjects.EVENTS_STREAM,
                ordered_consumer=True,
                deliver_policy=DeliverPolicy.NEW,
            )
            self._subs.append(sub)
            self._tasks.append(asyncio.create_task(self._run(sub, handle), name="push-fanout"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for sub in self._subs:
            await sub.unsubscribe()
        self.router.close_all(CLOSE_GOING_AWAY, "The server is restarting; reconnect with ?after=.")

    async def handle(
        self, seq: int, subject: str, data: bytes, headers: Mapping[str, str] | None
    ) -> None:
        """Route one stream message to the connections of its student."""
        if seq <= self._position:
            return  # delivered again after a consumer reset
        self._position = seq
        try:
            user_id, _ = subjects.ids_of(subject)
        except ValueError:
            return  # not a submission subject: nothing a student sees
        if not self.router.listening(user_id):
            self._states.forget(subject)  # it misses this event; rebuilt if ever needed
            return
        event = await readable(self._js, seq, subject, data, headers)
        if event is None:
            return
        try:
            messages = await self._states.apply(subject, seq, event)
        except (nats.errors.Error, TimeoutError):
            # the submission's past could not be read: its clients catch up on reconnecting
            log.warning("could not read a submission's past; closing its student's connections")
            self._states.forget(subject)
            self.router.close_user(user_id, CLOSE_TRY_LATER, "Missed an update; reconnect.")
            return
        self.router.deliver(user_id, [(m.seq, view.to_json(m)) for m in messages])

    async def handle_run(
        self, seq: int, subject: str, data: bytes, headers: Mapping[str, str] | None
    ) -> None:
        """Send a run's finish to the connections of its student."""
        if seq <= self._run_position:
            return  # delivered again after a consumer reset
        self._run_position = seq
        if codec.wire_name(headers) != runs.FINISHED:
            return  # a request (its code) or a start: nothing a client is sent
        try:
            user_id, _ = subjects.ids_of(subject)
        except ValueError:
            return
        if not self.router.listening(user_id):
            return
        event = await readable(self._js, seq, subject, data, headers)
        if not isinstance(event, RunFinished):
            return
        try:
            message = await runs.finished(self._js, seq, subject, event)
        except (nats.errors.Error, TimeoutError):
            log.warning("could not read run %s's request; its page reads it instead", subject)
            return
        if message is not None:
            self.router.deliver(user_id, [(None, runs.to_json(message))])

    async def _run(self, sub: JetStreamContext.PushSubscription, handle: Handler) -> None:
        try:
            async for msg in sub.messages:
                seq = msg.metadata.sequence.stream
                try:
                    await handle(seq, msg.subject, msg.data, msg.headers)
                except Exception:  # one message must not end the live updates of everyone
                    log.exception("routing event %d failed; going on", seq)
            log.error("the fan-out subscription ended; /ws/health now reports it")
        except Exception:
            log.exception("the fan-out stopped; /ws/health now reports it")
        self.failed = True
        self.router.close_all(CLOSE_INTERNAL, "Live updates stopped; try again later.")
