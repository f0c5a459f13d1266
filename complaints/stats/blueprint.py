"""The statistics blueprint and the helpers its templates share."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/statistics", cli_group=None)


@bp.context_processor
def stats_helpers() -> dict[str, Any]:
    """Number formats, period names and k for the statistics templates."""
    from flask import current_app
    from flask_babel import format_decimal, format_percent

    from complaints.stats.period_labels import period_label

    return {
        "min_cell": int(current_app.config["STATS_MIN_CELL"]),
        "period_label": period_label,
        "format_percent": lambda v: format_percent(v, "#,##0%"),
        "format_number": lambda v: format_decimal(v, "#,##0"),
    }
