"""Error pages: a plain, translated message; details go to the log, never to the visitor."""

from __future__ import annotations

import errno
import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
}


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


def render_error(code: int, title: object | None = None, detail: object | None = None) -> tuple[str, int]:
    """The error page for a status code."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=title or default_title, detail=detail or default_detail),
        code,
    )


def register(app: Flask) -> None:
    """Install handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            _l("The form expired"),
            _l("For your safety, forms expire. Go back, reload the page and send it again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        # A failure while committing arrives here wrapped in a 500.
        if code == 500 and is_storage_full(getattr(error, "original_exception", None)):
            log.error("storage full on %s %s", request.method, request.path)
            return render_error(507)
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        if is_storage_full(error):
            log.error("storage full on %s %s", request.method, request.path)
            return render_error(507)
        # The path and the exception only: form contents may identify a complainant.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
