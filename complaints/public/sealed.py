"""The receipt sealed for its one trip in the session cookie, which Flask signs but does not encrypt.

Between filing and the receipt page the reference and access code ride in the visitor's cookie; anyone
who copied that cookie (a shared phone, a proxy log) could otherwise read the code from it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

#: A receipt not shown within this time is gone; the consumer looks the complaint up instead.
RECEIPT_TTL_SECONDS = 3600
_PURPOSE = b"collectwatch: receipt in the session cookie, v1"


def _fernet() -> Fernet:
    """AES (Fernet) with a key derived from SECRET_KEY for this purpose only."""
    secret = current_app.config["SECRET_KEY"]
    material = secret if isinstance(secret, bytes) else str(secret).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(receipt: dict[str, str]) -> str:
    """The receipt encrypted and authenticated, as text for the session."""
    return _fernet().encrypt(json.dumps(receipt).encode()).decode("ascii")


def unseal(token: Any) -> dict[str, str] | None:
    """The receipt back, or None if it is missing, altered, made with another key or too old."""
    if not isinstance(token, str):
        return None
    try:
        data = json.loads(_fernet().decrypt(token.encode("ascii"), ttl=RECEIPT_TTL_SECONDS))
    except (InvalidToken, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or not {"reference", "code"} <= data.keys():
        return None
    return {"reference": str(data["reference"]), "code": str(data["code"])}
