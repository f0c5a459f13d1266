"""Encryption at rest (AES-256-GCM) and keyed hashes (HMAC-SHA-256) for private fields.

A key ring holds every key ever used, by id; the newest encrypts, any can decrypt, so keys can
be rotated without downtime (`flask rotate-key`). Keyed hashes ("blind indexes") let duplicate
detection and search compare values without the database ever holding them in clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app

PREFIX = "enc1"
KEY_BYTES = 32
NONCE_BYTES = 12
#: The first bytes of every encrypted file, so a clear file is never mistaken for a sealed one.
FILE_MAGIC = b"CWE1"
#: Where create_app keeps the app's key ring (``app.extensions``).
EXTENSION = "collectwatch_keyring"


class DecryptionError(Exception):
    """A value could not be decrypted: unknown key id, or it was tampered with."""


@dataclass
class KeyRing:
    """Data keys by id; `current` encrypts new values; a separate key makes keyed hashes."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes
    #: The access-code keys of retired data keys: derived one way, so they decrypt nothing.
    access_keys: dict[str, bytes] = field(default_factory=dict)
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    def cipher(self, key_id: str) -> AESGCM:
        """The AES-GCM cipher for a key id."""
        if key_id not in self.keys:
            raise DecryptionError(f"unknown key id {key_id!r}")
        if key_id not in self._ciphers:
            self._ciphers[key_id] = AESGCM(self.keys[key_id])
        return self._ciphers[key_id]

    def encrypt(self, plaintext: str, context: str = "") -> str:
        """``enc1:<key id>:<base64 nonce+ciphertext>``; the context binds it to its column."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher(self.current).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}:{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, context: str = "") -> str:
        """The plaintext of a token made by encrypt (with the same context)."""
        try:
            prefix, key_id, payload = token.split(":", 2)
        except ValueError as exc:
            raise DecryptionError("not an encrypted value") from exc
        if prefix != PREFIX:
            raise DecryptionError("not an encrypted value")
        try:
            raw = base64.urlsafe_b64decode(payload.encode())
        except (binascii.Error, ValueError) as exc:
            raise DecryptionError("value was altered (not valid base64)") from exc
        try:
            plain = self.cipher(key_id).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise DecryptionError("value was altered or the key is wrong") from exc
        return plain.decode()

    def encrypt_bytes(self, data: bytes, context: str = "") -> bytes:
        """Binary form for files: magic, key id length, key id, nonce, ciphertext."""
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.current.encode()
        sealed = self.cipher(self.current).encrypt(nonce, data, context.encode())
        return FILE_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt_bytes(self, blob: bytes, context: str = "") -> bytes:
        """Inverse of encrypt_bytes."""
        key_id = file_key_id(blob)
        if key_id is None:
            raise DecryptionError("not an encrypted file")
        start = len(FILE_MAGIC) + 1 + len(key_id.encode())
        nonce, sealed = blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :]
        try:
            return self.cipher(key_id).decrypt(nonce, sealed, context.encode())
        except InvalidTag as exc:
            raise DecryptionError("file was altered or the key is wrong") from exc

    def keyed_hash(self, value: str, purpose: str) -> str:
        """HMAC-SHA-256 of a normalised value, separated by purpose; empty for empty input."""
        if not value:
            return ""
        message = purpose.encode() + b"\x00" + value.encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()

    def term_code(self, value: str) -> int:
        """A 32-bit keyed hash (signed, fits an INTEGER column) for the narrative search index.

        Short on purpose: collisions only add candidates that the search then discards after
        decrypting, and a short code says less about the text than a full HMAC would.
        """
        digest = hmac.new(self.index_key, b"term\x00" + value.encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], "big", signed=True)

    def access_code_key(self, key_id: str) -> bytes | None:
        """The HMAC key of access-code hashes made while ``key_id`` was current (None if unknown).

        Derived from that data key, and kept in ``access_keys`` when the data key is retired:
        a code cannot be re-hashed without the consumer typing it, so its key must outlive the
        data key, and a derived key keeps nothing that could decrypt.
        """
        if key_id in self.keys:
            return hmac.new(self.keys[key_id], b"access-code", hashlib.sha256).digest()
        return self.access_keys.get(key_id)

    def retire(self, key_id: str) -> None:
        """Remove an old data key, keeping only the access-code key derived from it."""
        derived = self.access_code_key(key_id)
        if derived is not None:
            self.access_keys[key_id] = derived
        del self.keys[key_id]
        self._ciphers.pop(key_id, None)

    def key_id_of(self, token: str) -> str | None:
        """Which key encrypted a token (None for plaintext)."""
        parts = token.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def file_key_id(blob: bytes) -> str | None:
    """Which key sealed an encrypted file (None when the bytes are not an encrypted file)."""
    if not blob.startswith(FILE_MAGIC) or len(blob) < len(FILE_MAGIC) + 1:
        return None
    length = blob[len(FILE_MAGIC)]
    start = len(FILE_MAGIC) + 1
    if len(blob) < start + length + NONCE_BYTES + 16:
        return None
    try:
        return blob[start : start + length].decode("ascii")
    except UnicodeDecodeError:
        return None


def _decode_key(text: str) -> bytes:
    key = base64.urlsafe_b64decode(text.strip().encode())
    if len(key) != KEY_BYTES:
        raise RuntimeError("data keys must be 32 bytes, base64-encoded")
    return key


def new_key() -> str:
    """A fresh random key, base64-encoded."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def keyring_from_json(text: str) -> KeyRing:
    """Parse ``{"current": "k2", "keys": {"k1": "...", "k2": "..."}, "index_key": "..."}``."""
    data = json.loads(text)
    keys = {key_id: _decode_key(value) for key_id, value in data["keys"].items()}
    if data["current"] not in keys:
        raise RuntimeError("the current data key is not in the key ring")
    access = {key_id: _decode_key(value) for key_id, value in data.get("access_keys", {}).items()}
    return KeyRing(keys=keys, current=data["current"], index_key=_decode_key(data["index_key"]), access_keys=access)


def keyring_to_json(ring: KeyRing) -> str:
    """Serialise a key ring (for the instance file); ``access_keys`` only once a data key was retired."""
    data: dict[str, object] = {
        "current": ring.current,
        "keys": {key_id: base64.urlsafe_b64encode(key).decode() for key_id, key in ring.keys.items()},
        "index_key": base64.urlsafe_b64encode(ring.index_key).decode(),
    }
    if ring.access_keys:
        data["access_keys"] = {k: base64.urlsafe_b64encode(key).decode() for k, key in ring.access_keys.items()}
    return json.dumps(data, indent=2)


def load_or_create_keyring(path: Path, from_env: str | None, create: bool) -> KeyRing:
    """The key ring from the environment's JSON, else the instance file, else a new one (dev only)."""
    if from_env:
        return keyring_from_json(from_env)
    if path.exists():
        return keyring_from_json(path.read_text())
    if not create:
        raise RuntimeError("DATA_KEYS must be set (or instance/data_keys.json exist) in production")
    ring = KeyRing(keys={"k1": _decode_key(new_key())}, current="k1", index_key=_decode_key(new_key()))
    save_keyring(ring, path)
    return ring


def save_keyring(ring: KeyRing, path: Path) -> None:
    """Write the key ring file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(keyring_to_json(ring))
    tmp.chmod(0o600)
    os.replace(tmp, path)


def init_app(app: Flask) -> KeyRing:
    """Load the app's key ring (DATA_KEYS, else the key file); only development and tests may create one."""
    production = app.config.get("ENV_NAME") == "production"
    path = Path(app.config["DATA_KEYS_FILE"])
    try:
        ring = load_or_create_keyring(path, app.config.get("DATA_KEYS") or None, create=not production)
    except (ValueError, KeyError, binascii.Error) as exc:
        raise RuntimeError("DATA_KEYS (or the key file) is not a valid key ring; see README") from exc
    app.extensions[EXTENSION] = ring
    return ring


def current_keyring() -> KeyRing:
    """The key ring of the app in context."""
    ring: KeyRing = current_app.extensions[EXTENSION]
    return ring


def replace_index_key(ring: KeyRing) -> None:
    """A new key for the keyed hashes; every blind index must then be rebuilt."""
    ring.index_key = _decode_key(new_key())


def add_key(ring: KeyRing) -> str:
    """Add a new current key to the ring; older keys stay for decryption. Returns its id."""
    number = max(int(key_id.lstrip("k") or 0) for key_id in ring.keys) + 1
    key_id = f"k{number}"
    ring.keys[key_id] = _decode_key(new_key())
    ring.current = key_id
    return key_id


def new_keyring_json() -> str:
    """A fresh key ring (one data key, one index key) as the JSON DATA_KEYS expects, on one line."""
    ring = KeyRing(keys={"k1": _decode_key(new_key())}, current="k1", index_key=_decode_key(new_key()))
    return json.dumps(json.loads(keyring_to_json(ring)))


if __name__ == "__main__":  # `python -m complaints.core.crypto` prints a new DATA_KEYS value
    print(new_keyring_json())
