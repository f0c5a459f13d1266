"""The researchers' download page, the data dictionary, datapackage.json and the filtered dataset downloads."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, render_template, request, send_from_directory
from sqlalchemy import select

from complaints.core.database import parse_id
from complaints.directory.reference_data import taxonomy_version
from complaints.extensions import db, limiter
from complaints.models import ViolationType
from complaints.publication import boundary
from complaints.statistics import aggregates
from complaints.statistics.datapackage import built_files, datapackage, datasets_dir
from complaints.statistics.datasets import (
    COMPLAINT_COLUMNS,
    COMPLAINT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    QUASI_IDENTIFIER_COLUMNS,
    RUNG_LABELS,
    STATUS_VALUES,
    Filters,
    complaint_plan,
    complaint_rows,
)
from complaints.statistics.periods import ALL_TIME, available_periods, parse_period
from complaints.stats.blueprint import bp
from complaints.stats.caching import public_cache
from complaints.stats.downloads import csv_response

DATASET_LIMIT = "20 per minute"


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        abort(404)  # no row has such an id: not a number in ASCII digits, or beyond the ids' range
    return number


def filters_from_request() -> Filters:
    """Dataset filters from the query string; anything unknown is a 404."""
    period = parse_period(request.args.get("period"))
    status = request.args.get("status") or None
    code = request.args.get("violation") or None
    if period is None or (status and status not in STATUS_VALUES):
        abort(404)
    if code and db.session.get(ViolationType, code) is None:
        abort(404)
    return Filters(period, _int_arg("platform"), _int_arg("collector"), code, status)


@bp.get("/data")
@limiter.limit("60 per minute")
def datasets() -> str:
    """The download page: pre-built full files with checksums, and filtered downloads."""
    return render_template(
        "stats/datasets.html",
        files=built_files(),
        periods=available_periods(),
        platforms=boundary.public_platforms(),
        collectors=boundary.public_collectors(),
        codes=list(db.session.scalars(select(ViolationType).order_by(ViolationType.sort_order))),
        statuses=STATUS_VALUES,
    )


@bp.get("/data/dictionary")
@limiter.limit("60 per minute")
def dictionary() -> str:
    """Every column of every dataset: its type, meaning and allowed values, and the taxonomy version."""
    return render_template(
        "stats/dictionary.html",
        complaint_columns=COMPLAINT_COLUMNS,
        count_columns=COUNT_COLUMNS,
        taxonomy_version=taxonomy_version(),
        k=int(current_app.config["STATS_MIN_CELL"]),
        codes=list(db.session.scalars(select(ViolationType).order_by(ViolationType.sort_order))),
        anonymity=complaint_plan().report,
        quasi_identifiers=QUASI_IDENTIFIER_COLUMNS,
        rung_labels=RUNG_LABELS,
    )


@bp.get("/data/datapackage.json")
@limiter.limit("60 per minute")
def datapackage_json() -> Response:
    """The machine-readable description (Frictionless Data Package)."""
    response = jsonify(datapackage())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/data/complaints.csv")
@limiter.limit(DATASET_LIMIT)
@public_cache
def complaints_csv() -> Response:
    """One row per public complaint, filtered, streamed."""
    filters = filters_from_request()
    stem = "complaints-" + (filters.period or ALL_TIME).key
    return csv_response(
        stem, [c.name for c in COMPLAINT_COLUMNS], complaint_rows(filters), text_columns=COMPLAINT_TEXT_COLUMNS
    )


@bp.get(f"/data/counts-<any({', '.join(COUNT_COLUMNS)}):by>.csv")  # platform, collector, the dimensions
@limiter.limit(DATASET_LIMIT)
@public_cache
def counts_csv(by: str) -> Response:
    """Aggregate counts: period × platform (or collector, or a dimension: province) × violation code."""
    within = parse_period(request.args.get("period"))
    every = request.args.get("every", "all")
    code = request.args.get("violation") or None
    if within is None or every not in aggregates.EVERY:
        abort(404)
    rows = aggregates.count_rows(by, every, within, code)
    return csv_response(f"counts-{by}-{every}-{within.key}", aggregates.header(by), rows)


@bp.get("/data/files/<path:name>")
@limiter.limit(DATASET_LIMIT)
def dataset_file(name: str) -> Response:
    """A file written by `flask build-datasets`."""
    if name not in {f["name"] for f in built_files()} and name != "SHA256SUMS":
        abort(404)
    return send_from_directory(datasets_dir(), name, as_attachment=True, max_age=3600)
