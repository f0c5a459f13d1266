"""What the case page and the referral packet show of a complaint's exchange with its platform."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from complaints.audit.events import timeline
from complaints.casework import platform_loop
from complaints.extensions import db
from complaints.models import Complaint, EventKind, Officer


def dispute_reasons(complaint: Complaint) -> list[str]:
    """The consumer's reasons for disputing the platform's answers, oldest first."""
    events = timeline(complaint, kinds=[EventKind.CONSUMER_REVIEWED])
    return [str(event.data["reason"]) for event in events if event.data.get("reason")]


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
