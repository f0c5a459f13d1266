"""The one rule for a complaint's violation codes, for the consumer's form and the officer's triage alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Complaint, ComplaintViolation, ViolationType


def main_code(codes: Sequence[str], primary: str, *, primary_field: str = "primary_code") -> str:
    """The main one of the chosen ``codes`` (already once each): ``primary``, which must be among them.

    With one code chosen and no main one named, that code is the main one. The error names ``primary_field``.
    """
    if not primary and len(codes) == 1:
        return codes[0]
    if not primary:
        raise DomainError(str(_l("Choose the main violation.")), primary_field)
    if primary not in codes:
        raise DomainError(str(_l("The main violation must be one of the ticked ones.")), primary_field)
    return primary


def checked_codes(
    codes: Iterable[str], primary: str, *, codes_field: str = "codes", primary_field: str = "primary_code"
) -> list[str]:
    """The chosen codes, once each in the order chosen, if the rule holds; else a `DomainError`.

    The rule: at least one code, each an active code of the taxonomy, and the main one among them
    (`main_code`). The error names the form's field (``codes_field`` or ``primary_field``) it concerns.
    """
    unique = list(dict.fromkeys(code for code in codes if code))
    if not unique:
        raise DomainError(str(_l("Choose at least one kind of violation.")), codes_field)
    main_code(unique, primary, primary_field=primary_field)
    known = set(
        db.session.scalars(
            select(ViolationType.code).where(ViolationType.code.in_(unique), ViolationType.active.is_(True))
        )
    )
    if len(known) != len(unique):
        raise DomainError(str(_l("Unknown violation code.")), codes_field)
    return unique


def set_violation_codes(
    complaint: Complaint,
    codes: Iterable[str],
    primary: str,
    *,
    codes_field: str = "codes",
    primary_field: str = "primary_code",
) -> None:
    """Replace the complaint's violation codes (checked by `checked_codes`); exactly one is primary (`main_code`)."""
    unique = checked_codes(codes, primary, codes_field=codes_field, primary_field=primary_field)
    primary = main_code(unique, primary, primary_field=primary_field)
    existing = {v.code: v for v in complaint.violations}
    complaint.violations = [existing.get(code) or ComplaintViolation(code=code, primary=False) for code in unique]
    for violation in complaint.violations:
        violation.primary = violation.code == primary
