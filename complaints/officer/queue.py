"""The triage queue: counts per status, filters, search, keyset pages and bulk assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from complaints.casework import queue as queue_service
from complaints.casework.triage import assign
from complaints.core.clock import local_today
from complaints.core.database import MAX_ID
from complaints.core.i18n import current_language
from complaints.core.security import safe_next_url
from complaints.core.transaction import savepoint
from complaints.directory.reference_data import active_violation_types, provinces
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Collector, Complaint, ComplaintStatus, Officer, Platform, Severity
from complaints.models.base import utcnow
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.permissions import Permission, require

#: A submitted complaint waiting longer than this many days is marked as old.
STALE_DAYS = 7
#: How long the counts per status may be reused (QUEUE_COUNTS_SECONDS overrides; tests set 0).
COUNTS_SECONDS = 15


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    # Ids are 32-bit in the database; anything larger cannot exist (and PostgreSQL would refuse it).
    return number if 0 < number <= MAX_ID else None


def _date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 else None


def parse_filter(args: MultiDict[str, str], me: int) -> queue_service.QueueFilter:
    """The queue filter from the query string; values that make no sense are ignored."""
    status = args.get("status", "open")
    if status not in ("open", "all", *ComplaintStatus.values()):
        status = "open"
    severity = args.get("severity", "")
    assignee = args.get("assignee", "")
    return queue_service.QueueFilter(
        status=status,
        severity=severity if severity in Severity.values() else "",
        platform_id=_int(args.get("platform")),
        collector_id=_int(args.get("collector")),
        code=args.get("code", "")[:16],
        assignee_id=me if assignee == "me" else _int(assignee),
        unassigned=assignee == "none",
        overdue=args.get("overdue") == "1",
        has_evidence=args.get("evidence") == "1",
        received_from=_date(args.get("from")),
        received_to=_date(args.get("to")),
        province=args.get("province", "")[:8],
        search=args.get("q", "").strip()[:100],
        sort=args.get("sort", "newest") if args.get("sort") in queue_service.SORTS else "newest",
        cursor=args.get("after", "")[:80],
    )


def _counts_max_age() -> float:
    default = 0 if current_app.testing else COUNTS_SECONDS
    return float(current_app.config.get("QUEUE_COUNTS_SECONDS", default))


#: Platforms and collectors listed in the filter's drop-downs, in name order.
LISTED = 500


def _with_chosen(entries: list[Any], model: type[Platform] | type[Collector], chosen: int | None) -> list[Any]:
    """The listed entries, plus the one filtered on if the list stops before it."""
    if chosen is None or any(entry.id == chosen for entry in entries):
        return entries
    entry = db.session.get(model, chosen)
    return [entry, *entries] if entry is not None else entries


def _choices(query: queue_service.QueueFilter) -> dict[str, Any]:
    """Options for the filter form; the platform or collector filtered on is always among them."""
    officers = list(db.session.scalars(select(Officer).where(Officer.active.is_(True)).order_by(Officer.email)))
    platforms = list(
        db.session.scalars(
            select(Platform).where(Platform.merged_into_id.is_(None)).order_by(Platform.name_zh).limit(LISTED)
        )
    )
    collectors = list(
        db.session.scalars(
            select(Collector).where(Collector.merged_into_id.is_(None)).order_by(Collector.name).limit(LISTED)
        )
    )
    return {
        "platforms": _with_chosen(platforms, Platform, query.platform_id),
        "collectors": _with_chosen(collectors, Collector, query.collector_id),
        "officers": officers,
        "violation_types": active_violation_types(),
        "provinces": provinces(),
    }


@bp.get("/")
@require(Permission.VIEW_CASES)
def queue() -> str:
    """The list of complaints an officer works through."""
    query = parse_filter(request.args, current_user.id)
    page = queue_service.queue_page(query)
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    choices = _choices(query)
    language = current_language()
    next_url = (
        url_for("officer.queue") + "?" + urlencode({**args, "after": page.next_cursor}) if page.next_cursor else None
    )
    return render_template(
        "officer/queue.html",
        query=query,
        args=args,
        page=page,
        counts=queue_service.status_counts(max_age=_counts_max_age()),
        overdue_total=queue_service.overdue_count(max_age=_counts_max_age()),
        next_url=next_url,
        short_search=queue_service.search_too_short(query),
        first_url=url_for("officer.queue") + ("?" + urlencode(args) if args else ""),
        today=local_today(),
        now=utcnow(),
        stale_days=STALE_DAYS,
        violation_labels={v.code: v.label(language) for v in choices["violation_types"]},
        **choices,
    )


@bp.post("/queue/assign")
@require(Permission.ASSIGN)
def bulk_assign() -> Response:
    """Assign the ticked complaints to one officer (or to nobody)."""
    back = safe_next_url(request.form.get("next"), url_for("officer.queue"))
    if not back.startswith("/officer"):
        back = url_for("officer.queue")
    ids = [n for n in (_int(v) for v in request.form.getlist("complaint_ids")) if n][:200]
    target = request.form.get("assignee", "")
    assignee_id = _int(target)
    assignee = db.session.get(Officer, assignee_id) if assignee_id is not None else None
    if target not in ("none",) and assignee is None:
        flash(_("Choose whom to assign the complaints to."), "error")
        return redirect(back, code=303)
    if not ids:
        flash(_("Tick at least one complaint."), "error")
        return redirect(back, code=303)
    changed = 0
    try:
        with savepoint():
            for complaint in db.session.scalars(select(Complaint).where(Complaint.id.in_(ids))):
                changed += assign(complaint, assignee, by=current_user, remote_addr=client_address())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back, code=303)
    flash(ngettext("%(num)d complaint reassigned.", "%(num)d complaints reassigned.", changed), "success")
    return redirect(back, code=303)
