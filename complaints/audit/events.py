"""Writing the append-only case timeline, each record chained to the previous by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, text

from complaints.extensions import db
from complaints.models import ActorType, CaseEvent, Complaint, EventKind, Officer
from complaints.models.base import utcnow


def _event_digest(event: CaseEvent) -> str:
    """Hash of an event's content together with the previous event's hash."""
    body = {
        "id": event.id,
        "complaint_id": event.complaint_id,
        "actor_type": event.actor_type,
        "officer_id": event.officer_id,
        "kind": event.kind,
        "data": event.data,
        "public_message": event.public_message,
        "visible": event.visible_to_complainant,
        "remote_addr": event.remote_addr,
        "created_at": event.created_at.isoformat(),
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _lock_chain() -> None:
    """Serialise writers of the chain: an advisory lock on PostgreSQL.

    On SQLite the insert below already holds the database's single write lock.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(727274)"))


def record_event(
    kind: EventKind,
    *,
    complaint: Complaint | None = None,
    officer: Officer | None = None,
    actor_type: ActorType | None = None,
    data: dict[str, Any] | None = None,
    public_message: str = "",
    visible_to_complainant: bool = False,
    remote_addr: str = "",
) -> CaseEvent:
    """Append one event to the timeline and audit log, chained to the one before it.

    An untyped caller's string that is not an EventKind raises ValueError here, before anything is
    written, rather than starting a new kind nobody's labels or filters know.
    """
    kind = EventKind(kind)
    if actor_type is None:
        actor_type = ActorType.OFFICER if officer is not None else ActorType.SYSTEM
    _lock_chain()
    event = CaseEvent(
        complaint_id=complaint.id if complaint is not None else None,
        officer_id=officer.id if officer is not None else None,
        actor_type=actor_type.value,
        kind=kind.value,
        data=data or {},
        public_message=public_message,
        visible_to_complainant=visible_to_complainant,
        remote_addr=remote_addr,
        created_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    previous = db.session.scalar(
        select(CaseEvent.hash).where(CaseEvent.id < event.id).order_by(CaseEvent.id.desc()).limit(1)
    )
    event.prev_hash = previous or ""
    event.hash = _event_digest(event)
    db.session.flush()
    return event


def timeline(
    complaint: Complaint, *, consumer_visible: bool = False, kinds: Iterable[str] | None = None
) -> list[CaseEvent]:
    """A complaint's events, oldest first: only those shown to the consumer if ``consumer_visible``,
    only these ``kinds`` if given."""
    stmt = select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)
    if consumer_visible:
        stmt = stmt.where(CaseEvent.visible_to_complainant.is_(True))
    if kinds is not None:
        stmt = stmt.where(CaseEvent.kind.in_(list(kinds)))
    return list(db.session.scalars(stmt.order_by(CaseEvent.created_at, CaseEvent.id)))


def verify_chain() -> list[int]:
    """Ids of events whose hash or link to the previous event does not hold."""
    broken: list[int] = []
    previous = ""
    for event in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id)).yield_per(1000):
        if event.prev_hash != previous or event.hash != _event_digest(event):
            broken.append(event.id)
        previous = event.hash
    return broken
