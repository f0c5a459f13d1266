"""The append-only timeline and audit log, each record chained to the previous by hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.base import StrEnum, UTCDateTime, utcnow
from complaints.models.private import EncryptedFields, EncryptedText


class ActorType(StrEnum):
    """Who caused an event."""

    COMPLAINANT = "complainant"
    #: An officer, a supervisor, or a platform's responder (all are accounts in ``officers``).
    OFFICER = "officer"
    SYSTEM = "system"


class EventKind(StrEnum):
    """What happened, as stored in ``case_events.kind``: the values are the stored strings, never renamed."""

    # The consumer's own steps.
    SUBMITTED = "submitted"
    INFORMATION_ADDED = "information_added"
    PUBLICATION_CONSENT_WITHDRAWN = "publication_consent_withdrawn"
    # Casework.
    STATUS_CHANGED = "status_changed"
    MESSAGE_TO_COMPLAINANT = "message_to_complainant"
    NOTE = "note"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    EVIDENCE_OPENED = "evidence_opened"
    PACKET_VIEWED = "packet_viewed"
    REFERRAL_UPDATED = "referral_updated"
    # Officer accounts.
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_ENROLLED = "account_enrolled"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  # an event kind, not a password  # nosec B105
    TOTP_RESET = "totp_reset"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    # The directory of platforms, collectors and regulators.
    PLATFORM_UPDATED = "platform_updated"
    PLATFORM_MERGED = "platform_merged"
    COLLECTOR_UPDATED = "collector_updated"
    COLLECTOR_MERGED = "collector_merged"
    COLLECTOR_LINKED = "collector_linked"
    REGULATOR_UPDATED = "regulator_updated"
    ROUTING_RULE_ADDED = "routing_rule_added"
    ROUTING_RULE_REMOVED = "routing_rule_removed"
    # The publication review of narratives.
    PUBLICATION_APPROVED = "publication_approved"
    PUBLICATION_WITHHELD = "publication_withheld"
    PUBLICATION_REVOKED = "publication_revoked"
    PUBLICATION_REOPENED = "publication_reopened"
    # The platform response loop.
    PLATFORM_SENT = "platform_sent"
    PLATFORM_WITHHELD = "platform_withheld"
    PLATFORM_ANSWERED = "platform_answered"
    PLATFORM_COMPLAINT_OPENED = "platform_complaint_opened"
    CONSUMER_REVIEWED = "consumer_reviewed"
    # Campaigns: the filing joined one (system), an officer split it off or judged it agent-filed.
    CAMPAIGN_JOINED = "campaign_joined"
    CAMPAIGN_LEFT = "campaign_left"
    AGENT_FILED = "agent_filed"
    # Retention.
    PERSONAL_DATA_PURGED = "personal_data_purged"
    # Mail: a supervisor read one outbox message (its recipient and text).
    OUTBOX_READ = "outbox_read"


class CaseEvent(db.Model):  # type: ignore[name-defined]
    """Who did what, when, to which complaint (or to the system, for sign-ins and exports)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint concerned; empty for account and export events.
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: Who caused it (ActorType).
    actor_type: Mapped[str] = mapped_column(String(16))
    #: The officer, when an officer caused it.
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    #: What happened (an EventKind value; a plain string column, so rows read back as str).
    kind: Mapped[str] = mapped_column(String(40), index=True)
    #: Structured details (old and new values …); never contact details. Free text a person wrote
    #: (``text``, ``reason``) is encrypted inside the JSON; the audit hash covers the plaintext.
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedFields("case_events.data"), default=dict)
    #: Text shown to the consumer on the status page, when visible to them (encrypted).
    public_message: Mapped[str] = mapped_column(EncryptedText("case_events.public_message"), default="")
    #: Whether the consumer sees this event on the status page.
    visible_to_complainant: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Where the request came from (officer events only).
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    #: When it happened.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Hash of the previous event, chaining the log.
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    #: Hash of this event's content and prev_hash.
    hash: Mapped[str] = mapped_column(String(64), default="")
