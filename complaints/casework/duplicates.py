"""Suggested duplicates: shared contact details, shared collector numbers, near-identical narratives."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from complaints.extensions import db
from complaints.models import Complaint, ReportedPhone
from complaints.models.private import normalised_narrative

#: How alike two narratives must be (difflib ratio) to count as near-identical.
SIMILARITY = 0.85
#: Narratives compared: the same platform's complaints from this many days either side.
WINDOW_DAYS = 180
MAX_COMPARED = 300
__all__ = ["Suggestion", "narrative_similarity", "normalised_narrative", "suggest_duplicates"]


@dataclass
class Suggestion:
    """Another complaint that may be the same matter, and why it was suggested."""

    complaint: Complaint
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0


def narrative_similarity(first: str, second: str) -> float:
    """How alike two narratives are, from 0 to 1 (difflib's ratio on the normalised text)."""
    a, b = normalised_narrative(first)[:3000], normalised_narrative(second)[:3000]
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return 0.0
    return matcher.ratio()


def suggest_duplicates(complaint: Complaint, limit: int = 10) -> list[Suggestion]:
    """Complaints that share contact details or collector numbers with this one, or tell the same story."""
    found: dict[int, Suggestion] = {}

    def add(other: Complaint, reason: str, similarity: float = 0.0) -> None:
        suggestion = found.setdefault(other.id, Suggestion(other))
        if reason not in suggestion.reasons:
            suggestion.reasons.append(reason)
        suggestion.similarity = max(suggestion.similarity, similarity)

    # The contact details are encrypted: equal details have equal keyed hashes.
    contact = []
    if complaint.contact_email_hash:
        contact.append(Complaint.contact_email_hash == complaint.contact_email_hash)
    if complaint.contact_phone_hash:
        contact.append(Complaint.contact_phone_hash == complaint.contact_phone_hash)
    if contact:
        for other in db.session.scalars(select(Complaint).where(or_(*contact), Complaint.id != complaint.id).limit(50)):
            add(other, "contact")

    phones = [p.phone for p in complaint.reported_phones]
    if phones:
        sharing = select(ReportedPhone.complaint_id).where(
            ReportedPhone.phone.in_(phones), ReportedPhone.complaint_id != complaint.id
        )
        # IN rather than DISTINCT: PostgreSQL cannot compare the JSON columns DISTINCT would need.
        shared = select(Complaint).where(Complaint.id.in_(sharing)).order_by(Complaint.id.desc()).limit(50)
        for other in db.session.scalars(shared):
            add(other, "phone")

    if complaint.narrative_fingerprint:
        # The same story word for word (spaces and punctuation aside), however far apart in time.
        same_story = select(Complaint).where(
            Complaint.narrative_fingerprint == complaint.narrative_fingerprint,
            Complaint.platform_id == complaint.platform_id,
            Complaint.id != complaint.id,
        )
        for other in db.session.scalars(same_story.order_by(Complaint.id.desc()).limit(50)):
            add(other, "narrative", 1.0)

    window = dt.timedelta(days=WINDOW_DAYS)
    nearby = (
        select(Complaint)
        .where(
            Complaint.platform_id == complaint.platform_id,
            Complaint.id != complaint.id,
            Complaint.submitted_at >= complaint.submitted_at - window,
            Complaint.submitted_at <= complaint.submitted_at + window,
        )
        .order_by(Complaint.submitted_at.desc())
        .limit(MAX_COMPARED)
    )
    for other in db.session.scalars(nearby):
        similarity = narrative_similarity(complaint.narrative, other.narrative)
        if similarity >= SIMILARITY:
            add(other, "narrative", similarity)

    ranked = sorted(found.values(), key=lambda s: (-len(s.reasons), -s.similarity, -s.complaint.id))
    return ranked[:limit]
