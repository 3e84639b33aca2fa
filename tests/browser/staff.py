"""Steps for the staff pages' tests: tokens, a student's history made through the API, and
signing in on /ops/ or /audit/ (names the pages give: the field "Staff token", the button
"Sign in"; web/README.md)."""

import time
from uuid import uuid4

import httpx
from playwright.sync_api import Page, expect

from common import auth
from grindstone_cli import stack

GRADED_TIMEOUT_S = 30.0
VERDICTS = {"passed", "failed", "error"}


def token(system: stack.System, role: auth.Role) -> str:
    return auth.issue(
        system.env["GRINDSTONE_SECRET"], auth.Identity(uuid4(), role)
    )  # the services'


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def sign_in(page: Page, url: str, value: str) -> None:
    page.goto(url)
    page.get_by_label("Staff token").fill(value)
    page.get_by_role("button", name="Sign in").click()


class Student:
    """A student working through the API: submits, waits for verdicts, deletes."""

    def __init__(self, system: stack.System) -> None:
        self.http = httpx.Client(base_url=system.url, timeout=10)
        answer = self.http.post("/api/sessions", headers={"Content-Type": "application/json"})
        answer.raise_for_status()
        self.user_id = answer.json()["user_id"]
        self.headers = bearer(answer.json()["token"])

    def __enter__(self) -> "Student":
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def first_assignment(self) -> dict:
        return self.http.get("/api/assignments", headers=self.headers).json()[0]

    def submit(self, assignment_id: str, code: str) -> str:
        body = {"assignment_id": assignment_id, "code": code}
        answer = self.http.post("/api/submissions", json=body, headers=self.headers)
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])

    def submission(self, submission_id: str) -> dict:
        return self.http.get(f"/api/submissions/{submission_id}", headers=self.headers).json()

    def wait_graded(self, submission_id: str, attempt_at_least: int = 1) -> dict:
        """The submission once it has a verdict (read through the query API, polled)."""
        deadline = time.monotonic() + GRADED_TIMEOUT_S
        while time.monotonic() < deadline:
            found = self.submission(submission_id)
            if found.get("status") in VERDICTS and found.get("graded_at"):
                return found
            time.sleep(0.1)
        raise AssertionError(f"{submission_id} not graded: {self.submission(submission_id)}")

    def delete(self, submission_id: str) -> None:
        answer = self.http.delete(f"/api/submissions/{submission_id}", headers=self.headers)
        assert answer.status_code == 204, answer.text


def expect_refused(page: Page, role: str) -> None:
    """The page's sentence for a student's token, and the sign-in form back."""
    expect(page.get_by_role("alert")).to_contain_text(f"This page is for {role}s only")
    expect(page.get_by_label("Staff token")).to_be_visible()
