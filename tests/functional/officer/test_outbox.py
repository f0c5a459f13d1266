"""Supervisors read the mail outbox (waiting, failing, sent); reading one message is audited; officers are refused."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.extensions import db
from complaints.mail import messages, outbox
from complaints.models import CaseEvent, EventKind, OutboxMessage
from tests.factories_officer import make_admin, make_officer, sign_in

LINK = "https://collectwatch.example.org/status"


def waiting_mail(n: int, language: str = "zh_Hans") -> OutboxMessage:
    return outbox.enqueue(
        messages.consumer_answered(
            recipient=f"reader{n}@example.org", language=language, reference=f"CW-2026-{n:06d}", link=LINK
        )
    )


def test_without_smtp_the_supervisor_reads_the_waiting_mail_and_the_reading_is_audited(
    app: Flask, en_client: FlaskClient
) -> None:
    assert not app.config["SMTP_URL"]
    first, second = waiting_mail(1), waiting_mail(2, "en")
    db.session.commit()
    app.test_cli_runner().invoke(args=["send-mail", "--once"])
    admin = make_admin()
    sign_in(en_client, admin)

    listing = en_client.get("/officer/outbox")
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Mail outbox" in page and "Not sent yet: 2" in page and "Consumer told of the platform" in page
    assert "reader1@example.org" not in page, "the list shows no address"
    assert f'href="/officer/outbox/{first.id}"' in page and f'href="/officer/outbox/{second.id}"' in page
    assert 'href="/officer/outbox"' in page, "the navigation links the outbox for supervisors"

    message = en_client.get(f"/officer/outbox/{first.id}").get_data(as_text=True)
    assert "reader1@example.org" in message
    assert "催收观察：平台已答复您的投诉 CW-2026-000001" in message and LINK in message
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == EventKind.OUTBOX_READ)).all()
    assert [(e.officer_id, e.data["message_id"]) for e in events] == [(admin.id, first.id)]
    assert "Outbox message read" in en_client.get("/officer/audit").get_data(as_text=True)


def test_the_list_shows_failing_mail_with_its_attempts_and_filters_by_state(app: Flask, zh_client: FlaskClient) -> None:
    failing, sent = waiting_mail(1), waiting_mail(2)
    db.session.flush()
    now = dt.datetime.now(dt.UTC)
    failing.attempts = outbox.MANY_ATTEMPTS
    outbox.mark_failed(failing, now, "ConnectionRefusedError", outbox.Backoff())
    outbox.mark_sent(sent, now)
    db.session.commit()
    sign_in(zh_client, make_admin())

    page = zh_client.get("/officer/outbox").get_data(as_text=True)
    assert "发送失败" in page and "ConnectionRefusedError" in page and "已多次尝试" in page and "已发送" in page
    only_failing = zh_client.get("/officer/outbox?state=failing").get_data(as_text=True)
    assert f"/officer/outbox/{failing.id}" in only_failing and f"/officer/outbox/{sent.id}" not in only_failing
    assert zh_client.get("/officer/outbox?state=nonsense&before=x").status_code == 200


def test_a_plain_officer_cannot_see_the_outbox(app: Flask, client: FlaskClient) -> None:
    row = waiting_mail(1)
    db.session.commit()
    sign_in(client, make_officer())
    assert client.get("/officer/outbox").status_code == 403
    assert client.get(f"/officer/outbox/{row.id}").status_code == 403
    assert 'href="/officer/outbox"' not in client.get("/officer/").get_data(as_text=True)
    assert db.session.scalars(select(CaseEvent).where(CaseEvent.kind == EventKind.OUTBOX_READ)).all() == []


def test_an_unknown_message_is_a_404_for_the_supervisor(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_admin())
    assert client.get("/officer/outbox/999999").status_code == 404
    assert client.get("/officer/outbox/99999999999").status_code == 404
