"""Complaint references and the secret access codes that stand in for an account."""

from __future__ import annotations

import datetime as dt
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from complaints.extensions import db
from complaints.models import Complaint, ReferenceCounter

# Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans("OIL", "011")
_hasher = PasswordHasher()
# Verified against when the reference is unknown, so both failures take the same time. A literal
# (argon2-cffi's default cost, as _hasher uses): hashing at import allocated 64 MiB in every process.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$ulSivIZDPJ62wSm5w9QuBg$eJqLAJS1x5svYJ9X8c/Q9XaCsz0b+Ika+zwQfraf9mg"


def new_access_code() -> str:
    """A random 80-bit access code written as four groups of four, e.g. ``7K3M-…``."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_access_code(code: str) -> str:
    """Accept lower case, spaces, missing dashes and the look-alikes O→0, I/L→1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(_LOOKALIKES)
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def hash_access_code(code: str) -> str:
    """Argon2id hash of a normalised access code."""
    return _hasher.hash(normalise_access_code(code))


def new_public_id() -> str:
    """A random identifier for the public datasets, unrelated to the reference."""
    return "P" + "".join(secrets.choice(_ALPHABET) for _ in range(11))


def next_reference(now: dt.datetime) -> str:
    """The next ``CW-YYYY-NNNNNN`` reference, numbered per year without gaps or races."""
    year = now.year
    dialect = db.session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert_fn(ReferenceCounter).values(year=year, last_value=0).on_conflict_do_nothing())
    value = db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()
    return f"CW-{year}-{value:06d}"


def normalise_reference(reference: str) -> str:
    """Upper-case a reference and restore its dashes: ``cw2026000123`` → ``CW-2026-000123``."""
    cleaned = "".join(ch for ch in reference.upper() if ch.isalnum())
    if len(cleaned) >= 8 and cleaned.isascii() and cleaned.startswith("CW") and cleaned[2:].isdigit():
        return f"CW-{cleaned[2:6]}-{cleaned[6:]}"
    return reference.strip().upper()


def find_complaint_by_code(reference: str, access_code: str) -> Complaint | None:
    """The complaint if reference and code match; None otherwise, in the same time either way."""
    complaint = db.session.scalars(
        select(Complaint).where(Complaint.reference == normalise_reference(reference))
    ).first()
    stored = complaint.access_code_hash if complaint is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, normalise_access_code(access_code))
    except (VerificationError, InvalidHashError):
        return None
    return complaint
