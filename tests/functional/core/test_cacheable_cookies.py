"""A publicly cacheable answer never carries a cookie, and a consumer's look-up is not re-written on every page.

After a status look-up, `GET /statistics/` once answered `Cache-Control: public` with a `Set-Cookie`
holding the look-up session: a shared cache would have handed that cookie (and the status page it
opens) to the next visitor. The cause: Flask-Login's "strong" session protection treated every
session without a signed-in officer as tampered with, cleared it and wrote it again on every request.
"""

from __future__ import annotations

import pytest
from flask import Flask, Response, session
from flask.testing import FlaskClient

from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in
from tests.functional.public.test_status import open_status

PUBLIC = ["/", "/statistics/", "/statistics/data", "/statistics/platforms.csv", "/api/v1/platforms", "/rights"]


@pytest.mark.parametrize("path", PUBLIC)
def test_after_a_status_look_up_public_pages_write_no_cookie(client: FlaskClient, path: str) -> None:
    complaint = ComplaintFactory(platform=PlatformFactory(name_zh="虚构缓存贷"))
    open_status(client, complaint.reference)
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers.getlist("Set-Cookie") == []
    # and the look-up still works on this device
    assert client.get("/status/complaint").status_code == 200


@pytest.mark.parametrize("path", PUBLIC)
def test_an_officer_reading_public_pages_gets_no_cookie_either(client: FlaskClient, path: str) -> None:
    sign_in(client, make_officer())
    assert client.get(path).headers.getlist("Set-Cookie") == []


def test_any_answer_that_sets_a_cookie_is_private_and_not_stored(client: FlaskClient) -> None:
    """The language switch writes the session: whatever it answers, no cache may keep it."""
    answer = client.get("/language/en?next=/statistics/")
    assert answer.headers.getlist("Set-Cookie")
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_an_answer_that_writes_the_session_is_private_and_not_stored(app: Flask) -> None:
    """Flask writes the session cookie after every hook has run; the answer is still made private."""
    with app.test_request_context("/statistics/"):
        session["seen"] = True
        response = app.process_response(Response("counts", headers={"Cache-Control": "public, max-age=300"}))
    assert any(
        cookie.startswith(app.config["SESSION_COOKIE_NAME"] + "=") for cookie in response.headers.getlist("Set-Cookie")
    )
    assert response.headers["Cache-Control"] == "private, no-store"
