"""Error pages: a plain, translated message; details go to the log, never to the visitor."""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Callable
from types import TracebackType

from flask import Flask, current_app, flash, render_template, request
from flask.sansio.app import App
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from complaints.core.transaction import mark_failed
from complaints.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Something in the request was not right"), _l("Please go back and try again.")),
    403: (_l("You cannot open this page"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page has moved.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("The files are too large"),
        _l(
            "Together, your files were larger than we can accept. Nothing was saved. Go back, "
            "choose fewer or smaller files, and send the form again."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l("Please wait a few minutes before trying again."),
    ),
    507: (
        _l("Our storage is full"),
        _l(
            "We could not save what you sent because our storage is full. Nothing was saved. "
            "Please try again later; if you were filing a complaint, go back: your answers may still be in the form."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you sent was half-saved. Please try again in a moment."),
    ),
    503: (
        _l("We are busy right now"),
        _l("Nothing you sent was saved. Please wait a few seconds and try again."),
    ),
}
#: Seconds a visitor (or a script honouring Retry-After) should wait after a 503.
RETRY_AFTER_SECONDS = 5


def database_unavailable(error: BaseException) -> bool:
    """A passing database condition that a retry cures, not a bug.

    SQLite: another writer held the lock past SQLITE_BUSY_TIMEOUT_MS. PostgreSQL: the connection
    was lost or refused, or the server is shutting down, starting up or out of resources
    (psycopg raises OperationalError for exactly these SQLSTATE classes: 08, 53, 57, 58).
    Other SQLite operational errors (a missing table) are not passing and stay 500s; a full disk
    has its own page (507).
    """
    if is_storage_full(error):
        return False
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        message = str(error.orig)
        return "locked" in message or "busy" in message
    return True


#: SQLite's SQLITE_FULL message; PostgreSQL reports SQLSTATE 53100 (disk_full).
_DISK_FULL_MESSAGES = ("database or disk is full", "could not extend file", "no space left on device")


def is_storage_full(error: BaseException | None) -> bool:
    """Whether an error, or one it was raised from, says the disk or the database is full."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(error, "sqlstate", None) == "53100" or any(
            text in str(error).lower() for text in _DISK_FULL_MESSAGES
        ):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
        seen += 1
    return False


class OutageAwareFlask(Flask):
    """Flask, except that a database outage at the commit is not logged as a crash.

    An exception from an after-request hook (the commit is one) reaches Flask's
    ``handle_exception``, which logs it with its traceback before the 500 handler turns it into
    a 503. An outage is a passing condition that ``render_unavailable`` reports in one line;
    every other exception keeps its traceback.
    """

    def log_exception(
        self,
        exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        error = exc_info[1]
        if error is not None and database_unavailable(error):
            return
        super().log_exception(exc_info)


def render_error(code: int, title: object | None = None, detail: object | None = None) -> tuple[str, int]:
    """The error page for a status code."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=title or default_title, detail=detail or default_detail),
        code,
    )


def _rollback_quietly() -> None:
    """Roll the session back; on a connection that is already gone, that can fail too."""
    try:
        db.session.rollback()
    except DBAPIError as error:
        log.warning("rollback failed during a database outage: %s", type(error).__name__)


#: Where the app keeps the pages that show a form again when the database is away during its POST.
_FORM_AGAIN = "collectwatch_form_again_on_outage"


def show_form_again_on_outage(app: App, endpoint: str, render: Callable[[], str]) -> None:
    """On a 503 for a POST to ``endpoint``, show ``render()`` (the form as sent) instead of the plain page.

    A busy moment then costs the consumer only re-choosing files, not everything they typed.
    """
    app.extensions.setdefault(_FORM_AGAIN, {})[endpoint] = render


def _form_again() -> str | None:
    """The form of this POST as it was sent, if its blueprint asked for it and the page can be drawn."""
    render = current_app.extensions.get(_FORM_AGAIN, {}).get(request.endpoint)
    if request.method != "POST" or render is None:
        return None
    try:
        flash(str(MESSAGES[503][1]), "warning")
        return str(render())
    except Exception as error:  # the database is still away: the plain page says the same
        log.warning("could not show the form again during a database outage: %s", type(error).__name__)
        _rollback_quietly()
        return None


def render_unavailable(error: BaseException) -> tuple[str, int, dict[str, str]]:
    """A 503 with Retry-After: the request was rolled back whole, and trying again will work."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path, type(error).__name__)
    mark_failed()
    _rollback_quietly()
    page = _form_again()
    if page is None:
        page, _code = render_error(503)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app: Flask) -> None:
    """Install handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        mark_failed()
        return render_error(
            400,
            _l("The form expired"),
            _l("For your safety, forms expire. Go back, reload the page and send it again."),
        )

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        mark_failed()
        if database_unavailable(error):
            return render_unavailable(error)
        return unexpected_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | tuple[str, int, dict[str, str]] | HTTPException:
        # A failure at the commit (after the view) arrives here as a 500 wrapping the original.
        original = getattr(error, "original_exception", None)
        if original is not None and database_unavailable(original):
            return render_unavailable(original)
        code = error.code or 500
        if code < 400:
            return error
        mark_failed()
        # A failure while committing arrives here wrapped in a 500.
        if code == 500 and is_storage_full(getattr(error, "original_exception", None)):
            log.error("storage full on %s %s", request.method, request.path)
            return render_error(507)
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        mark_failed()
        if is_storage_full(error):
            log.error("storage full on %s %s", request.method, request.path)
            return render_error(507)
        # The path and the exception only: form contents may identify a complainant.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
