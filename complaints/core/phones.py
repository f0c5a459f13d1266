"""Normalising phone numbers so that one number is one string, however it was typed."""

from __future__ import annotations

import re

import phonenumbers

_SEPARATORS = re.compile(r"[\s\-().·/]+")


def normalise_phone(raw: str, region: str = "CN") -> str | None:
    """E.164 form of a phone number (``+8613800138000``), or None when it is not a number.

    Chinese mobiles, landlines with area codes and 400/95 service numbers are accepted;
    ``+86 138-0013-8000``, ``0086 13800138000`` and ``13800138000`` give the same result.
    """
    cleaned = _SEPARATORS.sub("", raw.strip())
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not cleaned or not re.fullmatch(r"\+?\d{5,16}", cleaned):
        return None
    # Short service numbers (95xxx, 10086 …) are real collectors' numbers but not E.164-valid.
    if re.fullmatch(r"(95\d{3,6}|10\d{3,4}|1[02]\d{3})", cleaned):
        return cleaned
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def split_phone_list(raw: str) -> list[str]:
    """Split a free-text list of numbers on commas, semicolons, new lines or Chinese commas."""
    parts = re.split(r"[,，;；\n、]+", raw)
    return [part.strip() for part in parts if part.strip()]
