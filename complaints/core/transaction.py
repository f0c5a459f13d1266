"""The request boundary: commit once when the response succeeded, roll back otherwise."""

from __future__ import annotations

from flask import Flask, Response

from complaints.extensions import db


def init_app(app: Flask) -> None:
    """Install the commit/rollback hooks.

    Services only flush. A response with an error status (a form re-shown with errors is a 422)
    never commits, so a rule that refused half-way leaves nothing behind.
    """

    @app.after_request
    def commit_session(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
