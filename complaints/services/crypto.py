"""Encryption at rest (AES-256-GCM) and keyed hashes (HMAC-SHA-256) for private fields.

A key ring holds every key ever used, by id; the newest encrypts, any can decrypt, so keys can
be rotated without downtime (`flask rotate-key`). Keyed hashes ("blind indexes") let duplicate
detection and search compare values without the database ever holding them in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1"
KEY_BYTES = 32
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A value could not be decrypted: unknown key id, or it was tampered with."""


@dataclass
class KeyRing:
    """Data keys by id; `current` encrypts new values; a separate key makes keyed hashes."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes
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
        raw = base64.urlsafe_b64decode(payload.encode())
        try:
            plain = self.cipher(key_id).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise DecryptionError("value was altered or the key is wrong") from exc
        return plain.decode()

    def encrypt_bytes(self, data: bytes, context: str = "") -> bytes:
        """Binary form for files: key id length, key id, nonce, ciphertext."""
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.current.encode()
        sealed = self.cipher(self.current).encrypt(nonce, data, context.encode())
        return bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt_bytes(self, blob: bytes, context: str = "") -> bytes:
        """Inverse of encrypt_bytes."""
        length = blob[0]
        key_id = blob[1 : 1 + length].decode()
        nonce = blob[1 + length : 1 + length + NONCE_BYTES]
        try:
            return self.cipher(key_id).decrypt(nonce, blob[1 + length + NONCE_BYTES :], context.encode())
        except InvalidTag as exc:
            raise DecryptionError("file was altered or the key is wrong") from exc

    def keyed_hash(self, value: str, purpose: str) -> str:
        """HMAC-SHA-256 of a normalised value, separated by purpose; empty for empty input."""
        if not value:
            return ""
        message = purpose.encode() + b"\x00" + value.encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()

    def key_id_of(self, token: str) -> str | None:
        """Which key encrypted a token (None for plaintext)."""
        parts = token.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


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
    return KeyRing(keys=keys, current=data["current"], index_key=_decode_key(data["index_key"]))


def keyring_to_json(ring: KeyRing) -> str:
    """Serialise a key ring (for the instance file)."""
    return json.dumps(
        {
            "current": ring.current,
            "keys": {key_id: base64.urlsafe_b64encode(key).decode() for key_id, key in ring.keys.items()},
            "index_key": base64.urlsafe_b64encode(ring.index_key).decode(),
        },
        indent=2,
    )


def load_or_create_keyring(path: Path, from_env: str | None, create: bool) -> KeyRing:
    """The key ring from the environment's JSON, else the instance file, else a new one (dev only)."""
    if from_env:
        return keyring_from_json(from_env)
    if path.exists():
        return keyring_from_json(path.read_text())
    if not create:
        raise RuntimeError("DATA_KEYS must be set (or instance/data_keys.json exist) in production")
    ring = KeyRing(keys={"k1": _decode_key(new_key())}, current="k1", index_key=_decode_key(new_key()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(keyring_to_json(ring))
    path.chmod(0o600)
    return ring


def add_key(ring: KeyRing) -> str:
    """Add a new current key to the ring; older keys stay for decryption. Returns its id."""
    number = max(int(key_id.lstrip("k") or 0) for key_id in ring.keys) + 1
    key_id = f"k{number}"
    ring.keys[key_id] = _decode_key(new_key())
    ring.current = key_id
    return key_id
