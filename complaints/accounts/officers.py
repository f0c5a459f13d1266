"""Officer accounts: creation, enrolment, sign-in with password and TOTP, lockout, ending sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from complaints.accounts import totp
from complaints.audit.events import record_event
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import EventKind, Officer, Role
from complaints.models.base import utcnow

MIN_PASSWORD = 12
MAX_PASSWORD = 128
#: Consecutive failures after which an account is locked for LOCK_MINUTES.
MAX_FAILURES = 5
LOCK_MINUTES = 15
ENROLMENT_HOURS = 72

_hasher = PasswordHasher()  # argon2-cffi's default type is Argon2id
# Verified against when the account is unknown, so that both failures take the same time. A literal
# (argon2-cffi's default cost, as _hasher uses): hashing at import allocated 64 MiB in every process.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$VUaBgWmoZNDF42Rw4IDN8g$1Nprq7gph8XhgKyiBkN+BsAnFcQ6PkihfoarFtSfAFM"
_COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"


class SignInFailed(DomainError):  # noqa: N818 - the domain's word
    """E-mail, password or code did not match, or the account is locked (deliberately vague)."""


class PasswordRejected(DomainError):  # noqa: N818 - the domain's word
    """A new password breaks the policy (length, common password)."""


@dataclass(frozen=True)
class Enrolment:
    """A new account's one-time enrolment token (shown once, stored only as a hash)."""

    officer: Officer
    token: str


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the most common passwords, lower-cased."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, email: str = "") -> None:
    """Refuse passwords that are too short, too long (before hashing), or common."""
    if len(password) > MAX_PASSWORD:
        raise PasswordRejected(str(_l("Use at most %(n)d characters.", n=MAX_PASSWORD)), "password")
    if len(password) < MIN_PASSWORD:
        raise PasswordRejected(str(_l("Use at least %(n)d characters.", n=MIN_PASSWORD)), "password")
    folded = password.casefold()
    local_part = email.split("@", 1)[0].casefold()
    if (
        folded in common_passwords()
        or len(set(folded)) <= 2
        or (local_part and len(local_part) >= 4 and local_part in folded and len(folded) - len(local_part) < 6)
    ):
        raise PasswordRejected(str(_l("This password is too common or too easy to guess.")), "password")


def hash_password(password: str) -> str:
    """Argon2id hash of a password that passed the policy."""
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_enrolment(officer: Officer) -> str:
    token = secrets.token_urlsafe(32)
    officer.enrolment_token_hash = _token_hash(token)
    officer.enrolment_expires_at = utcnow() + dt.timedelta(hours=ENROLMENT_HOURS)
    return token


def create_officer(email: str, role: Role, display_name: str = "", by: Officer | None = None) -> Enrolment:
    """A new account without password or TOTP, and its one-time enrolment token."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise DomainError(str(_l("Enter a valid e-mail address.")), "email")
    if db.session.scalar(select(func.count()).select_from(Officer).where(Officer.email == email)):
        raise DomainError(str(_l("An account with this e-mail already exists.")), "email")
    officer = Officer(email=email, role=role.value, display_name=(display_name.strip() or email.split("@")[0])[:200])
    token = _issue_enrolment(officer)
    db.session.add(officer)
    db.session.flush()
    record_event(EventKind.ACCOUNT_CREATED, officer=by, data={"account_id": officer.id, "role": role.value})
    return Enrolment(officer=officer, token=token)


def officer_for_enrolment(token: str) -> Officer | None:
    """The account a still-valid enrolment token belongs to."""
    if not token or len(token) > 100:
        return None
    officer = db.session.scalar(select(Officer).where(Officer.enrolment_token_hash == _token_hash(token)))
    if officer is None or not officer.active or officer.enrolment_expires_at is None:
        return None
    if officer.enrolment_expires_at < utcnow():
        return None
    return officer


def pending_totp_secret(officer: Officer) -> str:
    """The secret shown during enrolment, kept on the (not yet enrolled) account, never in the cookie."""
    if officer.enrolled:
        raise DomainError(str(_l("This account is already set up.")))
    if not officer.totp_secret:
        officer.totp_secret = totp.new_secret()
        db.session.flush()
    return officer.totp_secret


def complete_enrolment(officer: Officer, password: str, code: str, remote_addr: str = "") -> None:
    """Set the password once the officer proves the authenticator with the pending secret works."""
    check_password_policy(password, officer.email)
    secret = pending_totp_secret(officer)
    step = totp.matching_step(secret, code, last_step=0)
    if step is None:
        raise DomainError(str(_l("The code did not match. Check the time on your phone and try again.")), "code")
    officer.password_hash = hash_password(password)
    officer.totp_last_step = step
    officer.enrolment_token_hash = ""  # clears the used token, no password literal  # nosec B105
    officer.enrolment_expires_at = None
    officer.failed_logins = 0
    officer.locked_until = None
    officer.session_version += 1
    db.session.flush()
    record_event(EventKind.ACCOUNT_ENROLLED, officer=officer, remote_addr=remote_addr)


def _fail(officer: Officer | None, remote_addr: str, reason: str) -> SignInFailed:
    """Count a failure against the account and record it; the caller raises what this returns."""
    if officer is not None:
        # One UPDATE that adds one in the database: parallel failures each count (a read-then-write lost them).
        count = db.session.execute(
            update(Officer)
            .where(Officer.id == officer.id)
            .values(failed_logins=Officer.failed_logins + 1)
            .returning(Officer.failed_logins)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        db.session.expire(officer, ["failed_logins"])
        if count >= MAX_FAILURES:
            officer.locked_until = utcnow() + dt.timedelta(minutes=LOCK_MINUTES)
    record_event(
        EventKind.SIGN_IN_FAILED,
        officer=officer,
        data={"reason": reason} if officer is not None else {"reason": "unknown_account"},
        remote_addr=remote_addr,
    )
    return SignInFailed(
        str(
            _l(
                "Sign-in failed. Check your e-mail, password and code. After several failures, "
                "sign-in is paused for a few minutes."
            )
        )
    )


def _claim_step(officer: Officer, step: int) -> bool:
    """Use the code's time step, once: whether this sign-in is the one that did.

    One conditional UPDATE, so two requests with the same code cannot both pass: the database holds
    the row while it writes (PostgreSQL re-checks the condition after the first commits; SQLite
    writes one at a time), and the loser finds the step already used.
    """
    claimed = db.session.execute(
        update(Officer)
        .where(Officer.id == officer.id, Officer.totp_last_step < step)
        .values(totp_last_step=step, failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(officer, ["totp_last_step", "failed_logins", "locked_until"])
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def authenticate(email: str, password: str, code: str, remote_addr: str = "") -> Officer:
    """The officer whose password and TOTP code match; every failure looks the same to the caller."""
    email = email.strip().lower()
    officer = db.session.scalar(select(Officer).where(Officer.email == email)) if email else None
    usable = officer is not None and officer.enrolled and len(password) <= MAX_PASSWORD
    # Every path verifies one Argon2 hash, so the time taken does not tell locked, disabled or
    # unknown accounts apart from a wrong password.
    try:
        stored = officer.password_hash if officer is not None and usable else _DUMMY_HASH
        password_ok = bool(_hasher.verify(stored, password[:MAX_PASSWORD] or "x"))
    except (VerificationError, InvalidHashError):
        password_ok = False
    if officer is None or not usable:
        raise _fail(officer, remote_addr, "not_enrolled" if officer is not None else "unknown")
    if not officer.active:
        raise _fail(officer, remote_addr, "disabled")
    if officer.locked_until is not None and officer.locked_until > utcnow():
        raise _fail(officer, remote_addr, "locked")
    if not password_ok:
        raise _fail(officer, remote_addr, "password")
    step = totp.matching_step(officer.totp_secret, code, last_step=officer.totp_last_step)
    if step is None:
        raise _fail(officer, remote_addr, "code")
    if not _claim_step(officer, step):
        raise _fail(officer, remote_addr, "code_reused")
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = hash_password(password)
    officer.last_login_at = utcnow()
    db.session.flush()
    record_event(EventKind.SIGN_IN, officer=officer, remote_addr=remote_addr)
    return officer


def verify_password(officer: Officer, password: str) -> bool:
    """Whether a password is this officer's current one."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return bool(_hasher.verify(officer.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def change_password(officer: Officer, current: str, new: str, remote_addr: str = "") -> None:
    """Replace the password and end every other session of this officer."""
    if not verify_password(officer, current):
        raise DomainError(str(_l("Your current password is not right.")), "current_password")
    check_password_policy(new, officer.email)
    if hmac.compare_digest(current, new):
        raise PasswordRejected(str(_l("Choose a password different from the current one.")), "password")
    officer.password_hash = hash_password(new)
    officer.session_version += 1
    db.session.flush()
    record_event(EventKind.PASSWORD_CHANGED, officer=officer, remote_addr=remote_addr)


def reset_totp(officer: Officer, by: Officer, remote_addr: str = "") -> str:
    """Clear the second factor and password, end the officer's sessions, and issue a new enrolment token."""
    officer.totp_secret = ""  # clears the secret, no password literal  # nosec B105
    officer.totp_last_step = 0
    officer.password_hash = ""  # clears the hash, no password literal  # nosec B105
    officer.session_version += 1
    token = _issue_enrolment(officer)
    db.session.flush()
    record_event(EventKind.TOTP_RESET, officer=by, data={"account_id": officer.id}, remote_addr=remote_addr)
    return token


def set_active(officer: Officer, active: bool, by: Officer, remote_addr: str = "") -> None:
    """Disable (ending every session) or re-enable an account."""
    if officer.id == by.id and not active:
        raise DomainError(str(_l("You cannot disable your own account.")))
    officer.active = active
    officer.session_version += 1
    db.session.flush()
    record_event(
        EventKind.ACCOUNT_ENABLED if active else EventKind.ACCOUNT_DISABLED,
        officer=by,
        data={"account_id": officer.id},
        remote_addr=remote_addr,
    )
