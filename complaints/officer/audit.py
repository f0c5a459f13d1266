"""The supervisors' audit page: every recorded event, filtered, newest first, and whether the chain holds."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import render_template, request, url_for
from sqlalchemy import select

from complaints.core.database import parse_id
from complaints.extensions import db
from complaints.intake.access import normalise_reference
from complaints.models import CaseEvent, Complaint, Officer
from complaints.officer.blueprint import bp
from complaints.officer.event_labels import EVENTS
from complaints.officer.permissions import Permission, require

PAGE = 100


def _date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 else None


@bp.get("/audit")
@require(Permission.VIEW_AUDIT)
def audit() -> str:
    """Events by kind, officer, complaint, address and date, in pages of a hundred."""
    args = request.args
    stmt = select(CaseEvent)
    kind = args.get("kind", "")[:40]
    if kind:
        stmt = stmt.where(CaseEvent.kind == kind)
    officer_id = parse_id(args.get("officer"))
    if officer_id is not None:
        stmt = stmt.where(CaseEvent.officer_id == officer_id)
    reference = args.get("reference", "").strip()[:20]
    missing_reference = False
    if reference:
        complaint_id = db.session.scalar(
            select(Complaint.id).where(Complaint.reference == normalise_reference(reference))
        )
        missing_reference = complaint_id is None
        stmt = stmt.where(CaseEvent.complaint_id == (complaint_id or -1))
    address = args.get("address", "").strip()[:64]
    if address:
        stmt = stmt.where(CaseEvent.remote_addr == address)
    start, end = _date(args.get("from")), _date(args.get("to"))
    if start:
        stmt = stmt.where(CaseEvent.created_at >= dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC))
    if end:
        stmt = stmt.where(
            CaseEvent.created_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        )
    before = parse_id(args.get("before"))
    if before is not None:
        stmt = stmt.where(CaseEvent.id < before)
    events = list(db.session.scalars(stmt.order_by(CaseEvent.id.desc()).limit(PAGE + 1)))
    more = len(events) > PAGE
    events = events[:PAGE]
    kept = {k: v for k, v in args.items() if k != "before" and v}
    next_url = url_for("officer.audit") + "?" + urlencode({**kept, "before": events[-1].id}) if more else None
    officers = list(db.session.scalars(select(Officer).order_by(Officer.email)))
    references = dict(
        db.session.execute(
            select(Complaint.id, Complaint.reference).where(
                Complaint.id.in_({e.complaint_id for e in events if e.complaint_id})
            )
        ).all()
    )
    return render_template(
        "officer/audit.html",
        events=events,
        officers=officers,
        names={o.id: o.display_name or o.email for o in officers},
        references=references,
        kinds=sorted(EVENTS),
        args=kept,
        next_url=next_url,
        missing_reference=missing_reference,
    )
