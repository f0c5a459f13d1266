"""Sign-ins fired in parallel at a real threaded server: one TOTP code opens one session, every failure counts.

Found from outside: three parallel sign-ins with the same password and code got three sessions (the
last-step check read, then wrote, without a lock), and eight parallel wrong passwords left the
failure counter at 1. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL names a server.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import CaseEvent, EventKind, Officer, SignInBackoff
from tests.conftest import make_test_app
from tests.databases import own_database
from tests.factories_officer import PASSWORD, make_officer
from tests.reliability.served import served_on_localhost

PARALLEL = 8


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The app on a database of its own, served by a threaded server on 127.0.0.1; rate limits off."""
    instance = tmp_path_factory.mktemp("races")
    with own_database(instance / "races.db", prefix="cw_races") as url:
        app = make_test_app(instance, url, RATELIMIT_ENABLED=False)
        with served_on_localhost(app, "race-server") as base:
            yield app, base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fire(base: str, forms: list[dict[str, str]]) -> list[int]:
    """POST each form to the sign-in page from its own thread, all released at once; their statuses."""
    opener = urllib.request.build_opener(_NoRedirect)
    start = threading.Barrier(len(forms))
    statuses: list[int] = [0] * len(forms)

    def post(index: int, form: dict[str, str]) -> None:
        data = urllib.parse.urlencode(form).encode()
        start.wait()
        try:
            with opener.open(base + "/officer/sign-in", data=data, timeout=60) as answer:
                statuses[index] = answer.status
        except urllib.error.HTTPError as error:
            statuses[index] = error.code

    threads = [threading.Thread(target=post, args=(i, form)) for i, form in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_one_totp_code_opens_exactly_one_session(served: tuple[Flask, str]) -> None:
    app, base = served
    with app.app_context():
        officer = make_officer(email="race-code@example.test")
        code = pyotp.TOTP(officer.totp_secret).now()
        email = officer.email
    statuses = fire(base, [{"email": email, "password": PASSWORD, "code": code}] * PARALLEL)
    assert sorted(statuses) == [303] + [422] * (PARALLEL - 1), statuses
    with app.app_context():
        officer_id = db.session.scalar(select(Officer.id).where(Officer.email == email))
        kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.officer_id == officer_id)).all()
        assert kinds.count(EventKind.SIGN_IN) == 1


def test_every_parallel_wrong_password_is_counted(served: tuple[Flask, str]) -> None:
    app, base = served
    with app.app_context():
        officer = make_officer(email="race-password@example.test")
        code = pyotp.TOTP(officer.totp_secret).now()
        email = officer.email
    statuses = fire(base, [{"email": email, "password": f"wrong password {n}", "code": code} for n in range(PARALLEL)])
    assert statuses == [422] * PARALLEL
    with app.app_context():
        row = db.session.scalar(select(SignInBackoff).join(Officer).where(Officer.email == email))
        # all from one address (127.0.0.1), each counted by its own upsert: none lost, one row
        assert row is not None and row.address == "127.0.0.1"
        assert row.failures == PARALLEL
        assert row.paused_until is not None
        officer_id = db.session.scalar(select(Officer.id).where(Officer.email == email))
        failed = db.session.scalars(
            select(CaseEvent.id).where(CaseEvent.officer_id == officer_id, CaseEvent.kind == EventKind.SIGN_IN_FAILED)
        ).all()
        assert len(failed) == PARALLEL


def test_parallel_first_failures_of_a_new_address_make_one_row(served: tuple[Flask, str]) -> None:
    """The very first failures race to insert the (account, address) row: the upsert must not lose any."""
    app, base = served
    with app.app_context():
        officer = make_officer(email="race-first@example.test")
        email = officer.email
    statuses = fire(base, [{"email": email, "password": "wrong password", "code": "123456"}] * 3)
    assert statuses == [422] * 3
    with app.app_context():
        rows = db.session.scalars(select(SignInBackoff).join(Officer).where(Officer.email == email)).all()
        assert [(row.failures, row.paused_until) for row in rows] == [(3, None)]
