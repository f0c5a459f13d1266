"""The statistics blueprint; registering it also keeps the rollup in step with every session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("stats", __name__, url_prefix="/statistics", cli_group=None)


@bp.record_once
def _install_rollup(state: BlueprintSetupState) -> None:
    """Every flush of the app's sessions updates stat_counts (see complaints.statistics.rollup)."""
    from complaints.statistics import rollup

    rollup.install()


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
