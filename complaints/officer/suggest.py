"""Type-ahead for the officers' directory fields: live platforms and collectors, labelled with their numbers."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.wrappers import Response

from complaints.core.i18n import current_language
from complaints.directory.lookup import entry_label, search_collectors, search_platforms
from complaints.officer.blueprint import bp
from complaints.officer.permissions import Permission, require

#: Suggestions per keystroke: enough to pick from, never the whole directory.
LIMIT = 10


@bp.get("/suggest/platforms")
@require(Permission.VIEW_CASES)
def suggest_platforms() -> Response:
    """Platforms matching the typed text; each value is what the platform field accepts (`entry_label`)."""
    language = current_language()
    found = search_platforms(request.args.get("q", "")[:50], limit=LIMIT)
    return jsonify(
        [
            {"name": entry_label(p), "display": p.name(language) + ("" if p.verified else " *"), "verified": p.verified}
            for p in found
        ]
    )


@bp.get("/suggest/collectors")
@require(Permission.VIEW_CASES)
def suggest_collectors() -> Response:
    """Collectors whose name contains the typed text; each value is what the collector field accepts."""
    found = search_collectors(request.args.get("q", "")[:50], limit=LIMIT)
    return jsonify([{"name": entry_label(c), "display": c.name} for c in found])
