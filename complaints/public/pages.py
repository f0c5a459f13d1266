"""Glue between the consumer's forms, the services and the templates."""

from __future__ import annotations

from typing import Any

from flask import Request
from sqlalchemy import select

from complaints.audit.events import timeline
from complaints.casework import platform_loop
from complaints.casework.referral import referrals_for_consumer
from complaints.core import labels
from complaints.core.i18n import current_language
from complaints.directory.reference_data import active_violation_types, families
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, EventKind, Regulator
from complaints.public.forms import ComplaintForm


def files_were_chosen(request: Request) -> bool:
    """Whether the refused submission carried files, which browsers cannot keep for a re-send."""
    return any(f.filename for f in request.files.getlist("evidence"))


def status_context(complaint: Complaint) -> dict[str, Any]:
    """The timeline events the consumer may see, oldest first, whom the complaint was sent to, and the
    platform's answers with whether the consumer may still review them."""
    return {
        "events": timeline(complaint, consumer_visible=True),
        "referrals": referrals_for_consumer(complaint, current_language()),
        "platform_responses": list(complaint.platform_responses),
        "can_review": platform_loop.can_review(complaint),
        "review_deadline": platform_loop.review_deadline(complaint),
    }


def rights_context() -> dict[str, Any]:
    """The taxonomy by family and the regulators, for the know-your-rights page."""
    language = current_language()
    grouped: dict[str, list[Any]] = {}
    for violation in active_violation_types():
        grouped.setdefault(violation.family, []).append(violation)
    regulators = list(
        db.session.scalars(select(Regulator).where(Regulator.active.is_(True)).order_by(Regulator.sort_order))
    )
    return {"families": families(), "grouped": grouped, "regulators": regulators, "language": language}


def violation_groups(form: ComplaintForm) -> list[tuple[dict[str, str], list[Any]]]:
    """The form's violation checkboxes grouped by family, each with its explanation."""
    by_code = {v.code: v for v in form.violation_types}
    groups: dict[str, list[Any]] = {}
    for choice in form.violations.choices:
        violation = by_code[choice.value]
        groups.setdefault(violation.family, []).append(violation)
    fam = families()
    return [(fam.get(family, {"zh": family, "en": family}), items) for family, items in groups.items()]


def event_label(event: CaseEvent) -> str:
    """What a timeline event means to the consumer."""
    if event.kind == EventKind.STATUS_CHANGED:
        target = event.data.get("to", "")
        if target == "closed" and event.data.get("resolution"):
            return labels.label(labels.RESOLUTIONS, event.data["resolution"])
        return labels.label(labels.STATUSES, target)
    return labels.label(labels.EVENT_KINDS, event.kind)
