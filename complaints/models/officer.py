"""Officer and supervisor accounts."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow


class Role(StrEnum):
    """An account's role; permissions derive from it in complaints.core.security."""

    OFFICER = "officer"
    ADMIN = "admin"
    #: A platform's representative: signs in to the responder portal only, for their platform only.
    RESPONDER = "responder"


class Officer(UserMixin, db.Model):  # type: ignore[name-defined]
    """A case officer or supervisor who signs in with a password and a TOTP code."""

    __tablename__ = "officers"
    __table_args__ = (
        CheckConstraint(enum_check("role", Role), name="role"),
        CheckConstraint("(role = 'responder') = (platform_id IS NOT NULL)", name="responder_has_platform"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Sign-in e-mail, stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Name shown to colleagues.
    display_name: Mapped[str] = mapped_column(String(200), default="")
    #: Role (Role).
    role: Mapped[str] = mapped_column(String(16), default=Role.OFFICER.value)
    #: The platform a responder answers for; empty for officers and supervisors.
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    #: Argon2id hash; empty until enrolment.
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    #: Base32 TOTP secret; empty until enrolment.
    totp_secret: Mapped[str] = mapped_column(String(64), default="")
    #: The last TOTP time step accepted, so a code works once.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    #: SHA-256 of the one-time enrolment token, while enrolment is pending.
    enrolment_token_hash: Mapped[str] = mapped_column(String(64), default="")
    #: When the enrolment link stops working.
    enrolment_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Disabled accounts cannot sign in.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Bumped to end every session of this officer (password change, TOTP reset, disable).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    #: When the account was created.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last successful sign-in.
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_admin(self) -> bool:
        """Whether the account is a supervisor."""
        return self.role == Role.ADMIN.value

    @property
    def is_responder(self) -> bool:
        """Whether the account is a platform's representative (the responder portal only)."""
        return self.role == Role.RESPONDER.value

    @property
    def enrolled(self) -> bool:
        """Whether the officer has set a password and a TOTP secret."""
        return bool(self.password_hash and self.totp_secret)

    def get_id(self) -> str:
        """Session identity: id and session version, so bumping the version ends old sessions."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Disabled accounts are signed out everywhere."""
        return bool(self.active)


class SignInBackoff(db.Model):  # type: ignore[name-defined]
    """Failed sign-ins to one account from one client address, and how long that address is paused.

    Per (account, address), not per account: a stranger who knows an officer's e-mail can pause only
    their own address, never the officer elsewhere. A success from the address deletes its row.
    """

    __tablename__ = "sign_in_backoffs"

    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True)
    #: The client address the failures came from (as the audit log records it; may be empty).
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Consecutive failures from this address (a failure long after the last starts again at 1).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: When the last of them happened.
    last_failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: Sign-in from this address to this account is refused until then.
    paused_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
