"""The triage queue: counts per status, filters, search, keyset pages and bulk assignment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from complaints.accounts import officers as accounts
from complaints.casework import platform_loop
from complaints.casework import queue as queue_service
from complaints.casework.triage import assign
from complaints.core.clock import local_today
from complaints.core.database import parse_id
from complaints.core.i18n import current_language
from complaints.core.security import safe_next_url
from complaints.core.transaction import savepoint
from complaints.directory.lookup import entry_label, find_live_collector, find_live_platform
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


def _date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 else None


@dataclass(frozen=True)
class EntryFilter:
    """A platform or collector filter as typed: the entry it names (if any) and what to show in the field."""

    entry_id: int | None
    shown: str
    unknown: bool


def _entry_filter(text: str | None, find: Callable[[str], Platform | Collector | None]) -> EntryFilter:
    """The filter an officer typed: a number (from a link), a label such as ``小禾钱包 #12``, or a name."""
    text = (text or "").strip()[:100]
    if not text:
        return EntryFilter(None, "", unknown=False)
    number = parse_id(text)
    entry = find(f"#{number}") if number is not None else find(text)
    if entry is None:
        return EntryFilter(None, text, unknown=True)
    return EntryFilter(entry.id, entry_label(entry), unknown=False)


def parse_filter(
    args: MultiDict[str, str], me: int, platform: EntryFilter, collector: EntryFilter
) -> queue_service.QueueFilter:
    """The queue filter from the query string; values that make no sense are ignored."""
    status = args.get("status", "open")
    if status not in ("open", "all", *ComplaintStatus.values()):
        status = "open"
    severity = args.get("severity", "")
    assignee = args.get("assignee", "")
    platform_filter = args.get("answers", "") if args.get("answers") in PLATFORM_FILTERS else ""
    return queue_service.QueueFilter(
        status=status,
        severity=severity if severity in Severity.values() else "",
        platform_id=platform.entry_id,
        collector_id=collector.entry_id,
        code=args.get("code", "")[:16],
        assignee_id=me if assignee == "me" else parse_id(assignee),
        unassigned=assignee == "none",
        overdue=args.get("overdue") == "1",
        platform=platform_filter,
        has_evidence=args.get("evidence") == "1",
        received_from=_date(args.get("from")),
        received_to=_date(args.get("to")),
        province=args.get("province", "")[:8],
        # Kept a little past the limit, so a longer search is refused with a message, not cut silently.
        search=args.get("q", "").strip()[: queue_service.MAX_SEARCH_CHARACTERS * 2],
        sort=_sort(args.get("sort", ""), platform_filter),
        cursor=args.get("after", "")[:80],
    )


PLATFORM_FILTERS = (queue_service.PLATFORM_OVERDUE, queue_service.PLATFORM_BACK)


def _sort(wanted: str, platform_filter: str) -> str:
    """The order asked for; overdue answers default to the longest overdue first, which only they can use."""
    overdue = platform_filter == queue_service.PLATFORM_OVERDUE
    if wanted not in queue_service.SORTS or (wanted == "deadline" and not overdue):
        return "deadline" if overdue else "newest"
    return wanted


def _counts_max_age() -> float:
    default = 0 if current_app.testing else COUNTS_SECONDS
    return float(current_app.config.get("QUEUE_COUNTS_SECONDS", default))


def _choices() -> dict[str, Any]:
    """Options for the filter form's drop-downs (platforms and collectors are type-ahead fields instead)."""
    officers = accounts.casework_staff()
    return {
        "officers": officers,
        "violation_types": active_violation_types(),
        "provinces": provinces(),
    }


@bp.get("/")
@require(Permission.VIEW_CASES)
def queue() -> str:
    """The list of complaints an officer works through."""
    platform = _entry_filter(request.args.get("platform"), find_live_platform)
    collector = _entry_filter(request.args.get("collector"), find_live_collector)
    query = parse_filter(request.args, current_user.id, platform, collector)
    nothing = platform.unknown or collector.unknown
    page = queue_service.QueuePage(complaints=[], next_cursor=None) if nothing else queue_service.queue_page(query)
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    choices = _choices()
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
        platform_totals=queue_service.platform_counts(max_age=_counts_max_age()),
        platform_overdue=platform_loop.is_overdue,
        next_url=next_url,
        short_search=queue_service.search_too_short(query),
        long_search=queue_service.search_too_long(query),
        max_search=queue_service.MAX_SEARCH_CHARACTERS,
        first_url=url_for("officer.queue") + ("?" + urlencode(args) if args else ""),
        today=local_today(),
        now=utcnow(),
        stale_days=STALE_DAYS,
        platform_filter=platform,
        collector_filter=collector,
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
    ids = [n for n in (parse_id(v) for v in request.form.getlist("complaint_ids")) if n][:200]
    target = request.form.get("assignee", "")
    assignee_id = parse_id(target)
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
