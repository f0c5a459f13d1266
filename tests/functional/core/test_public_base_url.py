"""Absolute links come from PUBLIC_BASE_URL, never from headers a client sends; only X-Forwarded-For/-Proto are trusted.

Found from outside: in production an officer-account invitation built while `X-Forwarded-Host`
was `evil.example` carried `https://evil.example/officer/enrol/<token>`: whoever followed it handed
the one-time token to that host.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request

from complaints import create_app
from complaints.config import Config
from complaints.core.crypto import current_keyring, keyring_to_json
from complaints.extensions import db
from complaints.officer.accounts_admin import enrolment_link

BASE = "https://collectwatch.example.test"


@pytest.fixture
def production(app: Flask, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    with app.app_context():
        monkeypatch.setenv("DATA_KEYS", keyring_to_json(current_keyring()))
    monkeypatch.setenv("COLLECTWATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-test-secret-0123456789abcdef")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE + "/")
    monkeypatch.delenv("REDIS_URL", raising=False)
    application = create_app(Config())

    @application.get("/__seen")
    def seen() -> dict[str, str]:
        return {"host": request.host, "scheme": request.scheme, "address": request.remote_addr or ""}

    yield application
    with application.app_context():
        db.engine.dispose()


def test_an_enrolment_link_names_the_public_address_whatever_the_request_said(production: Flask) -> None:
    with production.test_request_context(
        "/officer/accounts", base_url="http://evil.example", headers={"X-Forwarded-Host": "evil.example"}
    ):
        assert enrolment_link("t0ken") == f"{BASE}/officer/enrol/t0ken"


def test_production_trusts_the_proxy_for_address_and_scheme_but_not_for_the_host(production: Flask) -> None:
    answer = production.test_client().get(
        "/__seen",
        base_url="http://10.0.0.2",
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert answer.get_json() == {"host": "10.0.0.2", "scheme": "https", "address": "203.0.113.9"}


def test_production_refuses_to_start_without_a_public_address(
    production: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLIC_BASE_URL")
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        Config()


@pytest.mark.parametrize("value", ["collectwatch.example.test", "ftp://collectwatch.example.test", "https://"])
def test_a_public_address_that_is_no_web_address_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        Config()
