"""Officer accounts: creation, enrolment, sign-in with password and TOTP, per-address backoff, ending sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from complaints.accounts import sessions, totp
from complaints.audit.events import record_event
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import CaseEvent, EventKind, Officer, Platform, Role, SignInBackoff
from complaints.models.base import utcnow

MIN_PASSWORD = 12
MAX_PASSWORD = 128
#: Consecutive failures from one address after which that address is paused for that account:
#: 1 minute, then twice as long with each further failure, up to MAX_PAUSE_MINUTES.
MAX_FAILURES = 5
MAX_PAUSE_MINUTES = 60
#: A failure this long after the previous one from the same address starts the count again.
FAILURES_FORGOTTEN_AFTER = dt.timedelta(hours=24)
ENROLMENT_HOURS = 72

_hasher = PasswordHasher()  # argon2-cffi's default type is Argon2id
# Verified against when the account is unknown, so that both failures take the same time. A literal
# (argon2-cffi's default cost, as _hasher uses): hashing at import allocated 64 MiB in every process.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$VUaBgWmoZNDF42Rw4IDN8g$1Nprq7gph8XhgKyiBkN+BsAnFcQ6PkihfoarFtSfAFM"
_COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"


class SignInFailed(DomainError):  # noqa: N818 - the domain's word
    """E-mail, password or code did not match, or the address is paused (deliberately vague)."""


class FailedAttempts(NamedTuple):
    """Failed sign-ins on an account between two of its sign-ins, and how many addresses they came from."""

    attempts: int
    addresses: int


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


def casework_staff() -> list[Officer]:
    """The active officers and supervisors, the accounts complaints can be assigned to (never responders)."""
    return list(
        db.session.scalars(
            select(Officer)
            .where(Officer.active.is_(True), Officer.role != Role.RESPONDER.value)
            .order_by(Officer.email)
        )
    )


def invite_responder(
    email: str, platform: Platform | None, display_name: str = "", by: Officer | None = None
) -> Enrolment:
    """A platform representative's account, enrolled like an officer's, for one verified platform."""
    if platform is None or not platform.verified or platform.merged_into_id is not None:
        raise DomainError(str(_l("Choose a verified platform of the directory.")), "platform_id")
    return create_officer(email, Role.RESPONDER, display_name, by=by, platform=platform)


def create_officer(
    email: str, role: Role, display_name: str = "", by: Officer | None = None, *, platform: Platform | None = None
) -> Enrolment:
    """A new account without password or TOTP, and its one-time enrolment token.

    A responder's account belongs to exactly one platform; no other account has one.
    """
    if (role is Role.RESPONDER) != (platform is not None):
        raise DomainError(str(_l("A platform's responder needs its platform, and only a responder has one.")), "role")
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise DomainError(str(_l("Enter a valid e-mail address.")), "email")
    if db.session.scalar(select(func.count()).select_from(Officer).where(Officer.email == email)):
        raise DomainError(str(_l("An account with this e-mail already exists.")), "email")
    officer = Officer(
        email=email,
        role=role.value,
        display_name=(display_name.strip() or email.split("@")[0])[:200],
        platform_id=platform.id if platform is not None else None,
    )
    token = _issue_enrolment(officer)
    db.session.add(officer)
    db.session.flush()
    data: dict[str, Any] = {"account_id": officer.id, "role": role.value}
    if platform is not None:
        data["platform_id"] = platform.id
    record_event(EventKind.ACCOUNT_CREATED, officer=by, data=data)
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
    officer.session_version += 1
    # a fresh start: no address stays paused for the newly enrolled account
    db.session.execute(delete(SignInBackoff).where(SignInBackoff.officer_id == officer.id))
    db.session.flush()
    record_event(EventKind.ACCOUNT_ENROLLED, officer=officer, remote_addr=remote_addr)


def _insert(dialect: str) -> Any:
    return (postgresql if dialect == "postgresql" else sqlite).insert


def pause_for(failures: int) -> dt.timedelta | None:
    """How long an address is paused after this many consecutive failures (None: not yet)."""
    if failures < MAX_FAILURES:
        return None
    return dt.timedelta(minutes=min(2 ** min(failures - MAX_FAILURES, 16), MAX_PAUSE_MINUTES))


def _count_failure(officer: Officer, remote_addr: str) -> None:
    """Add one failure to (officer, address) and pause the address once there are enough.

    One upsert that adds one in the database and returns the new count, so parallel failures each
    count, the first ones included (a read-then-write, or a check-then-insert, lost them).
    """
    now = utcnow()
    table = SignInBackoff.__table__
    stmt = _insert(db.session.get_bind().dialect.name)(table).values(
        officer_id=officer.id, address=remote_addr, failures=1, last_failed_at=now, paused_until=None
    )
    forgotten = table.c.last_failed_at < now - FAILURES_FORGOTTEN_AFTER
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.officer_id, table.c.address],
        set_={
            "failures": case((forgotten, 1), else_=table.c.failures + 1),
            "paused_until": case((forgotten, None), else_=table.c.paused_until),
            "last_failed_at": now,
        },
    ).returning(table.c.failures)
    failures = db.session.execute(stmt).scalar_one()
    pause = pause_for(failures)
    if pause is not None:
        until = now + pause
        # Only ever later: a slower parallel failure with a smaller count does not shorten the pause.
        db.session.execute(
            update(SignInBackoff)
            .where(
                SignInBackoff.officer_id == officer.id,
                SignInBackoff.address == remote_addr,
                or_(SignInBackoff.paused_until.is_(None), SignInBackoff.paused_until < until),
            )
            .values(paused_until=until)
            .execution_options(synchronize_session=False)
        )


def _paused(officer: Officer, remote_addr: str) -> bool:
    """Whether sign-in to this account from this address is paused now."""
    until = db.session.scalar(
        select(SignInBackoff.paused_until).where(
            SignInBackoff.officer_id == officer.id, SignInBackoff.address == remote_addr
        )
    )
    return until is not None and until > utcnow()


def _fail(officer: Officer | None, remote_addr: str, reason: str) -> SignInFailed:
    """Count a failure against the account and address and record it; the caller raises what this returns."""
    if officer is not None:
        _count_failure(officer, remote_addr)
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
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(officer, ["totp_last_step"])
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def authenticate(email: str, password: str, code: str, remote_addr: str = "") -> Officer:
    """The officer whose password and TOTP code match; every failure looks the same to the caller."""
    email = email.strip().lower()
    officer = db.session.scalar(select(Officer).where(Officer.email == email)) if email else None
    usable = officer is not None and officer.enrolled and len(password) <= MAX_PASSWORD
    # Every path verifies one Argon2 hash, so the time taken does not tell a paused address, a
    # disabled or unknown account apart from a wrong password.
    try:
        stored = officer.password_hash if officer is not None and usable else _DUMMY_HASH
        password_ok = bool(_hasher.verify(stored, password[:MAX_PASSWORD] or "x"))
    except (VerificationError, InvalidHashError):
        password_ok = False
    if officer is None or not usable:
        raise _fail(officer, remote_addr, "not_enrolled" if officer is not None else "unknown")
    if not officer.active:
        raise _fail(officer, remote_addr, "disabled")
    if _paused(officer, remote_addr):
        raise _fail(officer, remote_addr, "paused")
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
    # A success resets its own address only: a pause elsewhere is someone else's.
    db.session.execute(
        delete(SignInBackoff).where(SignInBackoff.officer_id == officer.id, SignInBackoff.address == remote_addr)
    )
    db.session.flush()
    record_event(EventKind.SIGN_IN, officer=officer, remote_addr=remote_addr)
    return officer


def failures_since_previous_sign_in(officer: Officer) -> FailedAttempts:
    """Failed sign-ins on the account between its latest sign-in and the one before (or its enrolment).

    Counted from the audit log, which records every SIGN_IN_FAILED with its address; by event id, so
    a clock that jumps cannot move a failure across a sign-in. Call it right after `authenticate`.
    """
    starts = (
        select(CaseEvent.id)
        .where(CaseEvent.officer_id == officer.id, CaseEvent.kind.in_([EventKind.SIGN_IN, EventKind.ACCOUNT_ENROLLED]))
        .order_by(CaseEvent.id.desc())
        .limit(2)
    )
    ids = list(db.session.scalars(starts))
    if not ids:
        return FailedAttempts(0, 0)
    after = ids[1] if len(ids) > 1 else 0
    attempts, addresses = db.session.execute(
        select(func.count(), func.count(func.distinct(CaseEvent.remote_addr))).where(
            CaseEvent.officer_id == officer.id,
            CaseEvent.kind == EventKind.SIGN_IN_FAILED,
            CaseEvent.id > after,
            CaseEvent.id < ids[0],
        )
    ).one()
    return FailedAttempts(int(attempts), int(addresses))


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
    sessions.end_every_session_of(officer)
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
    sessions.end_every_session_of(officer)
    db.session.flush()
    record_event(
        EventKind.ACCOUNT_ENABLED if active else EventKind.ACCOUNT_DISABLED,
        officer=by,
        data={"account_id": officer.id},
        remote_addr=remote_addr,
    )
