"""Officer accounts, their second factor and loading the signed-in officer."""

from __future__ import annotations

from flask import Flask

from complaints.accounts import sessions


def init_app(app: Flask) -> None:
    """Load the signed-in officer from the session on each request."""
    sessions.register(app)
