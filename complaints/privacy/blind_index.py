"""Keeping the blind indexes (keyed hashes of contact details, narrative bigrams) in step with every write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from complaints.core.crypto import current_keyring
from complaints.models import Complaint


def _refresh_blind_indexes(session: Session, flush_context: object, instances: object) -> None:
    # Derived at flush, not in each service, so that no write path (form, factory, script) can forget them.
    new = [obj for obj in session.new if isinstance(obj, Complaint)]
    dirty = [obj for obj in session.dirty if isinstance(obj, Complaint)]
    if not new and not dirty:
        return
    ring = current_keyring()
    for complaint in new:
        complaint.refresh_blind_indexes(ring, new=True)
    for complaint in dirty:
        complaint.refresh_blind_indexes(ring, new=False)


def install(target: scoped_session[Any]) -> None:
    """Refresh a complaint's blind indexes before each flush of ``target``'s sessions (idempotent)."""
    if not event.contains(target, "before_flush", _refresh_blind_indexes):
        event.listen(target, "before_flush", _refresh_blind_indexes)
