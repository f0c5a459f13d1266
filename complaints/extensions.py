"""Flask extensions, created unbound so that create_app can configure them."""

from __future__ import annotations

from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic's batch mode on SQLite can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OfficerLoginManager(LoginManager):
    """Flask-Login whose "strong" session protection guards officer sessions only.

    Flask-Login treats any non-empty session without its client fingerprint as stolen: it empties
    the sign-in keys and clears the remember cookie, which writes the session again. A consumer's
    session (the status look-up, the receipt) never has a fingerprint, so every page they opened
    answered with a fresh Set-Cookie, public and cacheable pages included.
    """

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False  # nobody is signed in: there is no officer session to protect
        return bool(super()._session_protection_failed())


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = OfficerLoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
