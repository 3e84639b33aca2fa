"""The assignments' answers kept in the process, encoded, and served before Litestar routes.

`GET /api/assignments/{id}` is the read every student's page makes. Its answer changes only
when the projector refreshes the assignment's Valkey key (an `AssignmentPublished`), so a copy
is good until Valkey says a key under `query:assignment_v3` changed (common/tracking.py): copies
are trusted only while that connection is live, and a copy filled from a read that an
invalidation overtook is not kept. A student's own writes never change an assignment, so the
read-your-write wait (the `grindstone_seq` cookie, the noted write) would only delay the same
answer; an explicit `after_seq` still takes the routed path, which waits as before.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from common import auth, readmodel
from common.tracking import Tracker

PREFIX = "/api/assignments/"
TEMPLATE = "/api/assignments/{assignment_id}"  # Litestar's, for the request metrics
WATCHED = readmodel.assignment_key("")[: -len(":")]  # "query:assignment_v3": each one

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
Answer = tuple[list[tuple[bytes, bytes]], bytes]  # headers, body


class Copies:
    def __init__(self) -> None:
        self.tracker: Tracker | None = None  # none yet: nothing is kept
        self.answers: dict[str, Answer] = {}
        self.epoch = 0  # moves on every change heard: a fill begun before one is not kept

    def follow(self, tracker: Tracker) -> None:
        self.tracker = tracker
        tracker.listen(self._changed)

    @property
    def live(self) -> bool:
        return self.tracker is not None and self.tracker.live

    def _changed(self, keys: list[str] | None) -> None:
        if keys is None or any(key.startswith(WATCHED) for key in keys):
            self.epoch += 1
            self.answers.clear()

    def get(self, assignment_id: str) -> Answer | None:
        return self.answers.get(assignment_id) if self.live else None

    def put(self, assignment_id: str, body: bytes, epoch: int) -> None:
        """Keep an answer read after `epoch` was taken, unless a change came since."""
        if self.live and epoch == self.epoch:
            headers = [(b"content-type", b"application/json")]
            headers.append((b"content-length", str(len(body)).encode()))
            self.answers[assignment_id] = (headers, body)


def _signed_in(secret: str, headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request carries a valid token."""
    authorization = cookie = None
    for name, value in headers:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"cookie":
            cookie = value.decode("latin-1")
    session = auth.cookie_value(cookie) if cookie else None
    return auth.from_request(secret, authorization, session) is not None


def serve_copies(inner: ASGIApp, copies: Copies, secret: str) -> ASGIApp:
    """Answer a signed-in GET of a copied assignment at once; anything else goes to `inner`."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope["query_string"]
            and scope["path"].startswith(PREFIX)
        ):
            answer = copies.get(scope["path"][len(PREFIX) :])
            if answer is not None and _signed_in(secret, scope["headers"]):
                scope["path_template"] = TEMPLATE
                headers, body = answer
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await inner(scope, receive, send)

    return app
