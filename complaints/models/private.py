"""Private columns encrypted at rest, and the keyed hashes ("blind indexes") that replace clear look-ups.

Values are sealed with the app's key ring when written and opened when read, so models and
services see plaintext while the database only ever holds ``enc1:<key id>:<ciphertext>``. An empty
string stays empty (it says only that a field was left blank). A value that fails to decrypt
raises :class:`~complaints.core.crypto.DecryptionError` naming the column: never a silent
wrong value.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Text, TypeDecorator
from sqlalchemy.engine import Dialect

from complaints.core.crypto import PREFIX, DecryptionError, KeyRing, current_keyring

#: Keys of CaseEvent.data that may hold a person's words (consumer messages, notes, reasons).
PRIVATE_EVENT_FIELDS = ("text", "reason")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+", re.UNICODE)


def seal(ring: KeyRing, value: str | None, context: str) -> str | None:
    """The stored form of a private value (empty and None stay as they are)."""
    if not value:
        return value
    return ring.encrypt(value, context)


def unseal(ring: KeyRing, value: str | None, context: str) -> str | None:
    """The plaintext of a stored private value; a clear or altered value is an error naming the column."""
    if not value:
        return value
    if not value.startswith(PREFIX + ":"):
        raise DecryptionError(f"{context}: the stored value is not encrypted (run the 0005 migration)")
    try:
        return ring.decrypt(value, context)
    except DecryptionError as exc:
        raise DecryptionError(f"{context}: {exc}") from exc


class EncryptedText(TypeDecorator[str]):
    """A text column whose values are AES-GCM sealed, bound to their column by ``context``."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return seal(current_keyring(), value, self.context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return unseal(current_keyring(), value, self.context)


def _map_private_fields(
    data: dict[str, Any] | None, change: Callable[[str, str], str | None], context: str
) -> dict[str, Any] | None:
    """A copy of an event's data with change(value, field context) applied to its private strings."""
    if not data:
        return data
    mapped = dict(data)
    for key in PRIVATE_EVENT_FIELDS:
        value = mapped.get(key)
        if isinstance(value, str) and value:
            mapped[key] = change(value, f"{context}.{key}")
    return mapped


def seal_fields(ring: KeyRing, data: dict[str, Any] | None, context: str) -> dict[str, Any] | None:
    """A copy of an event's data with its private string fields sealed."""
    return _map_private_fields(data, ring.encrypt, context)


def unseal_fields(ring: KeyRing, data: dict[str, Any] | None, context: str) -> dict[str, Any] | None:
    """An event's data with its private fields opened again."""
    return _map_private_fields(data, lambda value, field: unseal(ring, value, field), context)


class EncryptedFields(TypeDecorator[dict[str, Any]]):
    """A JSON column whose private fields (PRIVATE_EVENT_FIELDS) are sealed; the rest stays queryable.

    The audit chain hashes the plaintext the model holds, so re-encrypting under a new key never
    breaks ``flask verify-audit``.
    """

    impl = JSON
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> dict[str, Any] | None:
        return seal_fields(current_keyring(), value, self.context)

    def process_result_value(self, value: dict[str, Any] | None, dialect: Dialect) -> dict[str, Any] | None:
        return unseal_fields(current_keyring(), value, self.context)


# --- blind indexes -------------------------------------------------------------------------------


def normalised_narrative(text: str) -> str:
    """The narrative without spaces and punctuation, case-folded, for comparison."""
    return _NOISE.sub("", text).casefold()


def search_form(text: str) -> str:
    """Text as the narrative search compares it: case-folded, runs of white space as one space."""
    return _SPACES.sub(" ", text).strip().casefold()


def bigrams(text: str) -> set[str]:
    """Every distinct two-character piece of the search form (Chinese has no word boundaries)."""
    form = search_form(text)
    return {form[i : i + 2] for i in range(len(form) - 1)}


def term_codes(ring: KeyRing, text: str) -> set[int]:
    """The keyed codes of a text's bigrams: what the narrative_terms table holds for it."""
    return {ring.term_code(gram) for gram in bigrams(text)}


def email_hash(ring: KeyRing, email: str) -> str:
    """Keyed hash of an e-mail address, case and surrounding spaces ignored."""
    return ring.keyed_hash(email.strip().casefold(), "contact_email")


def phone_hash(ring: KeyRing, phone: str) -> str:
    """Keyed hash of a phone number (already E.164)."""
    return ring.keyed_hash(phone.strip(), "contact_phone")


def contact_fingerprint(ring: KeyRing, name: str, phone: str, email: str) -> str:
    """Keyed hash of the whole set of contact details (empty when none was given)."""
    parts = (name.strip().casefold(), phone.strip(), email.strip().casefold())
    return ring.keyed_hash("\x1f".join(parts), "contact") if any(parts) else ""


def narrative_fingerprint(ring: KeyRing, narrative: str) -> str:
    """Keyed hash of the normalised narrative: equal for narratives that differ only in spaces and punctuation."""
    return ring.keyed_hash(normalised_narrative(narrative), "narrative")


def network_hash(ring: KeyRing, address: str) -> str:
    """Keyed hash of the network an address belongs to (/24 for IPv4, /48 for IPv6); empty if it is none.

    The network, not the address: one agent's office or phone shares it. Never the address itself.
    """
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    network = ipaddress.ip_network(f"{parsed}/{prefix}", strict=False)
    return ring.keyed_hash(str(network), "filing-network")
