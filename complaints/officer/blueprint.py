"""The officer blueprint and its deny-by-default guard: sign-in, session limits, permissions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from complaints.accounts import sessions
from complaints.models import Officer, SessionKind
from complaints.officer.permissions import can, has_permission, required_permission

bp = Blueprint("officer", __name__, url_prefix="/officer")

#: The only endpoints reachable without a full sign-in.
OPEN_ENDPOINTS = frozenset({"officer.sign_in", "officer.enrol"})


def start_session(officer: Officer) -> None:
    """A fresh session for a signed-in officer: nothing from before sign-in survives.

    The session is a server-side row (`accounts.sessions`): its idle and absolute limits are kept
    there, and ending it there ends every copy of the cookie.
    """
    sessions.end(session.get(sessions.TOKEN_KEY))
    session.clear()
    session[sessions.TOKEN_KEY] = sessions.begin(SessionKind.OFFICER, officer_id=officer.id)
    login_user(officer, remember=False, fresh=True)


def refresh_identity(officer: Officer) -> None:
    """Keep this session after the officer's session version moved on (their own password change)."""
    token = session.get(sessions.TOKEN_KEY)
    login_user(officer, remember=False, fresh=True)
    session[sessions.TOKEN_KEY] = token


def end_session() -> None:
    """Sign out: end the server session and forget everything in the cookie."""
    sessions.end(session.get(sessions.TOKEN_KEY))
    logout_user()
    session.clear()


def _to_sign_in() -> Response:
    target = request.full_path if request.method == "GET" else request.path
    return redirect(url_for("officer.sign_in", next=target.rstrip("?")), code=302 if request.method == "GET" else 303)


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Let through the open endpoints; everything else needs a live session and its permission."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if "_user_id" in session:  # signed in once, but the server session ended (idle, too long, revoked)
            end_session()
            flash(_("Your session ended. Please sign in again."), "warning")
        return _to_sign_in()
    permission = required_permission(current_app.view_functions.get(request.endpoint or ""))
    if permission is None or not has_permission(current_user, permission):
        abort(403)
    return None


@bp.context_processor
def officer_helpers() -> dict[str, Any]:
    """`can(permission)` for templates, to hide what a role may not use."""
    from complaints.core import labels
    from complaints.officer.event_labels import DUPLICATE_REASONS, PUBLICATION_STATES, STATUSES, event_title

    return {
        "can": can,
        "officer_event_title": event_title,
        "duplicate_reasons": DUPLICATE_REASONS,
        "officer_status": lambda code: labels.label(STATUSES, code),
        "publication_state": lambda code: labels.label(PUBLICATION_STATES, code),
    }
