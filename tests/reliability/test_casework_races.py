"""Officers acting on one complaint at the same moment, against a real threaded server: one of them wins.

Eight signed-in officers each open the case page and press the same button at once (a referral to
the same regulator, the same status change, or rival status changes). Exactly one action happens
and is recorded once; the others are told why on the case page (422), never a 500. Runs on
SQLite, and on PostgreSQL when TEST_DATABASE_URL names a server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, EventKind, Referral
from tests.conftest import make_test_app
from tests.databases import own_database
from tests.factories import ComplaintFactory
from tests.factories_officer import make_officer
from tests.reliability.officer_browser import Answer, OfficerBrowser
from tests.reliability.served import served_on_localhost

PARALLEL = 8


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The app with CSRF on, on a database of its own, served by a threaded server on 127.0.0.1."""
    instance = tmp_path_factory.mktemp("casework-races")
    with own_database(instance / "races.db", prefix="cw_casework_races") as url:
        app = make_test_app(instance, url, RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=True)
        with served_on_localhost(app, "casework-race-server") as base:
            yield app, base


@pytest.fixture(scope="module")
def officers(served: tuple[Flask, str]) -> list[OfficerBrowser]:
    """PARALLEL officers, each signed in in a browser of their own."""
    app, base = served
    browsers = []
    for n in range(PARALLEL):
        with app.app_context():
            officer = make_officer(email=f"race-officer-{n}@example.test")
            email, secret = officer.email, officer.totp_secret
        browser = OfficerBrowser(base)
        browser.sign_in(email, secret)
        browsers.append(browser)
    return browsers


def fire(shots: list[tuple[OfficerBrowser, str, list[tuple[str, str]]]]) -> list[Answer]:
    """POST each form from its own thread, all released at once; the answers in the order given."""
    start = threading.Barrier(len(shots))
    answers: list[Answer | None] = [None] * len(shots)

    def post(index: int, browser: OfficerBrowser, path: str, form: list[tuple[str, str]]) -> None:
        start.wait()
        answers[index] = browser.request(path, form)

    threads = [threading.Thread(target=post, args=(i, *shot)) for i, shot in enumerate(shots)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "a request did not come back"
    return [answer for answer in answers if answer is not None]


def one_winner(answers: list[Answer]) -> Answer:
    """The one 303 among the answers; every other one a 422 that re-shows the case page."""
    statuses = sorted(answer.status for answer in answers)
    assert statuses == [303] + [422] * (len(answers) - 1), f"statuses {statuses}"
    return next(answer for answer in answers if answer.status == 303)


def status_changes(app: Flask, complaint_id: int) -> list[dict[str, object]]:
    """The complaint's recorded status changes, oldest first."""
    with app.app_context():
        events = db.session.scalars(
            select(CaseEvent)
            .where(CaseEvent.complaint_id == complaint_id, CaseEvent.kind == EventKind.STATUS_CHANGED)
            .order_by(CaseEvent.id)
        )
        return [dict(event.data) for event in events]


def complaint_in(app: Flask, status: str) -> tuple[int, str]:
    """A fresh complaint in `status`: its id and its case page."""
    with app.app_context():
        complaint = ComplaintFactory(status=status)
        return complaint.id, f"/officer/complaints/{complaint.id}"


def test_the_same_referral_sent_by_eight_officers_at_once_is_recorded_once(
    served: tuple[Flask, str], officers: list[OfficerBrowser]
) -> None:
    app, _base = served
    complaint_id, page = complaint_in(app, "accepted")
    forms = [browser.form(page, "/refer") for browser in officers]
    answers = fire(
        [
            (browser, form.action, form.filled(regulator="SAMR", channel="hotline"))
            for browser, form in zip(officers, forms, strict=True)
        ]
    )
    one_winner(answers)
    for refused in (answer for answer in answers if answer.status == 422):
        assert "already referred to SAMR" in refused.body
    with app.app_context():
        referrals = db.session.scalars(select(Referral).where(Referral.complaint_id == complaint_id)).all()
        assert [r.regulator_code for r in referrals] == ["SAMR"]
        assert db.session.get(Complaint, complaint_id).status == "referred"  # type: ignore[union-attr]
    changes = status_changes(app, complaint_id)
    assert [(c["action"], c["regulator"], c["referral_id"]) for c in changes] == [("refer", "SAMR", referrals[0].id)]


def test_the_same_acceptance_by_eight_officers_at_once_moves_the_complaint_once(
    served: tuple[Flask, str], officers: list[OfficerBrowser]
) -> None:
    app, _base = served
    complaint_id, page = complaint_in(app, "submitted")
    forms = [browser.form(page, "/accept") for browser in officers]
    answers = fire([(browser, form.action, form.filled()) for browser, form in zip(officers, forms, strict=True)])
    one_winner(answers)
    for refused in (answer for answer in answers if answer.status == 422):
        assert "This complaint is now Accepted: this action no longer applies" in refused.body
    assert [(c["action"], c["from"], c["to"]) for c in status_changes(app, complaint_id)] == [
        ("accept", "submitted", "accepted")
    ]
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint is not None and complaint.status == "accepted" and complaint.accepted_at is not None


def test_rival_status_changes_at_once_leave_one_decision_and_a_status_that_matches_it(
    served: tuple[Flask, str], officers: list[OfficerBrowser]
) -> None:
    """Half the officers accept, half reject as spam: one decision stands, and the status is its outcome."""
    app, _base = served
    complaint_id, page = complaint_in(app, "submitted")
    shots = []
    for n, browser in enumerate(officers):
        if n % 2:
            form = browser.form(page, "/reject")
            reason = {"reject-resolution": "rejected_spam", "reject-text": "Advertising, not a complaint."}
            shots.append((browser, form.action, form.filled(**reason)))
        else:
            form = browser.form(page, "/accept")
            shots.append((browser, form.action, form.filled()))
    answers = fire(shots)
    one_winner(answers)
    for refused in (answer for answer in answers if answer.status == 422):
        assert "this action no longer applies" in refused.body
    changes = status_changes(app, complaint_id)
    assert len(changes) == 1, changes
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint is not None
        assert complaint.status == changes[0]["to"]
        assert complaint.resolution == changes[0].get("resolution")
