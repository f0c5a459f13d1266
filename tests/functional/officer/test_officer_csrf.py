"""With CSRF protection on, every state-changing officer route refuses a request without a token."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Officer
from tests.factories_officer import PASSWORD, csrf_token_from, make_admin
from tests.functional.officer.walk import make_sample, methods


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_every_state_changing_officer_route_refuses_a_missing_token(app: Flask, csrf_on: None) -> None:
    sample = make_sample()
    admin = make_admin()
    client = app.test_client()
    token = csrf_token_from(client.get("/officer/sign-in").get_data(as_text=True))
    signed = client.post(
        "/officer/sign-in",
        data={
            "email": admin.email,
            "password": PASSWORD,
            "code": pyotp.TOTP(admin.totp_secret).now(),
            "csrf_token": token,
        },
    )
    assert signed.status_code == 303
    assert client.get("/officer/").status_code == 200

    def snapshot() -> tuple[int, list[tuple[str, str | None]], list[bool]]:
        db.session.expire_all()
        events = db.session.scalar(select(func.count()).select_from(CaseEvent)) or 0
        complaints = [
            (c.status, str(c.assignee_id)) for c in db.session.scalars(select(Complaint).order_by(Complaint.id))
        ]
        return events, complaints, [o.active for o in db.session.scalars(select(Officer).order_by(Officer.id))]

    before = snapshot()
    refused = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("officer."):
            continue
        for method in methods(rule):
            if method in ("GET",):
                continue
            response = client.open(sample.url(app, rule), method=method, data={"text": "x", "assignee": str(admin.id)})
            assert response.status_code == 400, f"{method} {rule.rule} → {response.status_code}"
            refused.append(rule.endpoint)
    assert before == snapshot()
    assert len(refused) >= 15
    assert client.get("/officer/").status_code == 200  # still signed in: the refused sign-out changed nothing
