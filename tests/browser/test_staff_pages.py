"""The staff pages in Chromium against the whole system: /audit/ shows a student's history
with a re-grade and a deletion; /ops/ shows a new submission live and re-grades from the page;
both refuse a student's token with a sentence."""

import json
import time
import uuid

from playwright.sync_api import Page, expect

from grindstone_cli import stack
from tests.browser import journey, staff

TIMEOUT_MS = 30_000


def graded_events(student: staff.Student, auditor: str, submission_id: str) -> list[dict]:
    answer = student.http.get(
        f"/api/audit/events?submission_id={submission_id}", headers=staff.bearer(auditor)
    )
    assert answer.status_code == 200, answer.text
    return [e for e in answer.json()["items"] if e["type"] == "SubmissionGraded"]


def wait_for_verdicts(student: staff.Student, auditor: str, submission_id: str, n: int) -> None:
    deadline = time.monotonic() + staff.GRADED_TIMEOUT_S
    while len(graded_events(student, auditor, submission_id)) < n:
        if time.monotonic() > deadline:
            answer = student.http.get(
                f"/api/audit/events?submission_id={submission_id}", headers=staff.bearer(auditor)
            )
            types = [(e["seq"], e["type"]) for e in answer.json()["items"]]
            raise AssertionError(f"{submission_id}: fewer than {n} verdicts in {types}")
        time.sleep(0.2)


def test_an_auditor_sees_a_history_with_a_regrade_a_deletion_and_the_diff(
    system: stack.System, page: Page
):
    with staff.Student(system) as student:
        assignment = student.first_assignment()
        record = journey.CURRICULUM[assignment["title"]]
        first = student.submit(assignment["id"], record["wrong_solution"])
        student.wait_graded(first)
        second = student.submit(assignment["id"], record["solution"])
        student.wait_graded(second)
        operator, auditor = staff.token(system, "operator"), staff.token(system, "auditor")
        regraded = student.http.post(
            "/api/ops/regrades",
            json={"assignment_id": assignment["id"]},
            headers=staff.bearer(operator),
        )
        assert regraded.status_code == 202, regraded.text
        for submission in (first, second):  # re-grades are taken in no set order
            wait_for_verdicts(student, auditor, submission, 2)
        student.delete(first)

        staff.sign_in(page, system.url + "/audit/", auditor)
        page.get_by_label("A student").check()
        page.get_by_label("Id", exact=True).fill(student.user_id)
        page.get_by_role("button", name="Look up").click()

        expect(page.get_by_role("status", name="Chain")).to_contain_text(
            "The chain verifies", timeout=TIMEOUT_MS
        )
        older = page.get_by_role("article", name=f"Submission {first}")
        newer = page.get_by_role("article", name=f"Submission {second}")
        expect(older.get_by_text("Deleted by the student")).to_be_visible()
        newer_events = newer.get_by_role("list", name="Events").get_by_role("listitem")
        expect(newer_events.filter(has_text="Verdict: passed (attempt 1)")).to_contain_text(
            "superseded"
        )
        expect(newer_events.filter(has_text="Re-grade requested (attempt 2)")).to_have_count(1)
        expect(newer_events.filter(has_text="Verdict: passed (attempt 2)")).not_to_contain_text(
            "superseded"
        )
        older_events = older.get_by_role("list", name="Events").get_by_role("listitem")
        expect(older_events.filter(has_text="Verdict: failed (attempt 1)")).to_contain_text(
            "superseded"
        )
        expect(older_events.filter(has_text="Verdict: failed (attempt 2)")).to_have_count(1)
        stored = student.http.get(
            f"/api/audit/events?user_id={student.user_id}", headers=staff.bearer(auditor)
        ).json()["items"]
        deletion = next(e for e in stored if e["type"] == "SubmissionDeleted")
        expect(older_events.last).to_contain_text(f"seq {deletion['seq']}")
        expect(older_events.last).to_contain_text("Deleted by the student")
        diff = newer.get_by_label(f"Diff of submission {second}")
        expect(diff.locator(".diff-removed").first).to_be_visible()
        expect(diff.locator(".diff-added").first).to_be_visible()

        with page.expect_download() as download:
            page.get_by_role("button", name="Export JSON Lines").click()
        lines = download.value.path().read_text().splitlines()
        exported = [json.loads(line) for line in lines]
        seqs = [event["seq"] for event in exported]
        assert seqs == [e["seq"] for e in stored]  # every event shown, in stream order
        assert {e["payload"]["submission_id"] for e in exported} == {first, second}
        assert "SubmissionDeleted" in {e["type"] for e in exported}

        nobody = str(uuid.uuid4())
        page.get_by_label("Id", exact=True).fill(nobody)
        page.get_by_role("button", name="Look up").click()
        expect(page.get_by_role("status", name="Chain")).to_have_text(
            f"No stored events for {nobody}."
        )
        expect(page.get_by_role("article")).to_have_count(0)
        page.get_by_label("A submission").check()  # one submission: with its student's others
        page.get_by_label("Id", exact=True).fill(second)
        page.get_by_role("button", name="Look up").click()
        expect(page.get_by_role("article")).to_have_count(2)
        expect(page.get_by_role("article", name=f"Submission {first}")).to_be_visible()


def test_an_operator_sees_a_new_submission_live_and_regrades_from_the_page(
    system: stack.System, page: Page
):
    with staff.Student(system) as student:
        assignment = student.first_assignment()
        record = journey.CURRICULUM[assignment["title"]]
        staff.sign_in(page, system.url + "/ops/", staff.token(system, "operator"))
        table = page.get_by_role("table")
        expect(table.get_by_role("row", name=assignment["title"])).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_text("Graders")).to_be_visible()

        submitted = student.submit(assignment["id"], record["solution"])
        live = page.get_by_role("list", name="Live submissions").get_by_role("listitem")
        arrived = live.filter(has_text=student.user_id[:8])
        expect(arrived).to_have_count(1, timeout=TIMEOUT_MS)
        expect(arrived).to_contain_text("passed", timeout=TIMEOUT_MS)
        student.wait_graded(submitted)

        page.get_by_role("button", name=f"Re-grade {assignment['title']}").click()
        page.get_by_role("button", name=f"Confirm re-grade of {assignment['title']}").click()
        expect(page.get_by_role("status").filter(has_text="Re-grade of")).to_contain_text(
            "requested", timeout=TIMEOUT_MS
        )
        auditor = staff.token(system, "auditor")
        events = student.http.get(
            f"/api/audit/events?submission_id={submitted}", headers=staff.bearer(auditor)
        ).json()["items"]
        regrades = [e for e in events if e["type"] == "SubmissionRegradeRequested"]
        assert len(regrades) == 1 and regrades[0]["payload"]["requested_by"].startswith("operator ")
        expect(arrived).to_contain_text("attempt 2", timeout=TIMEOUT_MS)


def test_the_staff_pages_refuse_a_students_token_with_a_sentence(system: stack.System, page: Page):
    with staff.Student(system) as student:
        held = student.headers["Authorization"].removeprefix("Bearer ")
        staff.sign_in(page, system.url + "/ops/", held)
        staff.expect_refused(page, "operator")
        staff.sign_in(page, system.url + "/audit/", held)
        page.get_by_label("Id", exact=True).fill(student.user_id)
        page.get_by_role("button", name="Look up").click()
        staff.expect_refused(page, "auditor")
