"""Officer accounts with a known password and TOTP secret, and a helper that signs them in."""

from __future__ import annotations

import re

import pyotp
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from complaints.accounts.officers import hash_password
from complaints.extensions import db
from complaints.models import Officer

PASSWORD = "correct horse battery staple 7"
_HASH: str | None = None


def password_hash() -> str:
    """One Argon2id hash of PASSWORD shared by the suite (hashing is deliberately slow)."""
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


def make_officer(email: str = "officer@example.test", role: str = "officer", **values: object) -> Officer:
    """An enrolled, active officer with PASSWORD and a fresh TOTP secret (committed)."""
    officer = Officer(
        email=email,
        display_name=email.split("@")[0],
        role=role,
        password_hash=password_hash(),
        totp_secret=pyotp.random_base32(32),
        **values,
    )
    db.session.add(officer)
    db.session.commit()
    return officer


def make_admin(email: str = "supervisor@example.test") -> Officer:
    """An enrolled supervisor."""
    return make_officer(email, role="admin")


def make_responder(platform_id: int, email: str = "responder@example.org") -> Officer:
    """An enrolled responder of one platform (the responder portal only)."""
    return make_officer(email, role="responder", platform_id=platform_id)


def post_sign_in(
    client: FlaskClient, email: str, secret: str, password: str = PASSWORD, code: str | None = None
) -> TestResponse:
    """Post the sign-in form as a browser would."""
    return client.post(
        "/officer/sign-in",
        data={"email": email, "password": password, "code": code or pyotp.TOTP(secret).now()},
    )


def sign_in(client: FlaskClient, officer: Officer) -> TestResponse:
    """Sign an officer in with the current TOTP code; fails the test if refused."""
    response = post_sign_in(client, officer.email, officer.totp_secret)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return response


def sign_in_with_token(client: FlaskClient, officer: Officer) -> TestResponse:
    """Sign in as `sign_in` does, carrying the form's CSRF token (for tests that switch CSRF on)."""
    token = csrf_token_from(client.get("/officer/sign-in").get_data(as_text=True))
    response = client.post(
        "/officer/sign-in",
        data={
            "email": officer.email,
            "password": PASSWORD,
            "code": pyotp.TOTP(officer.totp_secret).now(),
            "csrf_token": token,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return response


def csrf_token_from(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    assert found, page[:300]
    return found.group(1)
