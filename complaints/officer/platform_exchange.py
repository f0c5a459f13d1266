"""What the case page and the referral packet show of a complaint's exchange with its platform."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from complaints.audit.events import timeline
from complaints.casework import platform_loop
from complaints.extensions import db
from complaints.models import Complaint, EventKind, Officer
from complaints.publication import review
from complaints.publication.redaction import mask_private_values


def dispute_reasons(complaint: Complaint) -> list[str]:
    """The consumer's reasons for disputing the platform's answers, oldest first."""
    events = timeline(complaint, kinds=[EventKind.CONSUMER_REVIEWED])
    return [str(event.data["reason"]) for event in events if event.data.get("reason")]


@dataclass(frozen=True)
class ExchangeItem:
    """One answer of the platform as a referral packet prints it."""

    response_type: str
    created_at: dt.datetime
    text: str


def packet_exchange(complaint: Complaint, identity_shown: bool) -> dict[str, Any]:
    """The whole exchange with the platform for a regulator's packet.

    Without the consumer's identity in the packet, the complaint's own private values (name, phone,
    e-mail, loan reference) are masked in the platform's answers and the consumer's reasons too,
    wherever and however they are written: a platform that knows its customer may have named them.
    """
    private = review.private_values(complaint)

    def shown(text: str) -> str:
        return text if identity_shown else mask_private_values(text, private, complaint.language)

    return {
        "exchange": [
            ExchangeItem(response.response_type, response.created_at, shown(response.text))
            for response in complaint.platform_responses
        ],
        "exchange_disputes": [shown(reason) for reason in dispute_reasons(complaint)],
    }


def platform_context(complaint: Complaint) -> dict[str, Any]:
    """The platform stage, its deadline, the answers with who wrote them, and the consumer's review."""
    responses = list(complaint.platform_responses)
    ids = {response.responder_id for response in responses}
    names = (
        {o.id: o.display_name or o.email for o in db.session.scalars(select(Officer).where(Officer.id.in_(ids)))}
        if ids
        else {}
    )
    return {
        "platform_responses": responses,
        "responder_names": names,
        "platform_overdue": platform_loop.is_overdue(complaint),
        "can_send_to_platform": platform_loop.can_send(complaint),
        "review_deadline": platform_loop.review_deadline(complaint),
        "dispute_reasons": dispute_reasons(complaint),
    }
