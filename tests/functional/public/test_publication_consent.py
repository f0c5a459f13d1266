"""The consumer withdraws consent to publish their story from the status page."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint
from tests.factories import TEST_ACCESS_CODE, ComplaintFactory

PATH = "/status/complaint/publication-consent"


def open_status(client: FlaskClient, reference: str) -> str:
    response = client.post(
        "/status", data={"reference": reference, "access_code": TEST_ACCESS_CODE}, follow_redirects=True
    )
    return response.get_data(as_text=True)


def approved_complaint() -> Complaint:
    return ComplaintFactory(  # type: ignore[no-any-return]
        status="accepted",
        accepted_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        consent_publish=True,
        publication_status="approved",
        narrative_redacted="催收员[已删除]每天打电话。",
    )


def test_withdrawing_consent_needs_confirmation_then_unpublishes_the_story(en_client: FlaskClient) -> None:
    complaint = approved_complaint()
    page = open_status(en_client, complaint.reference)
    assert "Withdraw my consent to publish my story" in page
    unconfirmed = en_client.post(PATH, data={})
    assert unconfirmed.status_code == 422 and "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).publication_status == "approved"  # type: ignore[union-attr]

    done = en_client.post(PATH, data={"confirm_consent": "y"}, follow_redirects=True)
    body = done.get_data(as_text=True)
    assert "Your story will not be published." in body
    assert "You withdrew your consent to publish your story" in body  # on the timeline
    assert "Withdraw my consent to publish my story" not in body
    db.session.expire_all()
    stored = db.session.get(Complaint, complaint.id)
    assert stored is not None
    assert (stored.consent_publish, stored.publication_status, stored.narrative_redacted) == (False, "withheld", "")
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "publication_consent_withdrawn")).one()
    assert event.actor_type == "complainant" and "打电话" not in str(event.data)


def test_without_consent_the_form_is_absent_and_a_post_changes_nothing(en_client: FlaskClient) -> None:
    complaint = ComplaintFactory()
    assert "Withdraw my consent" not in open_status(en_client, complaint.reference)
    response = en_client.post(PATH, data={"confirm_consent": "y"})
    assert response.status_code == 422
    assert db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "publication_consent_withdrawn")).all() == []


def test_the_action_needs_an_opened_complaint(client: FlaskClient) -> None:
    response = client.post(PATH, data={"confirm_consent": "y"})
    assert response.status_code in (302, 303) and "/status" in response.headers["Location"]


def test_the_consent_form_carries_a_token_that_works(app: Flask) -> None:
    complaint = approved_complaint()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        client.set_cookie("lang", "en")
        lookup = client.get("/status").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', lookup)
        assert token
        page = client.post(
            "/status",
            data={"reference": complaint.reference, "access_code": TEST_ACCESS_CODE, "csrf_token": token.group(1)},
            follow_redirects=True,
        ).get_data(as_text=True)
        form = page[page.index(PATH) :]
        consent_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
        assert consent_token
        response = client.post(PATH, data={"confirm_consent": "y", "csrf_token": consent_token.group(1)})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).publication_status == "withheld"  # type: ignore[union-attr]
