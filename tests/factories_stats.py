"""Factories for complaints that passed triage, for the statistics tests (fictional data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from complaints.casework.lifecycle import Action, apply_transition
from complaints.extensions import db
from complaints.models import Complaint, Referral
from tests.factories import ComplaintFactory


def accepted_complaint(submitted: dt.datetime | None = None, days_to_triage: int = 2, **kwargs: Any) -> Complaint:
    """A complaint filed and then accepted at triage through the lifecycle."""
    submitted = submitted or dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
    complaint: Complaint = ComplaintFactory(submitted_at=submitted, **kwargs)
    apply_transition(complaint, Action.ACCEPT)
    complaint.accepted_at = submitted + dt.timedelta(days=days_to_triage, hours=1)
    db.session.commit()
    return complaint


def refer(complaint: Complaint, regulator: str = "NFRA", status: str = "sent") -> Referral:
    """Refer an accepted complaint to a regulator."""
    apply_transition(complaint, Action.REFER)
    referral = Referral(
        complaint=complaint,
        regulator_code=regulator,
        channel="hotline",
        sent_on=dt.date(2026, 10, 20),
        due_on=dt.date(2026, 11, 20),
        status=status,
    )
    db.session.add(referral)
    db.session.commit()
    return referral
