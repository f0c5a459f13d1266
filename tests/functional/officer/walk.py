"""Shared setup for the tests that walk every route: sample rows, URL building, signed-in clients."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from complaints.extensions import db, limiter
from complaints.intake.storage import evidence_store
from complaints.mail import messages, outbox
from complaints.models import Campaign, Complaint, Referral, RoutingRule
from tests.factories import CollectorFactory, ComplaintFactory, EvidenceFactory, PlatformFactory
from tests.factories_officer import make_admin, make_officer, make_responder, sign_in

#: Who may use each officer and responder-portal endpoint: "anyone" (sign-in, enrolment), "officer"
#: (every signed-in officer), "admin" (supervisors only) or "responder" (a platform's responder,
#: no one else). A new endpoint must be added here, or the walk fails.
ACCESS: dict[str, str] = {
    "officer.sign_in": "anyone",
    "officer.enrol": "anyone",
    "officer.sign_out": "officer",
    "officer.account": "officer",
    "officer.queue": "officer",
    "officer.bulk_assign": "officer",
    "officer.case": "officer",
    "officer.evidence_file": "officer",
    "officer.assign": "officer",
    "officer.add_note": "officer",
    "officer.message": "officer",
    "officer.request_info": "officer",
    "officer.accept": "officer",
    "officer.reject": "officer",
    "officer.close": "officer",
    "officer.mark_duplicate": "officer",
    "officer.compare": "officer",
    "officer.refer": "officer",
    "officer.update_referral": "officer",
    "officer.packet": "officer",
    "officer.suggest_platforms": "officer",
    "officer.suggest_collectors": "officer",
    "officer.accounts_page": "admin",
    "officer.disable_account": "admin",
    "officer.enable_account": "admin",
    "officer.reset_account": "admin",
    "officer.platforms": "admin",
    "officer.platform": "admin",
    "officer.platform_merge": "admin",
    "officer.collectors": "admin",
    "officer.collector": "admin",
    "officer.collector_merge": "admin",
    "officer.collector_link": "admin",
    "officer.regulators": "admin",
    "officer.regulator": "admin",
    "officer.routing_rules": "admin",
    "officer.routing_rule_delete": "admin",
    "officer.audit": "admin",
    "officer.outbox_page": "admin",
    "officer.outbox_message": "admin",
    "officer.publication_queue": "admin",
    "officer.publication_case": "admin",
    "officer.publication_approve": "admin",
    "officer.publication_withhold": "admin",
    "officer.publication_revoke": "admin",
    "officer.publication_reopen": "admin",
    "officer.invite_responder": "admin",
    "officer.send_to_platform": "officer",
    "officer.campaigns_page": "officer",
    "officer.campaign_page": "officer",
    "officer.campaign_act": "officer",
    "respond.portal_home": "responder",
    "respond.portal": "responder",
    "respond.complaint": "responder",
    "respond.answer": "responder",
    "respond.sign_out": "responder",
    "respond.account": "responder",
}

#: The roles a walk signs in as (besides "anyone").
ROLES = ("officer", "admin", "responder")


@dataclass
class Sample:
    """Rows every parametrised URL can point at."""

    values: dict[str, Any]

    def url(self, app: Flask, rule: Rule) -> str:
        """The rule's URL with sample values for its arguments (1 for arguments of other areas' routes)."""
        with app.test_request_context():
            from flask import url_for

            return url_for(rule.endpoint, **{arg: self.values.get(arg, 1) for arg in rule.arguments})


def make_sample() -> Sample:
    """A complaint with stored evidence and a referral, another complaint, directory rows, a spare account."""
    complaint = ComplaintFactory(
        status="accepted",
        phones=["+8613800000001"],
        accepted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        consent_publish=True,
        publication_status="pending",
    )
    other = ComplaintFactory()
    key, _ = evidence_store().put(b"\x89PNG sample")
    evidence = EvidenceFactory(complaint=complaint, sha256=key, storage_key=key)
    referral = Referral(
        complaint_id=complaint.id,
        regulator_code="SAMR",
        channel="hotline",
        sent_on=dt.date(2026, 11, 1),
        due_on=dt.date(2026, 11, 16),
    )
    db.session.add(referral)
    spare = make_officer("spare@example.test")
    platform, second_platform = PlatformFactory(), PlatformFactory()
    # Sent to the walk's responder's platform, so the portal's complaint pages open for them.
    complaint.platform_id = platform.id
    complaint.platform_stage = "awaiting"
    complaint.sent_to_platform_at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    complaint.platform_answer_due_at = dt.datetime(2026, 11, 17, tzinfo=dt.UTC)
    collector = CollectorFactory()
    campaign = Campaign()
    db.session.add(campaign)
    db.session.flush()
    other.campaign_id = campaign.id
    rule = db.session.query(RoutingRule).first()
    mail = outbox.enqueue(
        messages.consumer_answered(
            recipient="walker@example.org",
            language="zh_Hans",
            reference=complaint.reference,
            link="https://x.example.org",
        )
    )
    db.session.commit()
    return Sample(
        {
            "complaint_id": complaint.id,
            "reference": complaint.reference,
            "other_id": other.id,
            "evidence_id": evidence.id,
            "referral_id": referral.id,
            "officer_id": spare.id,
            "token": "no-such-token",
            "platform_id": platform.id,
            "collector_id": collector.id,
            "code": "SAMR",
            "rule_id": rule.id if rule else 1,
            "message_id": mail.id,
            "campaign_id": campaign.id,
            "filename": "css/app.css",
            "second_platform": second_platform.id,
            # Statistics routes' arguments.
            "by": "platform",
            "kind": "platform",
            "key": platform.id,
            "table_id": "violations",
            "name": "complaints.csv",
        }
    )


def signed_in_cookies(app: Flask) -> dict[str, str]:
    """Session cookies of a signed-in officer and supervisor, to copy into fresh clients."""
    cookies = {}
    platform = db.session.scalars(
        select(Complaint.platform_id).where(Complaint.sent_to_platform_at.is_not(None))
    ).first()
    responder = make_responder(platform or PlatformFactory().id, "walk-responder@example.org")
    for role, officer in (("officer", make_officer()), ("admin", make_admin()), ("responder", responder)):
        client = app.test_client()
        sign_in(client, officer)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        assert cookie is not None
        cookies[role] = cookie.value
    return cookies


_DISPOSABLE = itertools.count(1)


def disposable_client(app: Flask, role: str) -> FlaskClient:
    """A client signed in as a new account of the role, for routes that end the session they run in.

    Sessions live on the server: signing out with a copy of a role's cookie ends that role's
    session for every other copy too, so such a route gets a session of its own.
    """
    email = f"walk-{role}-{next(_DISPOSABLE)}@example.test"
    if role == "responder":
        officer = make_responder(PlatformFactory().id, email)
    else:
        officer = make_admin(email) if role == "admin" else make_officer(email)
    client = app.test_client()
    client.set_cookie("lang", "en")
    # The walk itself posts to the sign-in page as each role; its own sign-ins are not what is limited.
    limiter.reset()
    sign_in(client, officer)
    return client


def client_as(app: Flask, cookies: dict[str, str], role: str) -> FlaskClient:
    """A fresh client, anonymous or carrying a copy of a role's session cookie."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    if role != "anyone":
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies[role])
    return client


def methods(rule: Rule) -> list[str]:
    """The methods a rule answers, without the automatic ones."""
    return sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"})
