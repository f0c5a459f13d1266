"""Form helpers every blueprint shares: choices from labelled codes, a service's refusal shown on its field."""

from __future__ import annotations

from typing import Any

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
