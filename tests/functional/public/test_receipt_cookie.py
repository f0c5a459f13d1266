"""The access code never sits readable in the session cookie between filing and the receipt."""

from __future__ import annotations

import base64
import zlib
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from complaints.extensions import db
from tests.functional.helpers import post_complaint, receipt_codes, valid_form


def session_cookie(client: FlaskClient, app: Flask) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def readable(cookie: str) -> str:
    """What anyone holding the cookie can read without the secret key: its payload, decoded."""
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def test_the_session_cookie_carries_the_receipt_sealed_and_the_receipt_still_shows_the_code(
    client: FlaskClient, app: Flask
) -> None:
    assert post_complaint(client, valid_form()).status_code == 303
    cookie = session_cookie(client, app)
    payload = readable(cookie)
    assert '"receipt"' in payload, "the receipt rides in the session"
    reference, code = receipt_codes(client)
    for secret in (code, code.replace("-", ""), reference):
        assert secret not in cookie and secret not in payload, f"{secret!r} readable in the cookie"


def test_an_altered_or_foreign_receipt_shows_the_receipt_gone_page(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["receipt"] = "gAAAAA-not-a-real-token"
    page = client.get("/complaints/receipt")
    assert page.status_code == 200
    assert b"receipt-code" not in page.data
    with client.session_transaction() as session:
        session["receipt"] = {"reference": "CW-2026-000001", "code": "PLAIN-TEXT-CODE"}
    assert b"PLAIN-TEXT-CODE" not in client.get("/complaints/receipt").data


def test_the_receipt_page_reads_nothing_from_the_database(client: FlaskClient) -> None:
    """A database outage between the filing's commit and its receipt must not lose the receipt.

    Found by the fault check (PostgreSQL restarted during a load): two filings were saved, but
    their receipt pages answered 503 while the server was down, and the receipt was gone by then.
    """
    assert post_complaint(client, valid_form()).status_code == 303
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/complaints/receipt")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert page.status_code == 200 and b"receipt-code" in page.data
    assert statements == []
    assert b"receipt-code" not in client.get("/complaints/receipt").data, "shown once"
