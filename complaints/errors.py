"""Error pages: a plain, translated message; details go to the log, never to the visitor."""

from __future__ import annotations

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
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you sent was half-saved. Please try again in a moment."),
    ),
}


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
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        # The path and the exception only: form contents may identify a complainant.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
