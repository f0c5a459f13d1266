"""Signing in with password and TOTP: replay, throttling, lockout, session limits and endings."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from complaints.extensions import db
from complaints.models import CaseEvent, Officer, ServerSession, SignInBackoff
from complaints.models.base import utcnow
from tests.factories_officer import PASSWORD, make_officer, post_sign_in, sign_in

FAILED = "Sign-in failed"
#: The address the test client's requests come from.
CLIENT = "127.0.0.1"


def age_the_session(*, seen: dt.timedelta = dt.timedelta(0), started: dt.timedelta = dt.timedelta(0)) -> None:
    """Move every server session's last request and start into the past, as time passing would."""
    now = utcnow()
    db.session.execute(update(ServerSession).values(seen_at=now - seen, started_at=now - started))
    db.session.commit()


def backoff(officer: Officer, address: str = CLIENT) -> SignInBackoff | None:
    db.session.expire_all()
    return db.session.get(SignInBackoff, (officer.id, address))


def test_an_officer_signs_in_with_password_and_code_and_sees_the_queue(en_client: FlaskClient) -> None:
    officer = make_officer()
    response = sign_in(en_client, officer)
    assert response.headers["Location"] == "/officer/"
    assert en_client.get("/officer/").status_code == 200
    kinds = list(db.session.scalars(select(CaseEvent.kind)))
    assert "sign_in" in kinds


def test_wrong_password_unknown_account_and_wrong_code_get_the_same_answer(en_client: FlaskClient) -> None:
    officer = make_officer()
    answers = [
        post_sign_in(en_client, officer.email, officer.totp_secret, password="not the password at all"),
        post_sign_in(en_client, "nobody@example.test", officer.totp_secret),
        post_sign_in(en_client, officer.email, officer.totp_secret, code="000000"),
    ]
    for response in answers:
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert FAILED in page
        assert "nobody@example.test" in page or "not exist" not in page
    row = backoff(officer)
    assert row is not None and row.failures == 2
    failures = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "sign_in_failed")).all()
    assert len(failures) == 3
    assert all(event.remote_addr for event in failures)


def test_a_code_works_only_once(en_client: FlaskClient, app: Flask) -> None:
    officer = make_officer()
    code = pyotp.TOTP(officer.totp_secret).now()
    assert post_sign_in(en_client, officer.email, officer.totp_secret, code=code).status_code == 303
    en_client.post("/officer/sign-out")
    other = app.test_client()
    replay = post_sign_in(other, officer.email, officer.totp_secret, code=code)
    assert replay.status_code == 422
    assert other.get("/officer/").status_code == 302


def test_the_previous_code_works_but_an_older_one_does_not(en_client: FlaskClient) -> None:
    officer = make_officer()
    generator = pyotp.TOTP(officer.totp_secret)
    older = generator.at(time.time() - 65)
    assert post_sign_in(en_client, officer.email, officer.totp_secret, code=older).status_code == 422
    previous = generator.at(time.time() - 30)
    assert post_sign_in(en_client, officer.email, officer.totp_secret, code=previous).status_code == 303


def test_an_address_is_paused_after_five_failures_even_with_the_right_password(en_client: FlaskClient) -> None:
    officer = make_officer()
    for _ in range(5):
        post_sign_in(en_client, officer.email, officer.totp_secret, password="a wrong password here")
    response = post_sign_in(en_client, officer.email, officer.totp_secret)
    assert response.status_code == 422
    assert FAILED in response.get_data(as_text=True)
    row = backoff(officer)
    assert row is not None and row.paused_until is not None
    kinds = db.session.scalars(
        select(CaseEvent.data).where(CaseEvent.kind == "sign_in_failed").order_by(CaseEvent.id)
    ).all()
    assert kinds[-1] == {"reason": "paused"}


def test_a_paused_address_does_not_stop_the_officer_elsewhere_who_is_then_told(app: Flask) -> None:
    officer = make_officer()
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    for _ in range(6):
        post_sign_in(attacker, officer.email, officer.totp_secret, password="a wrong password here")
    assert post_sign_in(attacker, officer.email, officer.totp_secret).status_code == 422
    home = app.test_client()
    home.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    home.set_cookie("lang", "en")
    response = sign_in(home, officer)
    page = home.get(response.headers["Location"]).get_data(as_text=True)
    notice = (
        "There were 7 failed sign-in attempts on your account since your last sign-in, all from one address. "
        "If this was not you, tell a supervisor."
    )
    assert notice in page
    assert notice not in home.get("/officer/").get_data(as_text=True)  # shown once


def test_the_notice_is_in_chinese_for_a_chinese_officer(app: Flask) -> None:
    officer = make_officer()
    client = app.test_client()
    client.set_cookie("lang", "zh_Hans")
    post_sign_in(client, officer.email, officer.totp_secret, password="a wrong password here")
    page = client.get(sign_in(client, officer).headers["Location"]).get_data(as_text=True)
    assert "自您上次登录以来，您的账户有 1 次登录失败。如果不是您本人，请告诉主管。" in page


def test_the_notice_counts_the_addresses(en_client: FlaskClient, app: Flask) -> None:
    officer = make_officer()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.2"):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = address
        post_sign_in(other, officer.email, officer.totp_secret, password="a wrong password here")
    page = en_client.get(sign_in(en_client, officer).headers["Location"]).get_data(as_text=True)
    assert (
        "There were 3 failed sign-in attempts on your account since your last sign-in, from 2 addresses. "
        "If this was not you, tell a supervisor."
    ) in page


def test_no_notice_without_failed_attempts(en_client: FlaskClient) -> None:
    officer = make_officer()
    page = en_client.get(sign_in(en_client, officer).headers["Location"]).get_data(as_text=True)
    assert "failed sign-in attempts" not in page


def test_one_address_is_throttled_across_accounts(en_client: FlaskClient) -> None:
    codes = [post_sign_in(en_client, f"guess{n}@example.test", pyotp.random_base32()).status_code for n in range(11)]
    assert codes[:10] == [422] * 10
    assert codes[10] == 429


def test_sign_in_starts_a_fresh_session(en_client: FlaskClient) -> None:
    officer = make_officer()
    with en_client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(en_client, officer)
    with en_client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_is_a_post_and_ends_the_session(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    assert en_client.get("/officer/sign-out").status_code == 405
    assert en_client.post("/officer/sign-out").status_code == 303
    assert en_client.get("/officer/").status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    age_the_session(seen=dt.timedelta(minutes=31))
    response = en_client.get("/officer/")
    assert response.status_code == 302 and "/officer/sign-in" in response.headers["Location"]


def test_a_busy_session_still_ends_after_twelve_hours(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    age_the_session(started=dt.timedelta(hours=12, seconds=1))
    assert en_client.get("/officer/").status_code == 302


def test_changing_the_password_ends_every_other_session(app: Flask) -> None:
    officer = make_officer()
    first, second = app.test_client(), app.test_client()
    sign_in(first, officer)
    later_code = pyotp.TOTP(officer.totp_secret).at(time.time() + 30)
    assert post_sign_in(second, officer.email, officer.totp_secret, code=later_code).status_code == 303
    assert second.get("/officer/").status_code == 200
    response = first.post(
        "/officer/account",
        data={
            "current_password": PASSWORD,
            "password": "a brand new long passphrase",
            "confirm": "a brand new long passphrase",
        },
    )
    assert response.status_code == 303
    assert first.get("/officer/").status_code == 200
    assert second.get("/officer/").status_code == 302


def test_a_copied_cookie_stops_working_when_the_account_is_disabled(app: Flask) -> None:
    from tests.factories_officer import make_admin

    officer = make_officer()
    admin = make_admin()
    victim, supervisor = app.test_client(), app.test_client()
    sign_in(victim, officer)
    sign_in(supervisor, admin)
    assert supervisor.post(f"/officer/accounts/{officer.id}/disable").status_code == 303
    assert victim.get("/officer/").status_code == 302


def test_a_weak_new_password_is_refused_and_nothing_changes(en_client: FlaskClient) -> None:
    officer = make_officer()
    sign_in(en_client, officer)
    before = officer.password_hash
    response = en_client.post(
        "/officer/account", data={"current_password": PASSWORD, "password": "password1234", "confirm": "password1234"}
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Officer, officer.id).password_hash == before


def test_sign_in_never_redirects_outside_the_workspace(en_client: FlaskClient) -> None:
    officer = make_officer()
    response = en_client.post(
        "/officer/sign-in",
        data={
            "email": officer.email,
            "password": PASSWORD,
            "code": pyotp.TOTP(officer.totp_secret).now(),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/officer/"
