"""Complaints holding fictional contact details and a real stored evidence file, closed some days ago."""

from __future__ import annotations

import datetime as dt

from complaints.casework.lifecycle import Action, apply_transition
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import Complaint, Resolution
from complaints.models.base import utcnow
from tests import media
from tests.factories import ComplaintFactory, EvidenceFactory
from tests.factories_stats import accepted_complaint


def with_personal_data(complaint: Complaint, store: LocalEvidenceStore, colour: str) -> Complaint:
    """Fictional contact details and one real stored evidence file."""
    complaint.contact_name = "王小测"
    complaint.contact_phone = "+8613800000001"
    complaint.contact_email = "wang.test@example.test"
    complaint.contact_fingerprint = "f" * 64
    data = media.png(colour)
    key, _ = store.put(data)
    EvidenceFactory(complaint=complaint, sha256=key, storage_key=key, size_bytes=len(data), original_name="王小测.png")
    db.session.commit()
    return complaint


def closed(days_ago: int, store: LocalEvidenceStore, colour: str, *, withdraw: bool = False) -> Complaint:
    complaint = accepted_complaint() if not withdraw else ComplaintFactory()
    if withdraw:
        apply_transition(complaint, Action.WITHDRAW)
    else:
        apply_transition(complaint, Action.CLOSE, resolution=Resolution.RESOLVED)
    complaint.closed_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.commit()
    return with_personal_data(complaint, store, colour)
