"""The triage queue."""

from __future__ import annotations

from flask import render_template

from complaints.officer.blueprint import bp
from complaints.officer.permissions import Permission, require


@bp.get("/")
@require(Permission.VIEW_CASES)
def queue() -> str:
    """The list of complaints."""
    return render_template("officer/queue.html")
