"""The audit page and `flask verify-audit`: who did what, when and from where, in an unbroken chain."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from complaints.extensions import db
from complaints.models import CaseEvent
from tests.factories import ComplaintFactory
from tests.factories_officer import make_admin, make_officer, post_sign_in, sign_in


def test_the_audit_page_shows_sign_ins_failures_and_changes_with_filters(app: Flask, en_client: FlaskClient) -> None:
    officer = make_officer()
    post_sign_in(app.test_client(), officer.email, officer.totp_secret, password="wrong password entirely")
    worker = app.test_client()
    sign_in(worker, officer)
    complaint = ComplaintFactory()
    worker.post(f"/officer/complaints/{complaint.id}/note", data={"note-text": "看过"})
    sign_in(en_client, make_admin())
    page = en_client.get("/officer/audit").get_data(as_text=True)
    for title in ("Sign-in failed", "Signed in", "Internal note"):
        assert title in page
    filtered = en_client.get(f"/officer/audit?kind=note&reference={complaint.reference}").get_data(as_text=True)
    assert "Internal note" in filtered and "Sign-in failed" not in filtered
    assert "127.0.0.1" in page


def test_verify_audit_passes_an_intact_chain_and_fails_a_tampered_one(app: Flask) -> None:
    complaint = ComplaintFactory()
    from complaints.audit.events import record_event
    from complaints.models import EventKind

    for n in range(3):
        record_event(EventKind.NOTE, complaint=complaint, data={"text": f"记录{n}"})
    db.session.commit()
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["verify-audit"])
    assert intact.exit_code == 0 and "intact" in intact.output
    second = db.session.query(CaseEvent).order_by(CaseEvent.id).offset(1).first()
    db.session.execute(update(CaseEvent).where(CaseEvent.id == second.id).values(data={"text": "改过"}))
    db.session.commit()
    broken = runner.invoke(args=["verify-audit"])
    assert broken.exit_code == 1 and str(second.id) in broken.output
