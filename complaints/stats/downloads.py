"""CSV downloads of every published table, with the same suppressed numbers as the pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from flask import Response, abort, stream_with_context
from flask_babel import gettext as _

from complaints.extensions import limiter
from complaints.statistics import tables
from complaints.statistics.csv_output import csv_lines, dated_filename
from complaints.stats.blueprint import bp
from complaints.stats.caching import public_cache
from complaints.stats.pages import entity_for, period_from_request

CSV_LIMIT = "60 per minute"
#: The columns naming a table's subject, as every other CSV names it: its id, then its name
#: (``platform_id``/``platform`` as in the home table and the datasets).
SUBJECT_COLUMNS = {
    "platform": ("platform_id", "platform"),
    "collector": ("collector_id", "collector"),
    "violation": ("violation_code", "violation"),
}


def csv_response(
    stem: str, header: Sequence[str], rows: Iterable[Sequence[object]], text_columns: Collection[int] | None = None
) -> Response:
    """A streamed CSV attachment with a dated file name (``text_columns`` as in ``csv_lines``)."""
    lines = csv_lines(header, rows, text_columns=text_columns)
    response = Response(stream_with_context(lines), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{dated_filename(stem)}"'
    return response


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


@bp.get("/platforms.csv")
@limiter.limit(CSV_LIMIT)
@public_cache
def home_csv() -> Response:
    """The statistics home table as CSV."""
    period = period_from_request()
    rows, grand, _months = tables.home(period)
    header = [
        "period",
        "platform_id",
        "platform",
        "complaints",
        "complaints_evidence_verified",
        "share",
        "top_violations",
        "share_evidence_verified",
        "share_referred",
        "median_days_to_triage",
    ]
    body = [
        [
            period.key,
            r.platform_id,
            r.name,
            r.count.text,
            r.evidence.text,
            _share(r.share),
            " ".join(c for c, _ in r.top_codes),
            _share(r.verified),
            _share(r.referred),
            "" if r.median_days is None else r.median_days,
        ]
        for r in rows
    ]
    evidence = tables.evidence_total(period)
    body.append([period.key, "", _("All platforms"), grand.text, evidence.text, "", "", "", "", ""])
    return csv_response(f"platforms-{period.key}", header, body)


@bp.get("/<any(platform, collector, violation):kind>/<key>/<table_id>.csv")
@limiter.limit(CSV_LIMIT)
@public_cache
def table_csv(kind: str, key: str, table_id: str) -> Response:
    """One table of a platform, collector or violation page as CSV."""
    period = period_from_request()
    entity = entity_for(kind, key, period)
    table = next((t for t in entity.tables if t.id == table_id), None)
    if table is None:
        abort(404)
    subject = [entity.key, entity.name]
    header = [
        "period",
        *SUBJECT_COLUMNS[kind],
        "breakdown",
        "key",
        "label",
        "complaints",
        "complaints_evidence_verified",
    ]
    body = [
        [period.key, *subject, table.id, r.key, r.label, r.count.text, r.evidence.text if r.evidence else ""]
        for r in table.rows
    ]
    body.append([period.key, *subject, table.id, "total", _("Total"), entity.total.text, entity.evidence.text])
    return csv_response(f"{kind}-{entity.key}-{table.id}-{period.key}", header, body)
