"""JSON endpoints with the same numbers and the same suppression as the statistics pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request

from complaints.directory.reference_data import taxonomy_version
from complaints.extensions import csrf, limiter
from complaints.statistics import answers, folding, tables
from complaints.statistics.periods import Period, available_periods, parse_period
from complaints.statistics.suppression import min_cell
from complaints.stats.caching import public_cache

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
API_LIMIT = "120 per minute"


@bp.after_request
def cors(response: Response) -> Response:
    """Any site may read the public statistics (GET only; nothing here takes a cookie or writes)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, X-RateLimit-Limit, X-RateLimit-Remaining"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _period() -> Period:
    """The period named exactly as the OpenAPI document's pattern allows (no padding); absent or empty is all."""
    raw = request.args.get("period")
    period = parse_period(raw)
    if period is None or (raw is not None and raw != raw.strip()):
        abort(404)
    return period


def _meta(period: Period) -> dict[str, Any]:
    return {"period": period.key, "min_cell": min_cell(), "taxonomy_version": taxonomy_version()}


def _answers(figures: answers.Answers) -> dict[str, Any]:
    """A platform's answer figures: each cell as a count, the shares and the median days."""
    return {
        "withheld": figures.withheld,
        "share_answered_in_time": figures.share_in_time,
        "share_disputed": figures.share_disputed,
        "median_days_to_answer": figures.median_days,
        "counts": {key: {"label": str(answers.LABELS[key]), **figures.get(key).as_json()} for key in answers.CELLS},
    }


def _entity(entity: tables.Entity, period: Period) -> dict[str, Any]:
    extra = {} if entity.answers is None else {"answers": _answers(entity.answers)}
    return {
        **_meta(period),
        "kind": entity.kind,
        "key": entity.key,
        "name": entity.name,
        "complaints": entity.total.as_json(),
        "complaints_evidence_verified": entity.evidence.as_json(),
        "share_evidence_verified": entity.verified,
        "share_referred": entity.referred,
        "median_days_to_triage": entity.median_days,
        "breakdowns": {
            t.id: [
                {
                    "key": r.key,
                    "label": r.label,
                    **r.count.as_json(),
                    "evidence_verified": r.evidence.as_json() if r.evidence else None,
                }
                for r in t.rows
            ]
            for t in entity.tables
        },
        **extra,
    }


@bp.get("/periods")
@limiter.limit(API_LIMIT)
@public_cache
def periods() -> Response:
    """The fixed periods that have data."""
    return jsonify(
        [{"key": p.key, "kind": p.kind, "first_month": p.first, "last_month": p.last} for p in available_periods()]
    )


@bp.get("/platforms")
@limiter.limit(API_LIMIT)
@public_cache
def platforms() -> Response:
    """Public complaints by platform for a period (the statistics home)."""
    period = _period()
    rows, grand, months = tables.home(period)
    figures = answers.platform_answers(period)
    fold = folding.folded(period)
    return jsonify(
        {
            **_meta(period),
            "complaints": grand.as_json(),
            "complaints_evidence_verified": tables.evidence_total(period).as_json(),
            "folded_into_campaigns": {
                "complaints": fold.complaints.as_json(),
                "campaigns": fold.campaigns.as_json(),
            },
            "months": months,
            "platforms": [
                {
                    "id": r.platform_id,
                    "name": r.name,
                    **r.count.as_json(),
                    "evidence_verified": r.evidence.as_json(),
                    "share": r.share,
                    "top_violations": [c for c, _ in r.top_codes],
                    "share_evidence_verified": r.verified,
                    "share_referred": r.referred,
                    "median_days_to_triage": r.median_days,
                    "sent_to_platform": figures[r.platform_id].get(answers.SENT).as_json(),
                    "share_answered_in_time": r.answered_in_time,
                    "share_disputed": r.disputed,
                    "median_days_to_answer": r.median_days_to_answer,
                    "trend": r.trend,
                }
                for r in rows
            ],
        }
    )


def _entity_json(kind: str, key: int | str) -> Response:
    period = _period()
    return jsonify(_entity(tables.entity_page(period, kind, key) or abort(404), period))


@bp.get("/platforms/<id:platform_id>")
@limiter.limit(API_LIMIT)
@public_cache
def platform(platform_id: int) -> Response:
    """One platform's breakdowns."""
    return _entity_json("platform", platform_id)


@bp.get("/collectors/<id(signed=True):collector_id>")
@limiter.limit(API_LIMIT)
@public_cache
def collector(collector_id: int) -> Response:
    """One collector's breakdowns (-1: complaints with no collector linked)."""
    return _entity_json("collector", collector_id)


@bp.get("/violations/<code>")
@limiter.limit(API_LIMIT)
@public_cache
def violation(code: str) -> Response:
    """One violation code's breakdowns."""
    return _entity_json("violation", code)


@bp.get("/openapi.json")
@limiter.limit(API_LIMIT)
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    from complaints.api.openapi import document

    return jsonify(document(int(current_app.config["STATS_MIN_CELL"])))


@bp.errorhandler(404)
def not_found(error: Exception) -> tuple[Response, int]:
    """JSON, not an HTML page, for API clients."""
    return jsonify({"error": "not_found"}), 404


@bp.errorhandler(429)
def too_many(error: Exception) -> tuple[Response, int]:
    """JSON rate-limit answer."""
    return jsonify({"error": "rate_limited"}), 429
