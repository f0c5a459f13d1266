"""Form helpers every blueprint shares: choices from labelled codes, a service's refusal shown on its field."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField
from wtforms.fields.choices import SelectChoice

from complaints.errors import DomainError


def choices_of(mapping: dict[str, Any]) -> list[SelectChoice]:
    """Form choices from a code → label mapping."""
    return [SelectChoice(code, label) for code, label in mapping.items()]


def attach_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal beside the field it concerns."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        field = next(iter(form))
    field.errors = [*field.errors, error.message]


#: A whole number or an amount as people type it: ASCII digits only (int() and Decimal() read every
#: script's digits, and a 5,000-digit Decimal overflows the arithmetic the validators do), at most
#: twelve of them, an optional sign and at most two decimals (a comma or a point).
_NUMBER = re.compile(r"[+-]?[0-9]{1,12}", re.ASCII)
_AMOUNT = re.compile(r"[+-]?[0-9]{1,12}(?:[.,][0-9]{1,2})?", re.ASCII)
NOT_A_NUMBER = _l("Write the number with the digits 0–9 only.")


def _read_number(valuelist: list[Any], pattern: re.Pattern[str]) -> str | None:
    """The typed text if it is a number the pattern allows; None when nothing was typed; else ValueError."""
    if not valuelist or not str(valuelist[0]).strip():
        return None
    raw = str(valuelist[0]).strip()
    if not pattern.fullmatch(raw):
        raise ValueError(str(NOT_A_NUMBER))
    return raw


class WholeNumberField(IntegerField):
    """IntegerField that reads ASCII digits only, with a message in the visitor's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """The typed number, or an error that keeps what was typed."""
        self.data = None
        raw = _read_number(valuelist, _NUMBER)
        self.data = int(raw) if raw is not None else None


class AmountField(DecimalField):
    """DecimalField that reads ASCII digits only (at most two decimals), with a message in the visitor's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """The typed amount, or an error that keeps what was typed."""
        self.data = None
        raw = _read_number(valuelist, _AMOUNT)
        self.data = Decimal(raw.replace(",", ".")) if raw is not None else None
