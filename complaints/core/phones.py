"""Normalising phone numbers so that one number is one string, however it was typed.

Every parser here reads ASCII digits only. Full-width digits and signs (what a Chinese input method
types) are converted to ASCII first, on purpose; digits of any other script (Arabic-Indic,
Devanagari, mathematical bold …) are refused rather than read: Python's ``\\d`` and ``int()``, and
phonenumbers, would otherwise take them silently for 0–9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

#: Full-width digits, plus, hyphen, parentheses, full stop and space, to their ASCII forms.
_FULL_WIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"＋": "+", "－": "-", "（": "(", "）": ")", "．": ".", "\u3000": " "}
)
_SEPARATORS = re.compile(r"[ \t\r\n\-‐‑–—().·/]+", re.ASCII)
#: ASCII digits only (``[0-9]``, and re.ASCII so that no later edit to ``\d`` widens it).
_DIGITS = re.compile(r"\+?[0-9]{5,20}", re.ASCII)
#: Numbers collectors call and text from that are not E.164 numbers: 106 bulk-SMS gateways (8 to 20
#: digits), 95/96 short numbers, carriers' 10xxx and government 12xxx hotlines.
_SERVICE = re.compile(r"106[0-9]{5,17}|9[56][0-9]{3,6}|10[0-9]{3,4}|12[0-9]{3}", re.ASCII)
#: What a consumer can be called back on: a mobile or a landline, not a shared or toll-free line.
_CALLABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
#: Longest text kept for one reported number (the column's width).
REPORTED_PHONE_MAX = 40


def _cleaned(raw: str) -> str | None:
    """The number's ASCII digits with at most a leading ``+``, or None when it has anything else."""
    cleaned = _SEPARATORS.sub("", raw.translate(_FULL_WIDTH).strip())
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    return cleaned if _DIGITS.fullmatch(cleaned) else None


def _parsed(cleaned: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str, region: str = "CN") -> str | None:
    """One string for a number a collector may use, or None when it is not one.

    Mobiles (virtual 170/171 ranges included), landlines with their area code and 400/800 numbers
    become E.164 (``+86 138-0013-8000``, ``0086 13800138000`` and ``13800138000`` all give
    ``+8613800138000``); 106 SMS gateways and 95/96, 10xxx and 12xxx short numbers, which are not
    E.164 numbers, become their digits (``+86 10690000123`` gives ``10690000123``).
    """
    cleaned = _cleaned(raw)
    if cleaned is None:
        return None
    national = cleaned.removeprefix("+86")
    if _SERVICE.fullmatch(national):
        return national
    number = _parsed(cleaned, region)
    return _e164(number) if number is not None else None


def normalise_contact_phone(raw: str, region: str = "CN") -> str | None:
    """A consumer's own number in E.164, or None: it must be a mobile or a landline the office can call back."""
    cleaned = _cleaned(raw)
    if cleaned is None:
        return None
    number = _parsed(cleaned, region)
    if number is None or phonenumbers.number_type(number) not in _CALLABLE:
        return None
    return _e164(number)


@dataclass(frozen=True)
class ReportedNumber:
    """A number the consumer says a collector used: normalised when recognised, else as typed."""

    phone: str
    normalised: bool


def read_reported_phone(raw: str, region: str = "CN") -> ReportedNumber | None:
    """A collector's number as reported: its normal form when recognised, else the text as typed.

    A complaint is never refused over one collector number the parser does not know (a number
    without its area code, a foreign format, "hidden number"): it is kept as the consumer typed it,
    flagged as not normalised. Only nothing at all, or text too long to be a number, is None.
    """
    text = raw.strip()
    if not text or len(text) > REPORTED_PHONE_MAX:
        return None
    normalised = normalise_phone(text, region)
    if normalised is not None:
        return ReportedNumber(normalised, True)
    return ReportedNumber(text, False)


def split_phone_list(raw: str) -> list[str]:
    """Split a free-text list of numbers on commas, semicolons, new lines or Chinese commas."""
    parts = re.split(r"[,，;；\n、]+", raw)
    return [part.strip() for part in parts if part.strip()]
