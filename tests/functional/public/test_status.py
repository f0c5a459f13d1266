"""The consumer's status page: open with reference and code, add information, answer, withdraw."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.casework.lifecycle import Action, apply_transition
from complaints.extensions import db
from complaints.models import Complaint
from tests import media
from tests.factories import LEGACY_CODE, LEGACY_HASH, TEST_ACCESS_CODE, ComplaintFactory
from tests.functional.helpers import field_errors


def open_status(client: FlaskClient, reference: str, code: str = TEST_ACCESS_CODE) -> str:
    response = client.post("/status", data={"reference": reference, "access_code": code}, follow_redirects=True)
    return response.get_data(as_text=True)


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    wrong_code = en_client.post("/status", data={"reference": complaint.reference, "access_code": "AAAA-BBBB"})
    unknown = en_client.post("/status", data={"reference": "CW-2026-123456", "access_code": "AAAA-BBBB"})
    assert wrong_code.status_code == unknown.status_code == 422
    assert field_errors(wrong_code) == field_errors(unknown)
    assert complaint.reference in wrong_code.get_data(as_text=True), "the form keeps the reference"


def test_a_complaint_filed_before_keyed_codes_opens_with_its_code_and_keeps_opening(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory(access_code_hash=LEGACY_HASH)
    first = open_status(en_client, complaint.reference, LEGACY_CODE)
    assert complaint.reference in first and "Status" in first
    db.session.expire_all()
    stored = db.session.get(Complaint, complaint.id).access_code_hash  # type: ignore[union-attr]
    assert stored.startswith("hmac1$"), "the look-up replaced the Argon2 hash"
    en_client.post("/status/leave")
    assert complaint.reference in open_status(en_client, complaint.reference, LEGACY_CODE)


def test_the_status_page_needs_a_successful_lookup(client: FlaskClient) -> None:
    response = client.get("/status/complaint")
    assert response.status_code == 302 and response.headers["Location"].endswith("/status")


def test_the_status_page_shows_status_and_officer_messages_but_not_internal_notes(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    apply_transition(
        complaint,
        Action.REQUEST_INFO,
        public_message="Please upload the SMS screenshots.",
        data={"internal": "officer-only detail"},
    )
    db.session.commit()
    page = open_status(en_client, complaint.reference)
    assert "We need more information from you" in page
    assert "Please upload the SMS screenshots." in page
    assert "officer-only detail" not in page
    assert "Answer our question" in page


def test_answering_with_a_file_returns_the_complaint_to_review(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    apply_transition(complaint, Action.REQUEST_INFO, public_message="Screenshots please.")
    db.session.commit()
    open_status(en_client, complaint.reference)
    import io

    response = en_client.post(
        "/status/complaint/information",
        data={"text": "Here they are.", "evidence": [(io.BytesIO(media.png()), "sms.png")]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Your information was added" in page
    assert "Here they are." in page
    db.session.expire_all()
    refreshed = db.session.get(Complaint, complaint.id)
    assert refreshed is not None and refreshed.status == "submitted" and len(refreshed.evidence) == 1


def test_adding_nothing_is_refused_with_a_message(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    open_status(en_client, complaint.reference)
    response = en_client.post("/status/complaint/information", data={"text": "  "}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Write something or choose a file" in " ".join(field_errors(response))


def test_withdrawal_needs_confirmation_then_closes_the_complaint(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    open_status(en_client, complaint.reference)
    confirm_page = en_client.get("/status/complaint/withdraw").get_data(as_text=True)
    assert "Withdraw complaint" in confirm_page
    unconfirmed = en_client.post("/status/complaint/withdraw", data={})
    assert unconfirmed.status_code == 422
    assert db.session.get(Complaint, complaint.id).status == "submitted"  # type: ignore[union-attr]
    done = en_client.post("/status/complaint/withdraw", data={"confirm": "y"}, follow_redirects=True)
    assert "Withdrawn by you" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Complaint)).one().resolution == "withdrawn"


def test_guessing_access_codes_is_throttled(app: Flask) -> None:
    complaint = ComplaintFactory()
    client = app.test_client()
    codes = [
        client.post("/status", data={"reference": complaint.reference, "access_code": f"BAD{i}"}).status_code
        for i in range(12)
    ]
    assert codes[0] == 422
    assert 429 in codes


def test_leaving_forgets_the_complaint_on_this_device(client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    open_status(client, complaint.reference)
    assert client.get("/status/complaint").status_code == 200
    client.post("/status/leave")
    assert client.get("/status/complaint").status_code == 302


def test_status_pages_are_never_cached(client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    open_status(client, complaint.reference)
    response = client.get("/status/complaint")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert not re.search(r"TEST-CODE", response.get_data(as_text=True))
