"""Type-ahead for the officers' directory fields: live platforms and collectors, labelled with their numbers."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from complaints.core.i18n import current_language
from complaints.directory.lookup import entry_label, search_collectors, search_platforms
from complaints.models import Platform
from complaints.officer.blueprint import bp
from complaints.officer.permissions import Permission, require

#: Suggestions per keystroke: enough to pick from, never the whole directory.
LIMIT = 10


def listed_name(platform: Platform, language: str) -> str:
    """A platform's name in a list, saying in words when nobody has verified it yet."""
    name = platform.name(language)
    return name if platform.verified else _("%(name)s (unverified)", name=name)


@bp.get("/suggest/platforms")
@require(Permission.VIEW_CASES)
def suggest_platforms() -> Response:
    """Platforms matching the typed text; each value is what the platform field accepts (`entry_label`)."""
    language = current_language()
    found = search_platforms(request.args.get("q", "")[:50], limit=LIMIT)
    return jsonify(
        [{"name": entry_label(p), "display": listed_name(p, language), "verified": p.verified} for p in found]
    )


@bp.get("/suggest/collectors")
@require(Permission.VIEW_CASES)
def suggest_collectors() -> Response:
    """Collectors whose name contains the typed text; each value is what the collector field accepts."""
    found = search_collectors(request.args.get("q", "")[:50], limit=LIMIT)
    return jsonify([{"name": entry_label(c), "display": c.name} for c in found])
