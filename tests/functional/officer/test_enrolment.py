"""A new officer's account: created by the CLI or a supervisor, enrolled once from the link."""

from __future__ import annotations

import re
import time

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from complaints.extensions import db
from complaints.models import CaseEvent, Officer
from tests.factories_officer import make_admin, sign_in

GOOD = "lantern orchard seventeen rivers"


def _link_from_cli(app: Flask, email: str, role: str = "officer") -> str:
    result = app.test_cli_runner().invoke(args=["create-officer", "--email", email, "--role", role])
    assert result.exit_code == 0, result.output
    found = re.search(r"http://\S+/officer/enrol/\S+", result.output)
    assert found, result.output
    return found.group(0).split("://", 1)[1].split("/", 1)[1]


def _secret(page: str) -> str:
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert found, page[:500]
    return found.group(1)


def test_the_cli_prints_a_one_time_link_and_the_officer_enrols_with_password_and_code(
    app: Flask, en_client: FlaskClient
) -> None:
    path = "/" + _link_from_cli(app, "new.officer@example.test", "admin")
    page = en_client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html and "style=" not in html
    secret = _secret(html)

    weak = en_client.post(path, data={"password": "short", "confirm": "short", "code": pyotp.TOTP(secret).now()})
    assert weak.status_code == 422 and "at least 12" in weak.get_data(as_text=True)
    wrong_code = en_client.post(path, data={"password": GOOD, "confirm": GOOD, "code": "123456"})
    assert wrong_code.status_code == 422

    done = en_client.post(path, data={"password": GOOD, "confirm": GOOD, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303
    assert en_client.get("/officer/").status_code == 200
    officer = db.session.query(Officer).filter_by(email="new.officer@example.test").one()
    assert officer.enrolled and officer.is_admin and officer.password_hash.startswith("$argon2id$")
    assert officer.totp_secret == secret
    assert en_client.get(path).status_code == 404


def test_the_same_secret_is_shown_until_enrolment_finishes(app: Flask, en_client: FlaskClient) -> None:
    path = "/" + _link_from_cli(app, "again@example.test")
    first = _secret(en_client.get(path).get_data(as_text=True))
    assert _secret(en_client.get(path).get_data(as_text=True)) == first


def test_an_unknown_or_expired_link_does_not_work(app: Flask, en_client: FlaskClient) -> None:
    assert en_client.get("/officer/enrol/not-a-real-token").status_code == 404
    path = "/" + _link_from_cli(app, "late@example.test")
    officer = db.session.query(Officer).filter_by(email="late@example.test").one()
    import datetime as dt

    officer.enrolment_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert en_client.get(path).status_code == 404


def test_a_supervisor_creates_an_account_and_resets_an_authenticator(app: Flask, en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    response = en_client.post("/officer/accounts", data={"email": "Fresh@Example.test", "role": "officer"})
    assert response.status_code == 200
    assert "/officer/enrol/" in response.get_data(as_text=True)
    fresh = db.session.query(Officer).filter_by(email="fresh@example.test").one()
    duplicate = en_client.post("/officer/accounts", data={"email": "fresh@example.test", "role": "officer"})
    assert duplicate.status_code == 422

    fresh.totp_secret = pyotp.random_base32()
    fresh.password_hash = "x"
    db.session.commit()
    reset = en_client.post(f"/officer/accounts/{fresh.id}/reset")
    assert "/officer/enrol/" in reset.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Officer, fresh.id).enrolled
    kinds = {e.kind for e in db.session.query(CaseEvent).all()}
    assert {"account_created", "totp_reset"} <= kinds


def test_cli_refuses_a_second_account_with_the_same_email(app: Flask) -> None:
    _link_from_cli(app, "twice@example.test")
    result = app.test_cli_runner().invoke(args=["create-officer", "--email", "twice@example.test"])
    assert result.exit_code != 0
    assert time.time() > 0
