"""What the platform a complaint is about answered, and where the complaint stands with it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models import private
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow

#: Days the platform has to answer a complaint sent to it.
ANSWER_DAYS = 15
#: Days after sending by which a platform that answered "in progress" gives its final answer.
FINAL_ANSWER_DAYS = 60
#: Days after the final answer during which the consumer may say whether it settled the complaint.
REVIEW_DAYS = 30


class PlatformStage(StrEnum):
    """Where a complaint stands with its platform (the graph is `casework.platform_loop.RULES`)."""

    #: Triage has not decided yet (and complaints filed before the loop existed).
    NOT_SENT = "not_sent"
    #: Triage decided not to send it: the consumer fears retaliation, or it was too urgent.
    WITHHELD = "withheld"
    #: Sent; the platform's answer is due within 15 days.
    AWAITING = "awaiting"
    #: The platform answered "in progress"; its final answer is due within 60 days of sending.
    IN_PROGRESS = "in_progress"
    #: The platform gave its final answer; the consumer may say within 30 days whether it settled it.
    ANSWERED = "answered"
    #: The consumer said the answer settled the complaint (an officer still closes it).
    SETTLED = "settled"
    #: The consumer disputed the answer: back to an officer, who may refer it to a regulator.
    DISPUTED = "disputed"
    #: The platform said the consumer is not its customer: back to an officer.
    NOT_OUR_CUSTOMER = "not_our_customer"


class ResponseType(StrEnum):
    """The kind of answer a platform gives (after the CFPB's company responses)."""

    #: Fees or interest refunded, debt reduced.
    MONETARY_RELIEF = "monetary_relief"
    #: Collection stopped, agency removed, credit record corrected, apology.
    NON_MONETARY_RELIEF = "non_monetary_relief"
    EXPLANATION = "explanation"
    #: An interim answer; a final one must follow within 60 days of sending.
    IN_PROGRESS = "in_progress"
    #: Not the platform's customer; the complaint goes back to an officer.
    NOT_OUR_CUSTOMER = "not_our_customer"


class ConsumerReview(StrEnum):
    """What the consumer said of the platform's final answer."""

    SETTLED = "settled"
    DISPUTED = "disputed"


class PlatformResponse(db.Model):  # type: ignore[name-defined]
    """One answer of a platform's representative to one complaint, shown to the consumer."""

    __tablename__ = "platform_responses"
    __table_args__ = (CheckConstraint(enum_check("response_type", ResponseType), name="response_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint answered.
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: The platform that answered (the complaint's platform at the time).
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    #: The responder account that wrote it.
    responder_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    #: ResponseType.
    response_type: Mapped[str] = mapped_column(String(24))
    #: The answer to the consumer (encrypted: it may name them when they agreed to share their identity).
    text: Mapped[str] = mapped_column(private.EncryptedText("platform_responses.text"), default="")
    #: When it was given.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
