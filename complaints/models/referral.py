"""A complaint sent to a regulator, and how the regulator answered."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.extensions import db
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow
from complaints.models.directory import Regulator

if TYPE_CHECKING:
    from complaints.models.complaint import Complaint
    from complaints.models.officer import Officer


class ReferralStatus(StrEnum):
    """What the regulator has done with a referral."""

    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ACTION_TAKEN = "action_taken"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"


class ReferralChannel(StrEnum):
    """How the referral was delivered."""

    HOTLINE = "hotline"
    WEB_PORTAL = "web_portal"
    EMAIL = "email"
    POST = "post"


class Referral(db.Model):  # type: ignore[name-defined]
    """One complaint referred to one regulator."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(enum_check("status", ReferralStatus), name="status"),
        CheckConstraint(enum_check("channel", ReferralChannel), name="channel"),
        # Overdue follow-ups: referrals still waiting, by due date.
        Index("ix_referrals_waiting_due", "status", "due_on", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint referred.
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: The regulator it went to.
    regulator_code: Mapped[str] = mapped_column(ForeignKey("regulators.code"), index=True)
    #: The officer who sent it.
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    #: Delivery channel (ReferralChannel).
    channel: Mapped[str] = mapped_column(String(16))
    #: Date it was sent.
    sent_on: Mapped[dt.date] = mapped_column(Date)
    #: The regulator's own case reference, once known.
    regulator_reference: Mapped[str] = mapped_column(String(100), default="")
    #: Regulator's answer so far (ReferralStatus).
    status: Mapped[str] = mapped_column(String(16), default=ReferralStatus.SENT.value, index=True)
    #: Follow-up due date, from the regulator's promised response time.
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: What came of it (officers only).
    outcome_notes: Mapped[str] = mapped_column(Text, default="")
    #: The consumer consented, so identity and contact details were included.
    identity_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When recorded.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last change.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    complaint: Mapped[Complaint] = relationship()
    regulator: Mapped[Regulator] = relationship()
    officer: Mapped[Officer | None] = relationship()
