"""Key rotation, retention, the blind indexes and the log filters that keep personal data out of logs."""

from __future__ import annotations

from flask import Flask

from complaints.extensions import db
from complaints.privacy import blind_index, log_filters


def init_app(app: Flask) -> None:
    """Filter every log record, and keep the blind indexes in step with every flush of the app's sessions."""
    log_filters.install()
    blind_index.install(db.session)
