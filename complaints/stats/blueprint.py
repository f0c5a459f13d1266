"""The statistics blueprint; registering it also keeps the rollup in step with every session."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("stats", __name__, url_prefix="/statistics", cli_group=None)


@bp.record_once
def _install_rollup(state: BlueprintSetupState) -> None:
    """Every flush of the app's sessions updates stat_counts (see complaints.services.rollup)."""
    from complaints.services import rollup

    rollup.install()
