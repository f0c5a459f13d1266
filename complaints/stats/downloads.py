"""CSV downloads of every published table, with the same suppressed numbers as the pages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from flask import Response, abort, stream_with_context
from flask_babel import gettext as _

from complaints.extensions import limiter
from complaints.statistics import answers, tables
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
    figures = answers.platform_answers(period)
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
        "sent_to_platform",
        "share_answered_in_time",
        "share_disputed",
        "median_days_to_answer",
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
            figures[r.platform_id].get(answers.SENT).text,
            _share(r.answered_in_time),
            _share(r.disputed),
            "" if r.median_days_to_answer is None else r.median_days_to_answer,
        ]
        for r in rows
    ]
    evidence = tables.evidence_total(period)
    body.append([period.key, "", _("All platforms"), grand.text, evidence.text, *[""] * 9])
    return csv_response(f"platforms-{period.key}", header, body)


@bp.get("/<any(platform, collector, violation):kind>/<key>/<table_id>.csv")
@limiter.limit(CSV_LIMIT)
@public_cache
def table_csv(kind: str, key: str, table_id: str) -> Response:
    """One table of a platform, collector or violation page as CSV."""
    period = period_from_request()
    entity = entity_for(kind, key, period)
    if table_id == "answers" and entity.answers is not None:
        return _answers_csv(period.key, entity, entity.answers)
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


def _answers_csv(period_key: str, entity: tables.Entity, figures: answers.Answers) -> Response:
    """A platform's "How the platform answers" counts as CSV, one line per cell, grouped as on the page
    (its shares and median days are columns of platforms.csv)."""
    header = ["period", *SUBJECT_COLUMNS["platform"], "group", "key", "label", "complaints"]
    body = [
        [period_key, entity.key, entity.name, group_id, key, str(answers.LABELS[key]), figures.get(key).text]
        for group_id, _title, keys in answers.GROUPS
        for key in keys
    ]
    return csv_response(f"platform-{entity.key}-answers-{period_key}", header, body)
