"""Sessions the server can end: an officer's sign-in, a consumer's opened status page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow


class SessionKind(StrEnum):
    """Whose session a row is."""

    OFFICER = "officer"
    CONSUMER = "consumer"


class ServerSession(db.Model):  # type: ignore[name-defined]
    """One live session; the signed cookie holds only its random token, which this row must match.

    The row is the session: deleting it ends the session wherever a copy of the cookie went. Only
    the token's SHA-256 is stored, so reading this table does not hand out sessions.
    """

    __tablename__ = "server_sessions"
    __table_args__ = (
        CheckConstraint(enum_check("kind", SessionKind), name="kind"),
        CheckConstraint(
            "(kind = 'officer' AND officer_id IS NOT NULL AND complaint_id IS NULL)"
            " OR (kind = 'consumer' AND complaint_id IS NOT NULL AND officer_id IS NULL)",
            name="subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: SHA-256 (hex) of the token in the cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SessionKind.
    kind: Mapped[str] = mapped_column(String(16))
    #: The signed-in officer (officer sessions).
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    #: The complaint whose status page is open (consumer sessions).
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: When the person signed in or opened the complaint; the absolute lifetime counts from here.
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The last request of this session (written at most once a minute); the idle time counts from here.
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
