"""With CSRF protection on, every state-changing officer route refuses a request without a token."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Officer
from tests.factories_officer import make_admin, sign_in_with_token
from tests.functional.officer.walk import make_sample, methods


def test_every_state_changing_officer_route_refuses_a_missing_token(app: Flask, csrf_on: None) -> None:
    sample = make_sample()
    admin = make_admin()
    client = app.test_client()
    sign_in_with_token(client, admin)
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


def test_forms_carry_tokens_that_work_and_ids_stay_unique(app: Flask, csrf_on: None) -> None:
    import re

    from tests.factories import ComplaintFactory

    officer = make_admin()
    complaint = ComplaintFactory()
    client = app.test_client()
    sign_in_with_token(client, officer)
    page = client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    note_token = re.search(r'name="note-csrf_token" type="hidden" value="([^"]+)"', page)
    assert note_token
    response = client.post(
        f"/officer/complaints/{complaint.id}/note", data={"note-csrf_token": note_token.group(1), "note-text": "有令牌"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    plain = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert plain
    assigned = client.post(
        f"/officer/complaints/{complaint.id}/assign", data={"csrf_token": plain.group(1), "assignee": str(officer.id)}
    )
    assert assigned.status_code == 303
