"""Complaint references and the secret access codes that stand in for an account.

Why an access code is stored as an HMAC and not with a password hash: a slow hash (Argon2id,
64 MiB, ~0.2 s of CPU) protects secrets that people choose, which an attacker holding the database
can guess offline from a short list. An access code is not chosen: it is 16 symbols of a
32-symbol alphabet drawn by `secrets`, 80 random bits, and no amount of hashing speed makes 2^80
guesses feasible. For such tokens the standard is a keyed hash: HMAC-SHA-256 under a server-side
key, so a database copy without the key ring cannot even test a guess. That key is derived from
the data key current when the code was made (``hmac1$<key id>$<hex>``), and kept in derived form
when that data key is retired (`KeyRing.access_code_key`). The Argon2 hashes of earlier versions
still verify, and a successful look-up replaces one with the keyed form.

Unknown references cost the same as a wrong code: both compute one HMAC of the typed code and
compare it in constant time with a stored value of the same shape. (A complaint still holding an
Argon2 hash takes Argon2's time until its first successful look-up; that tells only that its
reference exists, which the sequential references tell anyway.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from complaints.core.clock import local_date
from complaints.core.crypto import KeyRing, current_keyring
from complaints.extensions import db
from complaints.models import Complaint, ReferenceCounter

# Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans("OIL", "011")
#: Verifies the Argon2id hashes stored before access codes were keyed; nothing new is hashed with it.
_legacy_hasher = PasswordHasher()
#: The prefix of a keyed access-code hash.
KEYED = "hmac1"


def new_access_code() -> str:
    """A random 80-bit access code written as four groups of four, e.g. ``7K3M-…``."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_access_code(code: str) -> str:
    """Accept lower case, spaces, missing dashes and the look-alikes O→0, I/L→1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(_LOOKALIKES)
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def _keyed_hash(ring: KeyRing, key_id: str, normalised: str) -> str | None:
    """``hmac1$<key id>$<hex>`` of a normalised code; None when the ring has no such key."""
    key = ring.access_code_key(key_id)
    if key is None:
        return None
    return f"{KEYED}${key_id}${hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()}"


def hash_access_code(code: str, ring: KeyRing | None = None) -> str:
    """The keyed hash (HMAC-SHA-256) of a normalised access code, under the current key."""
    ring = ring or current_keyring()
    keyed = _keyed_hash(ring, ring.current, normalise_access_code(code))
    if keyed is None:
        raise RuntimeError("the current data key is not in the key ring")
    return keyed


def access_code_matches(stored: str, code: str, ring: KeyRing | None = None) -> bool:
    """Whether a typed access code is the one a stored hash (keyed, or an earlier Argon2id) was made of."""
    normalised = normalise_access_code(code)
    if stored.startswith("$argon2"):
        try:
            return _legacy_hasher.verify(stored, normalised)
        except (VerificationError, InvalidHashError):
            return False
    prefix, _, rest = stored.partition("$")
    key_id = rest.partition("$")[0]
    expected = _keyed_hash(ring or current_keyring(), key_id, normalised) if prefix == KEYED else None
    return expected is not None and hmac.compare_digest(stored.encode(), expected.encode())


def _unknown_reference_hash(ring: KeyRing) -> str:
    """A stored value of the keyed shape that no code matches: compared against for an unknown reference."""
    return f"{KEYED}${ring.current}${'0' * 64}"


def new_public_id() -> str:
    """A random identifier for the public datasets, unrelated to the reference."""
    return "P" + "".join(secrets.choice(_ALPHABET) for _ in range(11))


def next_reference(now: dt.datetime) -> str:
    """The next ``CW-YYYY-NNNNNN`` reference, numbered per year without gaps or races.

    The year is the consumer's: the display time zone's, not UTC's (eight hours behind Beijing).
    """
    year = local_date(now).year
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
    ring = current_keyring()
    stored = complaint.access_code_hash if complaint is not None else _unknown_reference_hash(ring)
    matches = access_code_matches(stored, access_code, ring)  # the same work whether or not the reference exists
    if complaint is None or not matches:
        return None
    if not stored.startswith(f"{KEYED}${ring.current}$"):
        complaint.access_code_hash = hash_access_code(access_code, ring)  # an Argon2 or an older key's hash
    return complaint
