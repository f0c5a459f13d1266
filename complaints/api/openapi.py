"""The OpenAPI 3.1 document of the statistics API, written by hand so it says exactly what is promised."""

from __future__ import annotations

from typing import Any

from complaints.directory.reference_data import taxonomy_version

PERIOD = {
    "name": "period",
    "in": "query",
    "required": False,
    "description": "A fixed period: all (the default, also when empty), YYYY, YYYY-Qn or YYYY-MM.",
    # [0-9], not \d: the API reads ASCII digits only, and \d is every script's digits to Python.
    "schema": {"type": "string", "pattern": r"^(|all|[0-9]{4}|[0-9]{4}-Q[1-4]|[0-9]{4}-(0[1-9]|1[0-2]))$"},
}


def count_schema(min_cell: int) -> dict[str, Any]:
    """A published count, described with the deployment's threshold (STATS_MIN_CELL)."""
    return {
        "type": "object",
        "description": f"A published count. Counts from 1 to {min_cell - 1} are hidden "
        f"(suppressed=primary, display '<{min_cell}'); some others are hidden so small counts cannot be "
        "worked out (suppressed=complementary, display '—'); a breakdown that cannot be protected is "
        "withheld whole (suppressed=withheld, display '*').",
        "properties": {
            "count": {"type": ["integer", "null"]},
            "suppressed": {"type": ["string", "null"], "enum": ["primary", "complementary", "withheld", None]},
            "display": {"type": "string"},
        },
        "required": ["count", "suppressed", "display"],
    }


SHARE = {"type": ["number", "null"], "description": "A share from 0 to 1; null when it would reveal a small count."}
IN_TIME = {
    **SHARE,
    "description": "Of the complaints sent to the platform whose deadline has come, the share it answered in time "
    "(within 15 days, or within 60 days of sending after an 'in progress'); null when it would reveal a small count. "
    "A deadline passed without an answer counts as not in time from the start of the next hour.",
}
DISPUTED = {
    **SHARE,
    "description": "Of the platform's final answers the consumer could review, the share the consumer disputed; "
    "null when it would reveal a small count. A reply is not a resolution.",
}
ANSWER_DAYS = {
    "type": ["number", "null"],
    "description": "Median whole days from sending to the platform's final answer; null when fewer complaints "
    "than the smallest published count were answered.",
}
#: The cells of a platform's answer figures (`complaints.statistics.answers.CELLS`).
ANSWER_CELLS = (
    "sent",
    "in_time",
    "not_in_time",
    "not_due",
    "monetary",
    "non_monetary",
    "explanation",
    "not_customer",
    "in_progress",
    "no_answer",
    "reviewable",
    "settled",
    "disputed",
    "not_reviewed",
)


def _ok(schema: dict[str, Any], summary: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": [PERIOD],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": schema}},
                "headers": {"ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}},
            },
            "304": {"description": "Not modified since the ETag given in If-None-Match."},
            "404": {"description": "Unknown period, platform, collector or code."},
            "429": {"description": "Too many requests."},
        },
    }


def document(min_cell: int) -> dict[str, Any]:
    """The OpenAPI document, for a deployment whose smallest published count is ``min_cell``."""
    entity = {"$ref": "#/components/schemas/Entity"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CollectWatch statistics API",
            "version": "1",
            "description": "Read-only counts of complaints about debt collection that passed triage. Complaints are "
            f"consumers' own accounts, not findings of fact; counts are not adjusted for platform size. "
            f"Violation taxonomy {taxonomy_version()}.",
        },
        "paths": {
            "/api/v1/periods": {
                "get": {
                    "summary": "Fixed periods with data",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Period"}}
                                }
                            },
                        },
                        "429": {"description": "Too many requests."},
                    },
                }
            },
            "/api/v1/platforms": {"get": _ok({"$ref": "#/components/schemas/Home"}, "Complaints by platform")},
            "/api/v1/platforms/{platform_id}": {
                "get": _ok(entity, "One platform")
                | {
                    "parameters": [
                        PERIOD,
                        {"name": "platform_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    ]
                }
            },
            "/api/v1/collectors/{collector_id}": {
                "get": _ok(entity, "One collector")
                | {
                    "parameters": [
                        PERIOD,
                        {"name": "collector_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    ]
                }
            },
            "/api/v1/violations/{code}": {
                "get": _ok(entity, "One violation code")
                | {
                    "parameters": [
                        PERIOD,
                        {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                    ]
                }
            },
        },
        "components": {
            "schemas": {
                "Count": count_schema(min_cell),
                "Period": {
                    "type": "object",
                    "required": ["key", "kind", "first_month", "last_month"],
                    "properties": {
                        "key": {"type": "string"},
                        "kind": {"type": "string", "enum": ["all", "year", "quarter", "month"]},
                        "first_month": {"type": "string"},
                        "last_month": {"type": "string"},
                    },
                },
                "Home": {
                    "type": "object",
                    "properties": {
                        "period": {"type": "string"},
                        "min_cell": {"type": "integer"},
                        "taxonomy_version": {"type": "string"},
                        "complaints": {"$ref": "#/components/schemas/Count"},
                        "complaints_evidence_verified": {"$ref": "#/components/schemas/Count"},
                        "folded_into_campaigns": {
                            "type": "object",
                            "description": "Complaints officers judged filed by a paid agent are counted once per "
                            "campaign: how many of the period's complaints were folded so (not counted above), "
                            "and into how many campaigns.",
                            "properties": {
                                "complaints": {"$ref": "#/components/schemas/Count"},
                                "campaigns": {"$ref": "#/components/schemas/Count"},
                            },
                            "required": ["complaints", "campaigns"],
                        },
                        "months": {"type": "array", "items": {"type": "string"}},
                        "platforms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "name": {"type": "string"},
                                    "count": {"type": ["integer", "null"]},
                                    "suppressed": {"type": ["string", "null"]},
                                    "display": {"type": "string"},
                                    "evidence_verified": {"$ref": "#/components/schemas/Count"},
                                    "share": SHARE,
                                    "top_violations": {"type": "array", "items": {"type": "string"}},
                                    "share_evidence_verified": SHARE,
                                    "share_referred": SHARE,
                                    "median_days_to_triage": {"type": ["number", "null"]},
                                    "sent_to_platform": {"$ref": "#/components/schemas/Count"},
                                    "share_answered_in_time": IN_TIME,
                                    "share_disputed": DISPUTED,
                                    "median_days_to_answer": ANSWER_DAYS,
                                    "trend": {"type": "array", "items": {"type": ["integer", "null"]}},
                                },
                            },
                        },
                    },
                },
                "Entity": {
                    "type": "object",
                    "properties": {
                        "period": {"type": "string"},
                        "kind": {"type": "string"},
                        "key": {"type": "string"},
                        "name": {"type": "string"},
                        "complaints": {"$ref": "#/components/schemas/Count"},
                        "complaints_evidence_verified": {"$ref": "#/components/schemas/Count"},
                        "share_evidence_verified": SHARE,
                        "share_referred": SHARE,
                        "median_days_to_triage": {"type": ["number", "null"]},
                        "answers": {
                            "type": "object",
                            "description": "Platforms only: how the platform answers the complaints it was sent. "
                            "Cells are suppressed together (sent + not sent = complaints; in_time + not_in_time + "
                            "not_due = sent; the response types + no_answer = sent; settled + disputed + "
                            "not_reviewed = reviewable); withheld whole when that would hide the platform's total.",
                            "properties": {
                                "withheld": {"type": "boolean"},
                                "share_answered_in_time": IN_TIME,
                                "share_disputed": DISPUTED,
                                "median_days_to_answer": ANSWER_DAYS,
                                "counts": {
                                    "type": "object",
                                    "properties": {
                                        cell: {
                                            "allOf": [{"$ref": "#/components/schemas/Count"}],
                                            "properties": {"label": {"type": "string"}},
                                        }
                                        for cell in ANSWER_CELLS
                                    },
                                },
                            },
                        },
                        "breakdowns": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "key": {"type": "string"},
                                        "label": {"type": "string"},
                                        "count": {"type": ["integer", "null"]},
                                        "suppressed": {"type": ["string", "null"]},
                                        "display": {"type": "string"},
                                        "evidence_verified": {"$ref": "#/components/schemas/Count"},
                                    },
                                },
                            },
                        },
                    },
                },
            }
        },
    }
