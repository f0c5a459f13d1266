"""Who the platform loop tells by mail, and when: through the real views, the outbox and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.casework import platform_loop, triage
from complaints.casework.triage import TriageDecision
from complaints.core import clock
from complaints.extensions import db
from complaints.intake.filing import withdraw_complaint
from complaints.intake.storage import evidence_store
from complaints.models import Complaint, OutboxMessage
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin, make_officer, make_responder, sign_in
from tests.support.smtp_server import SmtpServer

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
CONSUMER = "lin.fictional@example.org"
_ACCOUNTS = itertools.count(1)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    instant = [START]
    monkeypatch.setattr(clock, "utc_now", lambda: instant[0])
    return instant


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def kinds_to(recipient: str) -> list[str]:
    return [m.kind for m in outbox() if m.recipient == recipient]


def accept(complaint: Complaint, *, send: bool = True) -> None:
    officer = make_officer(f"triage{next(_ACCOUNTS)}@example.org")
    triage.accept(complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=send), by=officer)
    db.session.commit()


def test_sending_tells_each_active_responder_of_the_platform_and_no_one_else() -> None:
    platform, other = PlatformFactory(), PlatformFactory()
    desk = make_responder(platform.id, "desk@example.org")
    retired = make_responder(platform.id, "retired@example.org")
    retired.active = False
    make_responder(other.id, "elsewhere@example.org")
    db.session.commit()
    complaint = ComplaintFactory(platform=platform)
    accept(complaint)
    told = [m for m in outbox() if m.kind == "responder_new_complaint"]
    assert [m.recipient for m in told] == [desk.email]
    assert complaint.reference in told[0].body and f"/respond/complaints/{complaint.reference}" in told[0].body
    assert complaint.narrative not in told[0].body


def test_the_consumer_who_agreed_is_told_of_status_changes_and_the_answer_but_not_of_their_own_steps() -> None:
    complaint = ComplaintFactory(contact_email=CONSUMER, consent_contact=True, language="en")
    accept(complaint)
    assert kinds_to(CONSUMER) == ["consumer_status_changed"]
    assert complaint.platform_id is not None
    platform_loop.respond(complaint, make_responder(complaint.platform_id), "explanation", "Our explanation.")
    db.session.commit()
    assert kinds_to(CONSUMER) == ["consumer_status_changed", "consumer_answered"]
    answered = outbox()[-1]
    assert "Our explanation." not in answered.body and answered.language == "en"
    withdraw_complaint(complaint, delete_evidence=False, store=evidence_store())
    db.session.commit()
    assert kinds_to(CONSUMER) == ["consumer_status_changed", "consumer_answered"], "not told of their own withdrawal"


def test_no_consent_to_contact_means_no_mail_even_with_an_address() -> None:
    complaint = ComplaintFactory(contact_email=CONSUMER, consent_contact=False)
    accept(complaint)
    assert complaint.platform_id is not None
    platform_loop.respond(complaint, make_responder(complaint.platform_id), "explanation", "Our explanation.")
    db.session.commit()
    assert kinds_to(CONSUMER) == []


def test_a_refused_triage_writes_no_mail(en_client: FlaskClient) -> None:
    afraid = ComplaintFactory(fears_retaliation=True, contact_email=CONSUMER, consent_contact=True)
    make_responder(afraid.platform_id, "desk@example.org")  # type: ignore[arg-type]
    sign_in(en_client, make_officer("triager@example.org"))
    form = {
        "codes": ["ABU-01"],
        "primary_code": "ABU-01",
        "severity": "normal",
        "new_platform_kind": "other",
        "new_collector_kind": "unknown",
        "send_to_platform": "y",
    }
    assert en_client.post(f"/officer/complaints/{afraid.id}/accept", data=form).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_overdue_answers_are_reminded_once_to_the_assignee_or_else_every_supervisor(frozen: list[dt.datetime]) -> None:
    chief, deputy = make_admin("chief@example.org"), make_admin("deputy@example.org")
    mine = make_officer("mine@example.org")
    assigned, unassigned, answered = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    for complaint in (assigned, unassigned, answered):
        accept(complaint)
    triage.assign(assigned, mine, by=chief)
    assert answered.platform_id is not None
    platform_loop.respond(answered, make_responder(answered.platform_id), "explanation", "Our explanation.")
    db.session.commit()
    frozen[0] = START + dt.timedelta(days=15)
    assert platform_loop.remind_overdue(frozen[0]) == 0, "not overdue until the deadline has passed"
    frozen[0] = START + dt.timedelta(days=16)
    assert platform_loop.remind_overdue(frozen[0]) == 2
    db.session.commit()
    reminders = {m.recipient: m.body for m in outbox() if m.kind == "officer_overdue"}
    assert set(reminders) == {mine.email, chief.email, deputy.email}
    assert assigned.reference in reminders[mine.email] and unassigned.reference not in reminders[mine.email]
    assert unassigned.reference in reminders[chief.email] and assigned.reference not in reminders[chief.email]
    assert platform_loop.remind_overdue(START + dt.timedelta(days=17)) == 0, "each complaint is reminded of once"


def test_send_mail_reminds_and_delivers_to_a_real_smtp_server(
    app: Flask, smtp_server: SmtpServer, frozen: list[dt.datetime]
) -> None:
    make_admin("chief@example.org")
    complaint = ComplaintFactory(contact_email=CONSUMER, consent_contact=True, language="zh_Hans")
    assert complaint.platform_id is not None
    make_responder(complaint.platform_id, "desk@example.org")
    accept(complaint)
    frozen[0] = START + dt.timedelta(days=16)
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    delivered = {tuple(m.rcpt_tos): m for m in smtp_server.delivered}
    assert set(delivered) == {(CONSUMER,), ("desk@example.org",), ("chief@example.org",)}
    assert complaint.reference in delivered[("chief@example.org",)].text
    assert complaint.reference in str(delivered[(CONSUMER,)].email["Subject"])
    assert all(m.sent_at is not None for m in outbox())
