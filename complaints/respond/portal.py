"""What the responder portal lists and shows: the one platform's sent complaints, without what it may not see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from complaints.casework import platform_loop
from complaints.extensions import db
from complaints.models import Complaint, Officer, PlatformStage
from complaints.models.base import StrEnum
from complaints.publication import review

PAGE_SIZE = 50


class Show(StrEnum):
    """The portal's list filters."""

    WAITING = "waiting"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    ALL = "all"


ANSWERED_STAGES = (PlatformStage.ANSWERED, PlatformStage.SETTLED, PlatformStage.DISPUTED)


@dataclass(frozen=True)
class PortalPage:
    """One page of the portal's list."""

    complaints: list[Complaint]
    page: int
    has_next: bool


def complaints_page(responder: Officer, show: Show, page: int, now: dt.datetime) -> PortalPage:
    """The responder's complaints under one filter: waiting and overdue by deadline, the rest newest first."""
    stmt = select(Complaint).where(platform_loop.visible_clause(responder))
    # Only a complaint waiting for the platform has a deadline (`platform_loop`), so both lists are one
    # ordered range of the (platform, deadline) index, cut after a page.
    if show is Show.WAITING:
        stmt = stmt.where(Complaint.platform_answer_due_at.is_not(None), platform_loop.waiting_clause())
        stmt = stmt.order_by(Complaint.platform_answer_due_at, Complaint.id)
    elif show is Show.OVERDUE:
        stmt = stmt.where(platform_loop.overdue_clause(now)).order_by(Complaint.platform_answer_due_at, Complaint.id)
    else:
        if show is Show.ANSWERED:
            stmt = stmt.where(Complaint.platform_stage.in_([stage.value for stage in ANSWERED_STAGES]))
        stmt = stmt.order_by(Complaint.sent_to_platform_at.desc(), Complaint.id.desc())
    page = max(1, page)
    rows = list(
        db.session.scalars(
            stmt.options(selectinload(Complaint.violations)).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
        )
    )
    return PortalPage(complaints=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE)


def find_visible(responder: Officer, reference: str) -> Complaint | None:
    """The complaint with this reference, if the responder may open it (else None: a 404, never a hint)."""
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference[:20]))
    if complaint is None or not platform_loop.is_visible_to(responder, complaint):
        return None
    return complaint


def complaint_view(complaint: Complaint) -> dict[str, Any]:
    """What a responder reads of one complaint.

    Always: reference, dates, violation codes, how and whom the collector contacted, and the
    narrative redacted as for publication (the consumer's own values and every personal detail
    removed). Only with the consumer's consent to share with the platform: their name, phone,
    e-mail, loan reference, amount owed and days overdue. Never: evidence files, province, the
    reported collector's name, the consumer's desired outcome in their own words.
    """
    shared = complaint.consent_share_with_platform
    identity = (
        {
            "name": complaint.contact_name,
            "phone": complaint.contact_phone,
            "email": complaint.contact_email,
            "loan_reference": complaint.loan_reference,
            "amount_owed": complaint.amount_owed,
            "days_overdue": complaint.days_overdue,
        }
        if shared
        else None
    )
    return {
        "complaint": complaint,
        "narrative": review.preview(complaint),
        "identity": identity,
        "responses": list(complaint.platform_responses),
        "overdue": platform_loop.is_overdue(complaint),
        "answer_types": platform_loop.answer_types(complaint),
    }
