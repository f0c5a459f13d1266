"""Loading the signed-in officer from the session, honouring session versions."""

from __future__ import annotations

from flask import Flask

from complaints.extensions import db, login_manager
from complaints.models import Officer


def load_officer(identity: str) -> Officer | None:
    """The officer for a session identity ``id:version``; None if the version moved on."""
    try:
        officer_id, version = (int(part) for part in identity.split(":", 1))
    except ValueError:
        return None
    officer = db.session.get(Officer, officer_id)
    if officer is None or not officer.active or officer.session_version != version:
        return None
    return officer


def register(app: Flask) -> None:
    """Install the user loader."""
    login_manager.user_loader(load_officer)
    login_manager.session_protection = "strong"
