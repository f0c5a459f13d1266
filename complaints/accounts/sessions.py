"""Sessions the server can end, and loading the signed-in officer from one.

The signed cookie alone cannot be taken back: a copy keeps working until it expires, whatever the
person did. So the cookie carries only a random token, and the session is a ``ServerSession`` row
that this module opens, checks and deletes. Signing out, "close on this device", a password change
or a disabled account delete the row, and every copy of the cookie stops working at once.

Each kind of session ends after a time without a request (idle) and after a time in all
(absolute), checked on the server from the row, not from anything the cookie says:

- an officer: 30 minutes idle, 12 hours in all;
- a consumer's opened status page: 20 minutes idle, 4 hours in all (shared phones, internet cafés).

Nothing here reads the request: the views hand in the token from the cookie and store the token
they get back. The one exception is the user loader, which Flask-Login calls with the session at hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask import Flask, session
from sqlalchemy import and_, delete, or_, select

from complaints.core import clock
from complaints.extensions import db, login_manager
from complaints.models import Officer, ServerSession, SessionKind

#: The key of the token in the signed cookie (both kinds; a session is one or the other).
TOKEN_KEY = "sid"  # the session key of the token, not a secret  # noqa: S105  # nosec B105
#: The last request is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Lifetime:
    """How long a session lives without a request, and in all."""

    idle: dt.timedelta
    absolute: dt.timedelta


LIFETIMES = {
    SessionKind.OFFICER: Lifetime(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=12)),
    SessionKind.CONSUMER: Lifetime(idle=dt.timedelta(minutes=20), absolute=dt.timedelta(hours=4)),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _expired(row: ServerSession, now: dt.datetime) -> bool:
    lifetime = LIFETIMES[SessionKind(row.kind)]
    return now - row.seen_at > lifetime.idle or now - row.started_at > lifetime.absolute


def _purge_expired(now: dt.datetime) -> None:
    """Delete the sessions of every kind that ended, so the table holds only live ones."""
    ended = [
        and_(
            ServerSession.kind == kind.value,
            or_(ServerSession.seen_at < now - life.idle, ServerSession.started_at < now - life.absolute),
        )
        for kind, life in LIFETIMES.items()
    ]
    db.session.execute(delete(ServerSession).where(or_(*ended)).execution_options(synchronize_session=False))


def begin(
    kind: SessionKind,
    *,
    officer_id: int | None = None,
    complaint_id: int | None = None,
    started_at: dt.datetime | None = None,
) -> str:
    """Open a session and return the token for the cookie (shown nowhere else, stored only hashed)."""
    now = clock.utc_now()
    _purge_expired(now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        ServerSession(
            token_hash=_hash(token),
            kind=kind.value,
            officer_id=officer_id,
            complaint_id=complaint_id,
            started_at=started_at or now,
            seen_at=now,
        )
    )
    db.session.flush()
    return token


def live(token: object, kind: SessionKind) -> ServerSession | None:
    """The live session of this kind for a cookie's token, now seen; None if there is none any more."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    row = db.session.scalar(select(ServerSession).where(ServerSession.token_hash == _hash(token)))
    if row is None or row.kind != kind.value:
        return None
    now = clock.utc_now()
    if _expired(row, now):
        db.session.delete(row)
        return None
    if now - row.seen_at >= TOUCH_EVERY:
        row.seen_at = now
    return row


def end(token: object) -> None:
    """End the session of this token, if it is still open."""
    if isinstance(token, str) and token:
        db.session.execute(
            delete(ServerSession)
            .where(ServerSession.token_hash == _hash(token))
            .execution_options(synchronize_session=False)
        )


def end_every_session_of(officer: Officer) -> None:
    """End all of an officer's sessions (a disabled account, a reset second factor)."""
    db.session.execute(
        delete(ServerSession).where(ServerSession.officer_id == officer.id).execution_options(synchronize_session=False)
    )


def load_officer(identity: str) -> Officer | None:
    """The officer of a session identity ``id:version`` whose server session is live; else None.

    None when the session version moved on (a password change elsewhere) and when the session row
    is gone or ended, whatever the cookie says.
    """
    try:
        officer_id, version = (int(part) for part in identity.split(":", 1))
    except ValueError:
        return None
    officer = db.session.get(Officer, officer_id)
    if officer is None or not officer.active or officer.session_version != version:
        return None
    row = live(session.get(TOKEN_KEY), SessionKind.OFFICER)
    if row is None or row.officer_id != officer.id:
        return None
    return officer


def register(app: Flask) -> None:
    """Install the user loader."""
    login_manager.user_loader(load_officer)
    login_manager.session_protection = "strong"
