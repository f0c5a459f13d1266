"""Ending a session ends every copy of its cookie: officers' sign-ins and consumers' status pages.

Found from outside (issue 11, finding 5): sessions lived only in the signed cookie, so a copy taken
before signing out (or before "close on this device") kept working, an officer's for up to 12 hours
and a consumer's for Flask's 31 days. The server now holds each session as a row.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from complaints.extensions import db
from complaints.models import ServerSession
from complaints.models.base import utcnow
from tests.factories import ComplaintFactory
from tests.factories_officer import make_admin, make_officer, sign_in
from tests.functional.helpers import open_status_page


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second client carrying a copy of the first one's session cookie, as a thief would."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("lang", "en")
    thief.set_cookie(name, cookie.value)
    return thief


def test_a_copied_officer_cookie_stops_working_when_the_officer_signs_out(app: Flask, en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    thief = copy_of(app, en_client)
    assert thief.get("/officer/").status_code == 200
    assert en_client.post("/officer/sign-out").status_code == 303
    response = thief.get("/officer/")
    assert response.status_code == 302 and "/officer/sign-in" in response.headers["Location"]


def test_a_disabled_officers_sessions_end_on_the_server(app: Flask, en_client: FlaskClient) -> None:
    officer = make_officer()
    sign_in(en_client, officer)
    assert db.session.scalar(select(func.count()).where(ServerSession.officer_id == officer.id)) == 1
    supervisor = app.test_client()
    supervisor.set_cookie("lang", "en")
    sign_in(supervisor, make_admin())
    supervisor.post(f"/officer/accounts/{officer.id}/disable")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(ServerSession.officer_id == officer.id)) == 0
    assert en_client.get("/officer/").status_code == 302


def test_a_copied_status_cookie_stops_working_when_the_consumer_closes_the_page(
    app: Flask, en_client: FlaskClient
) -> None:
    complaint = ComplaintFactory()
    open_status_page(en_client, complaint.id)
    thief = copy_of(app, en_client)
    assert thief.get("/status/complaint").status_code == 200
    assert en_client.post("/status/leave").status_code == 303
    response = thief.get("/status/complaint")
    assert response.status_code == 302 and response.headers["Location"].endswith("/status")


def test_a_status_page_closes_after_twenty_idle_minutes(en_client: FlaskClient) -> None:
    open_status_page(en_client, ComplaintFactory().id)
    assert en_client.get("/status/complaint").status_code == 200
    db.session.execute(update(ServerSession).values(seen_at=utcnow() - dt.timedelta(minutes=21)))
    db.session.commit()
    response = en_client.get("/status/complaint", follow_redirects=True)
    assert "closed after a while without use" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ServerSession)) == 0


def test_only_the_tokens_hash_is_stored(en_client: FlaskClient, app: Flask) -> None:
    open_status_page(en_client, ComplaintFactory().id)
    with en_client.session_transaction() as session:
        token = session["status_session"]
    stored = db.session.scalars(select(ServerSession.token_hash)).all()
    assert stored and token not in stored
