"""Referral: routing suggestions, recording referrals with consent-bound identity, follow-up, the packet."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.casework.referral import suggest_regulators
from complaints.extensions import db
from complaints.models import CaseEvent, Referral
from tests.factories import ComplaintFactory, EvidenceFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in


def test_routing_suggests_by_codes_platform_kind_and_credit_threats() -> None:
    complaint = ComplaintFactory(platform=PlatformFactory(kind="lending_app"), codes=["THR-01", "TP-03"])
    assert {s.regulator.code for s in suggest_regulators(complaint)} == {"LFRB", "NIFA", "CAC", "POLICE"}
    credit = ComplaintFactory(platform=PlatformFactory(kind="bank_card"), narrative="他们说不还钱就让我上征信。")
    assert {s.regulator.code for s in suggest_regulators(credit)} == {"NFRA", "PBOC"}


def _refer(client: FlaskClient, complaint_id: int, **values: str):  # type: ignore[no-untyped-def]
    data = {"regulator": "SAMR", "channel": "hotline", "sent_on": "2026-11-02", "regulator_reference": "SAMR-77"}
    data.update(values)
    return client.post(f"/officer/complaints/{complaint_id}/refer", data=data)


def test_referring_moves_the_complaint_and_sets_the_follow_up_date(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted", consent_share_identity=False)
    assert _refer(en_client, complaint.id, include_identity="y").status_code == 303
    db.session.expire_all()
    referral = db.session.scalars(select(Referral)).one()
    assert complaint.status == "referred"
    assert referral.due_on == dt.date(2026, 11, 17)  # SAMR promises 15 days
    assert referral.identity_shared is False  # ticked, but the consumer did not consent
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)).one()
    assert event.data["action"] == "refer" and event.data["regulator"] == "SAMR"


def test_identity_goes_along_only_with_consent(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted", consent_share_identity=True, contact_email="zhao@example.test")
    EvidenceFactory(complaint=complaint)
    _refer(en_client, complaint.id, include_identity="y")
    referral = db.session.scalars(select(Referral)).one()
    assert referral.identity_shared
    with_identity = en_client.get(f"/officer/complaints/{complaint.id}/packet?referral={referral.id}").get_data(
        as_text=True
    )
    anonymous = en_client.get(f"/officer/complaints/{complaint.id}/packet").get_data(as_text=True)
    assert "zhao@example.test" in with_identity and "zhao@example.test" not in anonymous
    assert complaint.evidence[0].sha256 in anonymous
    assert "officer-print.css" in anonymous


def test_a_packet_printed_after_consent_is_withdrawn_is_anonymous(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted", consent_share_identity=True, contact_email="zhao@example.test")
    _refer(en_client, complaint.id, include_identity="y")
    referral = db.session.scalars(select(Referral)).one()
    complaint.consent_share_identity = False
    db.session.commit()
    page = en_client.get(f"/officer/complaints/{complaint.id}/packet?referral={referral.id}").get_data(as_text=True)
    assert "zhao@example.test" not in page


def test_a_submitted_complaint_cannot_be_referred_before_triage(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory()
    assert _refer(en_client, complaint.id).status_code == 422
    assert db.session.query(Referral).count() == 0


def test_the_regulators_answer_is_recorded_and_clears_the_overdue_marker(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    _refer(en_client, complaint.id, sent_on="2026-01-02")
    referral = db.session.scalars(select(Referral)).one()
    assert "Referral overdue" in en_client.get("/officer/?status=referred").get_data(as_text=True)
    response = en_client.post(
        f"/officer/referrals/{referral.id}",
        data={
            f"r{referral.id}-status": "action_taken",
            f"r{referral.id}-regulator_reference": "SAMR-77",
            f"r{referral.id}-outcome_notes": "约谈平台",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert referral.status == "action_taken" and referral.outcome_notes == "约谈平台"
    assert "Referral overdue" not in en_client.get("/officer/?status=referred").get_data(as_text=True)
    assert db.session.query(CaseEvent).filter_by(kind="referral_updated").count() == 1
