"""The consumer's and the officer's side of the platform loop: the fourth consent, the review, the case page."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.casework import platform_loop, triage
from complaints.casework.triage import TriageDecision
from complaints.core import clock
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint
from tests.factories import TEST_ACCESS_CODE, ComplaintFactory
from tests.factories_officer import make_officer, make_responder, sign_in
from tests.functional.helpers import field_errors, post_complaint, valid_form


def test_the_form_asks_the_fourth_consent_and_the_fear_of_retaliation(en_client: FlaskClient) -> None:
    page = en_client.get("/complaints/new").get_data(as_text=True)
    assert 'name="consent_share_with_platform"' in page and 'name="fears_retaliation"' in page
    response = post_complaint(en_client, valid_form(consent_share_with_platform="y"))
    assert response.status_code == 303
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.consent_share_with_platform and not complaint.fears_retaliation
    assert complaint.platform_stage == "not_sent"


def test_fearing_retaliation_and_sharing_with_the_platform_cannot_both_be_ticked(en_client: FlaskClient) -> None:
    response = post_complaint(en_client, valid_form(consent_share_with_platform="y", fears_retaliation="y"))
    assert response.status_code == 422
    assert any("untick one" in error for error in field_errors(response))
    assert "从九月开始" in response.get_data(as_text=True), "the form keeps what was typed"
    assert db.session.scalars(select(Complaint)).first() is None


_ACCOUNTS = itertools.count(1)


def answered_complaint() -> Complaint:
    complaint = ComplaintFactory(contact_email="lin@example.org", consent_contact=True)
    n = next(_ACCOUNTS)
    triage.accept(
        complaint,
        TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True),
        by=make_officer(f"triage{n}@example.org"),
    )
    assert complaint.platform_id is not None
    responder = make_responder(complaint.platform_id, f"responder{n}@example.org")
    platform_loop.respond(complaint, responder, "explanation", "This is our explanation.")
    db.session.commit()
    return complaint


def open_status(client: FlaskClient, complaint: Complaint) -> str:
    response = client.post(
        "/status", data={"reference": complaint.reference, "access_code": TEST_ACCESS_CODE}, follow_redirects=True
    )
    return response.get_data(as_text=True)


def test_the_consumer_disputes_the_answer_and_the_officer_reads_why(app: Flask, en_client: FlaskClient) -> None:
    complaint = answered_complaint()
    assert "This is our explanation." in open_status(en_client, complaint)
    missing = en_client.post("/status/complaint/platform-review", data={"verdict": "disputed", "reason": ""})
    assert missing.status_code == 422 and any("Tell us why" in e for e in field_errors(missing))
    short = en_client.post("/status/complaint/platform-review", data={"verdict": "disputed", "reason": "不对"})
    assert short.status_code == 422 and "不对" in short.get_data(as_text=True)
    done = en_client.post(
        "/status/complaint/platform-review",
        data={"verdict": "disputed", "reason": "The calls to my family never stopped."},
    )
    assert done.status_code == 303
    page = en_client.get("/status/complaint").get_data(as_text=True)
    assert "You said: Disputed." in page and "Did this settle your complaint?" not in page
    again = en_client.post("/status/complaint/platform-review", data={"verdict": "settled"})
    assert again.status_code == 422

    officer = app.test_client()
    officer.set_cookie("lang", "en")
    sign_in(officer, make_officer("reader@example.org"))
    case = officer.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert "The calls to my family never stopped." in case and "This is our explanation." in case
    assert "The answer was disputed" in case


def test_the_consumer_settles_and_the_complaint_stays_open_for_an_officer(en_client: FlaskClient) -> None:
    complaint = answered_complaint()
    open_status(en_client, complaint)
    assert en_client.post("/status/complaint/platform-review", data={"verdict": "settled"}).status_code == 303
    db.session.expire_all()
    stored = db.session.get(Complaint, complaint.id)
    assert stored is not None and (stored.platform_stage, stored.status) == ("settled", "accepted")
    assert en_client.post("/status/complaint/platform-review", data={"verdict": "maybe"}).status_code == 422


def test_the_review_needs_the_status_session(client: FlaskClient) -> None:
    answered_complaint()
    response = client.post("/status/complaint/platform-review", data={"verdict": "settled"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/status")


def send_box(page: str) -> str:
    found = re.search(r'<input[^>]*name="send_to_platform"[^>]*>', page)
    assert found, "the accept form offers sending"
    return found.group(0)


def test_triage_sends_by_default_and_an_officer_can_send_later(en_client: FlaskClient) -> None:
    officer = make_officer("triager@example.org")
    complaint, urgent, afraid = (
        ComplaintFactory(),
        ComplaintFactory(severity="urgent"),
        ComplaintFactory(fears_retaliation=True),
    )
    sign_in(en_client, officer)
    case = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert " checked " in send_box(case)
    urgent_case = en_client.get(f"/officer/complaints/{urgent.id}").get_data(as_text=True)
    assert " checked " not in send_box(urgent_case)
    afraid_case = en_client.get(f"/officer/complaints/{afraid.id}").get_data(as_text=True)
    assert 'name="send_to_platform"' not in afraid_case and "fears retaliation" in afraid_case

    form = {
        "codes": ["ABU-01"],
        "primary_code": "ABU-01",
        "severity": "normal",
        "new_platform_kind": "other",
        "new_collector_kind": "unknown",
    }
    assert (
        en_client.post(f"/officer/complaints/{complaint.id}/accept", data={**form, "send_to_platform": "y"}).status_code
        == 303
    )
    refused = en_client.post(f"/officer/complaints/{afraid.id}/accept", data={**form, "send_to_platform": "y"})
    assert refused.status_code == 422
    assert (
        en_client.post(f"/officer/complaints/{urgent.id}/accept", data={**form, "severity": "urgent"}).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).platform_stage == "awaiting"  # type: ignore[union-attr]
    assert db.session.get(Complaint, afraid.id).status == "submitted"  # type: ignore[union-attr]
    assert db.session.get(Complaint, urgent.id).platform_stage == "withheld"  # type: ignore[union-attr]

    later = en_client.get(f"/officer/complaints/{urgent.id}").get_data(as_text=True)
    assert "/send-to-platform" in later
    sent = en_client.post(f"/officer/complaints/{urgent.id}/send-to-platform")
    assert sent.status_code == 303
    twice = en_client.post(f"/officer/complaints/{urgent.id}/send-to-platform")
    assert twice.status_code == 422
    kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.complaint_id == urgent.id)).all()
    assert kinds.count("platform_sent") == 1 and kinds.count("platform_withheld") == 1


def test_the_queue_shows_overdue_answers_and_what_came_back_from_the_platform(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting, disputed = answered_complaint(), answered_complaint()
    platform_loop.review(disputed, "disputed", "The calls never stopped.")
    late = ComplaintFactory()
    triage.accept(
        late,
        TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True),
        by=make_officer("second@example.org"),
    )
    db.session.commit()
    future = late.platform_answer_due_at + dt.timedelta(seconds=1)  # type: ignore[operator]
    monkeypatch.setattr(clock, "utc_now", lambda: future)
    sign_in(en_client, make_officer("queue@example.org"))
    overdue = en_client.get("/officer/?answers=overdue").get_data(as_text=True)
    assert late.reference in overdue and waiting.reference not in overdue and disputed.reference not in overdue
    assert "Platform answer overdue" in overdue
    back = en_client.get("/officer/?answers=back").get_data(as_text=True)
    assert disputed.reference in back and late.reference not in back and waiting.reference not in back
    assert 'name="answers" value="back"' in back, "the filter form keeps the tab"
    everything = en_client.get("/officer/?answers=nonsense").get_data(as_text=True)
    assert late.reference in everything and waiting.reference in everything


def test_the_referral_packet_carries_the_whole_exchange_masked_without_consent(
    app: Flask, en_client: FlaskClient
) -> None:
    complaint = ComplaintFactory(contact_name="林虚构", contact_phone="+8613912345678", consent_share_identity=False)
    n = next(_ACCOUNTS)
    triage.accept(
        complaint,
        TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True),
        by=make_officer(f"packet{n}@example.org"),
    )
    assert complaint.platform_id is not None
    responder = make_responder(complaint.platform_id, f"packet-responder{n}@example.org")
    platform_loop.respond(complaint, responder, "explanation", "客户林虚构（13912345678）的账户已核实无误。")
    platform_loop.review(complaint, "disputed", "他们还在给我打电话，13912345678 每天响。")
    db.session.commit()
    sign_in(en_client, make_officer(f"reader{n}@example.org"))
    packet = en_client.get(f"/officer/complaints/{complaint.id}/packet").get_data(as_text=True)
    assert "The exchange with the platform" in packet and "的账户已核实无误" in packet and "每天响" in packet
    assert "林虚构" not in packet and "13912345678" not in packet
    assert "The platform answered" in packet, "the timeline lists the exchange"


def test_overdue_answers_come_longest_overdue_first_and_only_they_sort_by_deadline(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    instant = [start]
    monkeypatch.setattr(clock, "utc_now", lambda: instant[0])
    officer = make_officer("deadline-triage@example.org")
    first = ComplaintFactory(submitted_at=start - dt.timedelta(days=2))
    triage.accept(first, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True), by=officer)
    instant[0] = start + dt.timedelta(days=3)
    second = ComplaintFactory(submitted_at=start - dt.timedelta(days=9))  # received earlier, sent later
    triage.accept(second, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True), by=officer)
    db.session.commit()
    instant[0] = start + dt.timedelta(days=30)
    sign_in(en_client, make_officer("deadline-reader@example.org"))
    page = en_client.get("/officer/?answers=overdue").get_data(as_text=True)
    assert page.index(first.reference) < page.index(second.reference), "the longest overdue first"
    assert 'value="deadline" selected' in page
    newest = en_client.get("/officer/?answers=overdue&sort=newest").get_data(as_text=True)
    assert newest.index(first.reference) < newest.index(second.reference), "received later, shown first"
    oldest = en_client.get("/officer/?answers=overdue&sort=oldest").get_data(as_text=True)
    assert oldest.index(second.reference) < oldest.index(first.reference)
    elsewhere = en_client.get("/officer/?sort=deadline")
    assert elsewhere.status_code == 200 and 'value="deadline"' not in elsewhere.get_data(as_text=True)
