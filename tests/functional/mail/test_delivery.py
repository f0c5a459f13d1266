"""Mail from the outbox reaches a real SMTP server: in the recipient's language, once, whatever the server does."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from complaints.extensions import db
from complaints.mail import messages, outbox, sender, smtp
from complaints.models import Complaint, ComplaintStatus, OutboxMessage
from tests.factories import ComplaintFactory
from tests.support.smtp_server import SmtpServer

LINK = "https://collectwatch.example.org/status"


def soon() -> dt.datetime:
    """A moment just after the messages a test wrote (they are due from when they were written)."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)


def reread(row_id: int) -> OutboxMessage:
    """A row as stored now (`send-mail` closes the session, so earlier objects are detached)."""
    found = db.session.get(OutboxMessage, row_id, populate_existing=True)
    assert found is not None
    return found


def consumer_mail(n: int, language: str = "zh_Hans") -> OutboxMessage:
    return outbox.enqueue(
        messages.consumer_status_changed(
            recipient=f"consumer{n}@example.org",
            language=language,
            reference=f"CW-2026-{n:06d}",
            status="accepted",
            link=LINK,
        )
    )


def at(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock stopped at one moment, for the worker."""
    return lambda: moment


def test_messages_reach_the_server_in_the_recipients_language_utf8_intact_and_are_marked_sent(
    app: Flask, smtp_server: SmtpServer
) -> None:
    zh = outbox.enqueue(
        messages.consumer_answered(
            recipient="wang@example.org", language="zh_Hans", reference="CW-2026-000101", link=LINK
        )
    )
    en = outbox.enqueue(
        messages.responder_new_complaint(
            recipient="responder@example.org", language="en", reference="CW-2026-000102", link=LINK
        )
    )
    international = outbox.enqueue(
        messages.officer_overdue(
            recipient="办案@example.org", language="zh_Hans", references=["CW-2026-000103"], link=LINK
        )
    )
    db.session.commit()
    ids = (zh.id, en.id, international.id)

    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 3, failed 0, waiting 0" in result.output

    delivered = {d.rcpt_tos[0]: d for d in smtp_server.delivered}
    assert set(delivered) == {"wang@example.org", "responder@example.org", "办案@example.org"}
    chinese = delivered["wang@example.org"].email
    assert chinese["Subject"] == "催收观察：平台已答复您的投诉 CW-2026-000101"
    assert "平台已答复您的投诉 CW-2026-000101。" in delivered["wang@example.org"].text
    assert LINK in delivered["wang@example.org"].text
    assert chinese["Content-Language"] == "zh-Hans"
    english = delivered["responder@example.org"]
    assert english.email["Subject"] == "CollectWatch: a new complaint about your platform (CW-2026-000102)"
    assert "within 15 days" in english.text and LINK in english.text
    assert "办案@example.org" in str(delivered["办案@example.org"].email["To"])
    assert "逾期" in str(delivered["办案@example.org"].email["Subject"])

    for row in map(reread, ids):
        assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""


def test_a_server_stopped_mid_run_delays_mail_and_every_message_arrives_once_when_it_returns(
    app: Flask, smtp_server: SmtpServer
) -> None:
    rows = [consumer_mail(n, "en" if n % 2 else "zh_Hans") for n in range(6)]
    db.session.commit()
    ids = [row.id for row in rows]
    start = soon()

    def deliver_then_stop_after_three(settings: smtp.SmtpSettings, message: OutboxMessage) -> None:
        smtp.send(settings, message)
        if len(smtp_server.delivered) == 3:
            smtp_server.stop()  # the server goes away in the middle of the run

    report = sender.send_due(now=at(start), deliver=deliver_then_stop_after_three)
    assert (report.sent, report.failed, report.server_unreachable) == (3, 1, True)

    db.session.expire_all()
    by_id = {row.id: row for row in db.session.scalars(select(OutboxMessage))}
    sent = [i for i in ids if by_id[i].sent_at is not None]
    assert sent == ids[:3], "only what the server accepted is marked sent"
    failed = by_id[ids[3]]
    assert failed.attempts == 1 and failed.last_error == "ConnectionRefusedError"
    assert failed.next_attempt_at == start + dt.timedelta(seconds=30)
    assert all(by_id[i].attempts == 0 and by_id[i].sent_at is None for i in ids[4:]), "the rest wait untouched"

    # Still down a minute later: the next waiting message is tried (the failed one backs off) and fails too.
    later = start + dt.timedelta(minutes=1)
    assert sender.send_due(now=at(later)).server_unreachable
    assert reread(ids[4]).attempts == 1 and reread(ids[4]).next_attempt_at == later + dt.timedelta(seconds=30)
    assert reread(ids[3]).attempts == 1 and reread(ids[5]).attempts == 0

    smtp_server.start()  # back, on the same port
    back = sender.send_due(now=at(start + dt.timedelta(hours=2)))
    assert back.sent == 3 and back.failed == 0 and not back.server_unreachable

    expected = Counter(f"consumer{n}@example.org" for n in range(6))
    assert Counter(d.rcpt_tos[0] for d in smtp_server.delivered) == expected, "each message exactly once"
    assert len({d.message_id for d in smtp_server.delivered}) == 6
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def test_a_rolled_back_action_leaves_no_mail_and_sends_nothing(app: Flask, smtp_server: SmtpServer) -> None:
    complaint = ComplaintFactory()
    db.session.commit()
    complaint_id = complaint.id

    # The whole transaction rolled back (a view that failed).
    complaint.status = ComplaintStatus.ACCEPTED.value
    consumer_mail(1)
    db.session.flush()
    db.session.rollback()
    # An officer action's savepoint rolled back inside a request that still commits.
    savepoint = db.session.begin_nested()
    consumer_mail(2)
    savepoint.rollback()
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert "sent 0, failed 0, waiting 0" in result.output
    assert smtp_server.delivered == []
    assert db.session.get(Complaint, complaint_id).status == ComplaintStatus.SUBMITTED.value  # type: ignore[union-attr]


def test_the_address_is_never_stored_in_clear_nor_logged_by_the_worker(
    app: Flask, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    address = "private.person@example.org"
    outbox.enqueue(messages.consumer_answered(recipient=address, language="en", reference="CW-2026-000201", link=LINK))
    outbox.enqueue(
        messages.consumer_answered(
            recipient="second.person@example.org", language="en", reference="CW-2026-000202", link=LINK
        )
    )
    db.session.commit()

    raw = db.session.execute(text("SELECT recipient, subject, body FROM outbox_messages")).all()
    stored = " ".join(str(value) for row in raw for value in row)
    assert "example.org" not in stored and "CW-2026-000201" not in stored
    assert all(str(value).startswith("enc1:") for row in raw for value in row)

    def deliver_then_stop(settings: smtp.SmtpSettings, message: OutboxMessage) -> None:
        smtp.send(settings, message)
        smtp_server.stop()

    with caplog.at_level(logging.DEBUG):
        sender.send_due(now=at(soon()), deliver=deliver_then_stop)  # one sent, one failed
        app.test_cli_runner().invoke(args=["send-mail", "--once"])
    # Every record but the test SMTP server's own ("mail.log", aiosmtpd's logger, which shows the dialogue).
    logged = [record.getMessage() for record in caplog.records if not record.name.startswith("mail.log")]
    assert any("not sent" in line for line in logged) and any(" sent " in line for line in logged)
    for line in logged:
        assert "@example.org" not in line and "private.person" not in line


def test_without_smtp_url_send_mail_sends_nothing_and_the_messages_wait(app: Flask) -> None:
    assert not app.config["SMTP_URL"]
    for n in range(2):
        consumer_mail(n)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0
    assert "SMTP_URL is not set: nothing sent; 2 message(s) wait in the outbox" in result.output
    rows = db.session.scalars(select(OutboxMessage).execution_options(populate_existing=True)).all()
    assert len(rows) == 2 and all(row.attempts == 0 and row.sent_at is None for row in rows)


def test_a_refused_recipient_is_retried_later_without_stopping_the_others(app: Flask, smtp_server: SmtpServer) -> None:
    refused, accepted = consumer_mail(1), consumer_mail(2)
    db.session.commit()
    refused_id, accepted_id = refused.id, accepted.id

    def refuse_the_first(settings: smtp.SmtpSettings, message: OutboxMessage) -> None:
        if message.id == refused_id:
            raise smtp.smtplib.SMTPRecipientsRefused({message.recipient: (550, b"<consumer1@example.org> unknown")})
        smtp.send(settings, message)

    report = sender.send_due(now=at(soon()), deliver=refuse_the_first)
    assert (report.sent, report.failed, report.server_unreachable) == (1, 1, False)
    assert reread(refused_id).last_error == "SMTPRecipientsRefused 550" and reread(refused_id).sent_at is None
    assert reread(accepted_id).sent_at is not None


def test_a_message_that_keeps_failing_backs_off_doubling_up_to_the_cap_and_stays_failing(
    app: Flask, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    first = consumer_mail(1)
    db.session.commit()
    row_id = first.id
    app.config["MAIL_RETRY_MAX_SECONDS"] = 100
    try:
        moment, waits = soon(), []
        for _ in range(4):
            report = sender.send_due(now=at(moment))
            assert report.failed == 1 and report.sent == 0
            row = reread(row_id)
            waits.append((row.next_attempt_at - moment).total_seconds())
            moment = row.next_attempt_at
    finally:
        app.config["MAIL_RETRY_MAX_SECONDS"] = 3600
    assert waits == [30, 60, 100, 100]
    row = reread(row_id)
    assert row.attempts == 4 and row.sent_at is None and outbox.state_of(row) is outbox.MailState.FAILING


def test_starttls_required_but_not_offered_sends_nothing_in_clear(app: Flask, smtp_server: SmtpServer) -> None:
    first = consumer_mail(1)
    db.session.commit()
    first_id = first.id
    app.config["SMTP_URL"] = smtp_server.url.replace("smtp://", "smtp+starttls://")
    report = sender.send_due(now=at(soon()))
    assert (report.sent, report.failed, report.server_unreachable) == (0, 1, True)
    assert reread(first_id).last_error == "StartTlsUnavailable" and smtp_server.delivered == []
