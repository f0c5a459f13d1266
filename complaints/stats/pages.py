"""The statistics pages: home by platform, and a page per platform, collector and violation code."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from complaints.extensions import limiter
from complaints.publication.boundary import matching_platforms
from complaints.statistics import answers, folding, tables
from complaints.statistics.periods import Period, available_periods, parse_period
from complaints.stats.blueprint import bp
from complaints.stats.caching import public_cache

SORT_KEYS = ("name", "count", "share", "verified", "referred", "median", "in_time", "disputed", "answer_days")
PAGE_LIMIT = "120 per minute"


def period_from_request() -> Period:
    """The period named in the query string; an unknown one is a 404, not a guess."""
    period = parse_period(request.args.get("period"))
    if period is None:
        abort(404)
    return period


def _sort_value(row: tables.PlatformSummary, key: str) -> Any:
    values = {
        "name": row.name,
        "count": row.count.value,
        "share": row.share,
        "verified": row.verified,
        "referred": row.referred,
        "median": row.median_days,
        "in_time": row.answered_in_time,
        "disputed": row.disputed,
        "answer_days": row.median_days_to_answer,
    }
    value = values[key]
    return (value is None, value if value is not None else 0)


def sorted_summaries(rows: list[tables.PlatformSummary], key: str, descending: bool) -> list[tables.PlatformSummary]:
    """Platforms sorted by a column; hidden values always last."""
    present = [r for r in rows if _sort_value(r, key)[0] is False]
    missing = [r for r in rows if _sort_value(r, key)[0] is True]
    present.sort(key=lambda r: _sort_value(r, key)[1], reverse=descending)
    return present + sorted(missing, key=lambda r: r.name)


@bp.get("/")
@limiter.limit(PAGE_LIMIT)
@public_cache
def home() -> str:
    """Accepted complaints by platform, for a fixed period, sortable and searchable."""
    period = period_from_request()
    sort = request.args.get("sort", "count")
    sort = sort if sort in SORT_KEYS else "count"
    descending = request.args.get("dir", "asc" if sort == "name" else "desc") == "desc"
    query = request.args.get("q", "")[:100]
    rows, grand, months = tables.home(period)
    if query.strip():
        wanted = matching_platforms(query)
        rows = [r for r in rows if r.platform_id in wanted]
    return render_template(
        "stats/home.html",
        period=period,
        periods=available_periods(),
        rows=sorted_summaries(rows, sort, descending),
        grand=grand,
        grand_evidence=tables.evidence_total(period),
        folded=folding.folded(period),
        months=months,
        sort=sort,
        descending=descending,
        query=query,
    )


def _entity_page(period: Period, kind: str, key: int | str, **address: Any) -> str:
    entity = tables.entity_page(period, kind, key) or abort(404)
    return render_template(
        "stats/entity.html",
        entity=entity,
        period=period,
        periods=available_periods(),
        endpoint=f"stats.{kind}",
        key=address,
        answer_groups=answers.GROUPS,
        answer_labels=answers.LABELS,
    )


@bp.get("/platform/<id:platform_id>")
@limiter.limit(PAGE_LIMIT)
@public_cache
def platform(platform_id: int) -> str:
    """One platform: its counts by violation, collector, channel, province, month and referral outcome."""
    return _entity_page(period_from_request(), "platform", platform_id, platform_id=platform_id)


@bp.get("/collector/<id(signed=True):collector_id>")
@limiter.limit(PAGE_LIMIT)
@public_cache
def collector(collector_id: int) -> str:
    """One collector: its counts by violation, platform, channel, province, month and referral outcome."""
    return _entity_page(period_from_request(), "collector", collector_id, collector_id=collector_id)


@bp.get("/violation/<code>")
@limiter.limit(PAGE_LIMIT)
@public_cache
def violation(code: str) -> str:
    """One violation code: its counts by platform, collector, channel, province, month and referral outcome."""
    return _entity_page(period_from_request(), "violation", code, code=code)


def entity_for(kind: str, key: str, period: Period) -> tables.Entity:
    """The entity page a CSV link belongs to."""
    number = int(key) if key.isascii() and key.lstrip("-").isdigit() and len(key) <= 11 else None
    return tables.entity_page(period, kind, key if kind == "violation" else number) or abort(404)
