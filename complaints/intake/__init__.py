"""Filing a complaint: the form's input, access codes, evidence and its store."""

from __future__ import annotations

from flask import Flask

from complaints.extensions import db
from complaints.intake import evidence_store


def init_app(app: Flask) -> None:
    """A rolled-back filing deletes the files it wrote; a committed change deletes the files it gave up."""
    evidence_store.install(db.session)
