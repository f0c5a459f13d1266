"""Retention: a complaint's contact details and evidence go a set time after it was closed.

The complaint row, its codes, dates and status stay, so statistics never change; only what
identifies the person (every ``contact_*`` column, the evidence files and their device file
names, the consumer's own values inside the platform's answers) is removed; mail older than the
same period goes from the outbox, whatever complaint it was about. Each purge writes a
``personal_data_purged`` event, which also marks the complaint as done, so running the purge again
changes nothing. Complaints that hold nothing personal any more (no contact details, files already
deleted) are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Column, and_, delete, exists, or_, select
from sqlalchemy.orm import selectinload

from complaints.audit.events import record_event
from complaints.extensions import db
from complaints.intake.evidence_store import EvidenceStore
from complaints.intake.filing import purge_evidence
from complaints.models import (
    FILING_ORIGIN_WINDOW,
    ActorType,
    CaseEvent,
    Complaint,
    ComplaintStatus,
    EventKind,
    Evidence,
    FilingOrigin,
    OutboxMessage,
)
from complaints.models.base import utcnow
from complaints.publication import review
from complaints.publication.redaction import mask_private_values

#: The event that records a retention purge (and marks the complaint as purged).
PURGE_EVENT = EventKind.PERSONAL_DATA_PURGED


#: The contact details a consumer can give; the other contact_* columns are hashes of them.
CONTACT_DETAILS = ("contact_name", "contact_phone", "contact_email")


def contact_columns() -> list[Column[str]]:
    """Every contact column of a complaint (name, phone, e-mail and their keyed hashes)."""
    return [column for column in Complaint.__table__.columns if column.key.startswith("contact_")]


@dataclass(frozen=True)
class PurgeItem:
    """One complaint due for purging and what would go."""

    complaint_id: int
    reference: str
    closed_at: dt.datetime
    resolution: str
    contact_fields: int
    files: int
    file_bytes: int


@dataclass
class PurgePlan:
    """The complaints closed before the cut-off whose personal data is still held."""

    cutoff: dt.datetime
    items: list[PurgeItem] = field(default_factory=list)

    @property
    def contact_fields(self) -> int:
        """Contact fields to clear, all complaints together."""
        return sum(item.contact_fields for item in self.items)

    @property
    def files(self) -> int:
        """Evidence files to delete, all complaints together."""
        return sum(item.files for item in self.items)

    @property
    def file_bytes(self) -> int:
        """Bytes of evidence to delete, all complaints together."""
        return sum(item.file_bytes for item in self.items)


def cutoff_for(retention_days: int, now: dt.datetime | None = None) -> dt.datetime:
    """Complaints closed at or before this moment are due."""
    if retention_days < 0:
        raise ValueError("RETENTION_DAYS cannot be negative")
    return (now or utcnow()) - dt.timedelta(days=retention_days)


def _due(cutoff: dt.datetime, limit: int | None) -> list[Complaint]:
    """Closed complaints (every resolution, withdrawn included) past the cut-off and not yet purged."""
    already = exists().where(CaseEvent.complaint_id == Complaint.id, CaseEvent.kind == PURGE_EVENT)
    # Only complaints that still hold something: no empty events for complaints with nothing to remove.
    holds_contact = [
        and_(column.is_not(None), column != "") if column.nullable else column != "" for column in contact_columns()
    ]
    holds_evidence = exists().where(
        Evidence.complaint_id == Complaint.id, or_(Evidence.purged_at.is_(None), Evidence.original_name != "")
    )
    stmt = (
        select(Complaint)
        .where(
            Complaint.status == ComplaintStatus.CLOSED.value,
            Complaint.closed_at.is_not(None),
            Complaint.closed_at <= cutoff,
            ~already,
            or_(*holds_contact, holds_evidence),
        )
        .options(selectinload(Complaint.evidence))
        .order_by(Complaint.closed_at, Complaint.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def _item(complaint: Complaint) -> PurgeItem:
    live = [evidence for evidence in complaint.evidence if evidence.purged_at is None]
    # What the consumer gave (name, phone, e-mail), not the keyed hashes derived from it.
    filled = sum(1 for key in CONTACT_DETAILS if getattr(complaint, key))
    return PurgeItem(
        complaint_id=complaint.id,
        reference=complaint.reference,
        closed_at=complaint.closed_at or complaint.updated_at,  # _due selects closed_at IS NOT NULL
        resolution=complaint.resolution or "",
        contact_fields=filled,
        files=len(live),
        file_bytes=sum(evidence.size_bytes for evidence in live),
    )


def _mask_platform_answers(complaint: Complaint) -> None:
    """The platform's answers lose the consumer's own values (a platform told who complains may name them)."""
    if not complaint.platform_responses:
        return
    private = review.private_values(complaint)  # read before the contact columns are cleared
    for response in complaint.platform_responses:
        masked = mask_private_values(response.text, private, complaint.language)
        if masked != response.text:
            response.text = masked


def purge_mail(cutoff: dt.datetime) -> int:
    """Delete outbox messages written before the cut-off, sent or not: they hold people's addresses."""
    result = db.session.execute(delete(OutboxMessage).where(OutboxMessage.created_at <= cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_filing_origins(now: dt.datetime | None = None) -> int:
    """Delete the filing networks older than the window they serve (complaints.casework.duplicates)."""
    cutoff = (now or utcnow()) - FILING_ORIGIN_WINDOW
    result = db.session.execute(delete(FilingOrigin).where(FilingOrigin.filed_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def plan_purge(retention_days: int, now: dt.datetime | None = None) -> PurgePlan:
    """What a purge would remove now; changes nothing (the dry run)."""
    cutoff = cutoff_for(retention_days, now)
    return PurgePlan(cutoff=cutoff, items=[_item(complaint) for complaint in _due(cutoff, None)])


def purge_due(
    retention_days: int, store: EvidenceStore, *, now: dt.datetime | None = None, limit: int | None = 500
) -> PurgePlan:
    """Purge up to ``limit`` due complaints; flushes, and files go only when the caller commits.

    Returns what was purged. The caller commits and calls again until nothing is left.
    """
    cutoff = cutoff_for(retention_days, now)
    plan = PurgePlan(cutoff=cutoff)
    for complaint in _due(cutoff, limit):
        item = _item(complaint)
        _mask_platform_answers(complaint)
        for column in contact_columns():
            setattr(complaint, column.key, None if column.nullable else "")
        purge_evidence(complaint, store)
        for evidence in complaint.evidence:
            evidence.original_name = ""  # a device file name may carry a person's name
        record_event(
            PURGE_EVENT,
            complaint=complaint,
            actor_type=ActorType.SYSTEM,
            data={
                "retention_days": retention_days,
                "contact_fields": item.contact_fields,
                "evidence_files": item.files,
                "evidence_bytes": item.file_bytes,
            },
        )
        plan.items.append(item)
    db.session.flush()
    return plan
