"""TOTP second factor: codes that work once, with one step of clock drift either way."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno

ISSUER = "CollectWatch"
#: Steps either side of now that are accepted (the previous code still works, older ones do not).
VALID_WINDOW = 1


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(secret: str, email: str) -> str:
    """The provisioning link as an SVG QR code in a data: URI (no inline style under the CSP)."""
    return str(segno.make(provisioning_uri(secret, email), error="m").svg_data_uri(scale=5))


def matching_step(secret: str, code: str, *, last_step: int, now: float | None = None) -> int | None:
    """The time step a code belongs to, if it matches and is newer than the last accepted step.

    Refusing steps at or before ``last_step`` is what makes a code work only once.
    """
    # ASCII digits only: str.isdigit() takes every script's (and superscripts), and compare_digest
    # raises on non-ASCII text.
    code = "".join(ch for ch in code if ch in "0123456789")
    if not secret or len(code) != 6:
        return None
    generator = pyotp.TOTP(secret)
    current = generator.timecode(now if now is not None else time.time())
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > last_step and hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None
