"""The mail outbox: messages written in the same transaction as the change they report, sent later by a worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models import private
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow


class MailKind(StrEnum):
    """Why a message is sent (the stored strings, never renamed)."""

    #: A platform's representative: a complaint about their platform waits in their portal.
    RESPONDER_NEW_COMPLAINT = "responder_new_complaint"
    #: A consumer who agreed to be contacted: the platform answered their complaint.
    CONSUMER_ANSWERED = "consumer_answered"
    #: A consumer who agreed to be contacted: their complaint's status changed.
    CONSUMER_STATUS_CHANGED = "consumer_status_changed"
    #: Officers: platform answers are overdue.
    OFFICER_OVERDUE = "officer_overdue"


class MailLanguage(StrEnum):
    """The languages a message can be composed in: the recipient's."""

    ZH_HANS = "zh_Hans"
    EN = "en"


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    """One e-mail to send, or sent: composed when the change happened, delivered by `flask send-mail`.

    The recipient is often a consumer's address, so recipient, subject and body are encrypted like
    the complaint's contact details; what stays clear (kind, times, attempts, an error class) says
    nothing about anyone.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(enum_check("kind", MailKind), name="kind"),
        CheckConstraint(enum_check("language", MailLanguage), name="language"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # What the worker asks for: unsent messages whose next try is due, oldest first.
        Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            "id",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Why it is sent (MailKind).
    kind: Mapped[str] = mapped_column(String(32))
    #: The e-mail address it goes to (private: a consumer's address).
    recipient: Mapped[str] = mapped_column(private.EncryptedText("outbox_messages.recipient"))
    #: The subject line, in the recipient's language.
    subject: Mapped[str] = mapped_column(private.EncryptedText("outbox_messages.subject"))
    #: The plain-text body, in the recipient's language.
    body: Mapped[str] = mapped_column(private.EncryptedText("outbox_messages.body"))
    #: The language it was composed in (MailLanguage).
    language: Mapped[str] = mapped_column(String(8))
    #: When it was written (in the transaction of the change it reports).
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: How many times a worker took it to send (a try cut short by a crash counts too).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When a worker may take it next: now for a new message, later after a failure or while one is sending it.
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the SMTP server accepted it; empty until then.
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Why the last try failed: an error class and SMTP code only, never an address or the server's text.
    last_error: Mapped[str] = mapped_column(String(120), default="")

    @property
    def is_sent(self) -> bool:
        """Whether the SMTP server accepted it."""
        return self.sent_at is not None

    @property
    def is_failing(self) -> bool:
        """Whether it is unsent and its last try failed."""
        return self.sent_at is None and bool(self.last_error)
