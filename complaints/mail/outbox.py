"""The outbox's rules: enqueue in the caller's transaction, claim due messages once, record what happened.

A message is enqueued in the same transaction as the change it reports, so a rolled-back change
sends nothing and a committed one cannot lose its mail. A worker *claims* a message before sending
it: in one short transaction it counts the attempt and moves the message's next try past a lease,
so no other worker takes it meanwhile; it then sends with no lock held and commits the outcome.
If the worker dies between the two, the message is tried again once the lease is over: delivery
is at least once, and the stable Message-ID lets a receiver drop the rare second copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, func, select, update

from complaints.extensions import db
from complaints.models import MailKind, MailLanguage, OutboxMessage
from complaints.models.base import StrEnum

#: How long a claimed message is left to its worker before another may take it (well over an SMTP timeout).
CLAIM_LEASE = dt.timedelta(minutes=10)
#: From this many attempts on, a failing message is flagged on the supervisors' page (it is still retried).
MANY_ATTEMPTS = 10


class MailState(StrEnum):
    """Where a message stands, as supervisors read it."""

    WAITING = "waiting"
    FAILING = "failing"
    SENT = "sent"


class HasState(Protocol):
    """A message or a row of its clear columns: what its state is read from."""

    sent_at: dt.datetime | None
    last_error: str


def state_of(message: HasState) -> MailState:
    """Sent once the server took it; failing while its last try failed; else waiting (new, or in a worker's hands)."""
    if message.sent_at is not None:
        return MailState.SENT
    return MailState.FAILING if message.last_error else MailState.WAITING


def state_condition(state: MailState) -> ColumnElement[bool]:
    """SQL condition for messages in a state (the same rule as `state_of`)."""
    if state is MailState.SENT:
        return OutboxMessage.sent_at.is_not(None)
    unsent = OutboxMessage.sent_at.is_(None)
    return unsent & (OutboxMessage.last_error != "" if state is MailState.FAILING else OutboxMessage.last_error == "")


@dataclass(frozen=True)
class Message:
    """An unsaved message, composed in its recipient's language (what `complaints.mail.messages` returns)."""

    kind: MailKind
    recipient: str
    language: MailLanguage
    subject: str
    body: str


@dataclass(frozen=True)
class Backoff:
    """Seconds before the first retry, doubling with each failure up to ``cap``."""

    first: int = 30
    cap: int = 3600

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed try (1 for the first)."""
        exponent = min(max(attempts - 1, 0), 32)  # 2**32 × 30 s is far past any cap
        return dt.timedelta(seconds=min(self.first * 2**exponent, self.cap))


def enqueue(message: Message) -> OutboxMessage:
    """Add a message to the outbox in the current transaction (no commit: it goes or stays with the caller's change)."""
    row = OutboxMessage(
        kind=MailKind(message.kind).value,
        recipient=message.recipient,
        language=MailLanguage(message.language).value,
        subject=message.subject,
        body=message.body,
    )
    db.session.add(row)
    return row


def _due_condition(now: dt.datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)


def due(now: dt.datetime, limit: int) -> list[OutboxMessage]:
    """Unsent messages whose next try has come, oldest due first (a read: nothing is claimed)."""
    stmt = (
        select(OutboxMessage)
        .where(*_due_condition(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def count_waiting() -> int:
    """How many messages are not sent yet (due or not)."""
    unsent = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    return db.session.scalar(unsent) or 0


def claim(now: dt.datetime, limit: int, lease: dt.timedelta = CLAIM_LEASE) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages for this worker: their attempt counted, their next try after the lease.

    One UPDATE picks and marks the rows. On PostgreSQL its sub-select locks them ``FOR UPDATE SKIP
    LOCKED``, so a second worker claiming at the same moment passes over them instead of waiting
    and taking them too; on SQLite the UPDATE holds the database's single write lock from its first
    step, so the pick and the mark cannot interleave with another worker's. The caller commits the
    claim before sending.
    """
    picked = (
        select(OutboxMessage.id)
        .where(*_due_condition(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(picked.scalar_subquery()))
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def mark_sent(message: OutboxMessage, now: dt.datetime) -> None:
    """The SMTP server accepted the message."""
    message.sent_at = now
    message.last_error = ""
    db.session.flush()


def mark_failed(message: OutboxMessage, now: dt.datetime, error: str, backoff: Backoff) -> dt.datetime:
    """The try failed: keep why (an error class, never an address) and when to try again; returns that time."""
    message.last_error = error[:120]
    message.next_attempt_at = now + backoff.delay(message.attempts)
    db.session.flush()
    return message.next_attempt_at
