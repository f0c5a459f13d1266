"""Form fields and validators shared by the consumer's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectMultipleField, TextAreaField, ValidationError, widgets
from wtforms.form import BaseForm

from complaints.core.clock import local_today
from complaints.core.phones import (
    REPORTED_PHONE_MAX,
    ReportedNumber,
    normalise_contact_phone,
    read_reported_phone,
    split_phone_list,
)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, one per choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def not_in_future(form: Form, field: Field) -> None:
    """A date must not be after today, in the display time zone (where the people typing it are)."""
    if field.data is not None and field.data > local_today():
        raise ValidationError(_l("This date is in the future."))


def not_before_2000(form: Form, field: Field) -> None:
    """Reject obviously mistyped years."""
    if field.data is not None and field.data < dt.date(2000, 1, 1):
        raise ValidationError(_l("Please check the year."))


def optional_phone(form: Form, field: Field) -> None:
    """The consumer's own number, if given, must be one the office can call back; it is normalised to E.164."""
    if field.data and field.data.strip():
        normalised = normalise_contact_phone(field.data)
        if normalised is None:
            raise ValidationError(
                _l(
                    "Please give a mobile number (11 digits, such as 138 0013 8000) or a landline with its "
                    "area code (such as 010 8888 6666), so that we can call you back."
                )
            )
        field.data = normalised


def phone_list(form: Form, field: Field) -> None:
    """Collectors' numbers, one per line or separated by commas: the field's data becomes their list, once each.

    A number the parser does not recognise is kept as typed, flagged (`read_reported_phone`): the
    complaint is never refused over one collector number. Only text too long to be a number is.
    """
    raw = field.data if isinstance(field.data, str) else ""
    numbers: list[ReportedNumber] = []
    too_long: list[str] = []
    for item in split_phone_list(raw):
        reported = read_reported_phone(item)
        if reported is None:
            too_long.append(item[:30] + "…")
        else:
            numbers.append(reported)
    if too_long:
        raise ValidationError(
            _l(
                "This is too long for a phone number (at most %(n)d characters): %(items)s",
                n=REPORTED_PHONE_MAX,
                items="、".join(too_long),
            )
        )
    if len(numbers) > 20:
        raise ValidationError(_l("Please list at most 20 numbers."))
    field.data = list(dict.fromkeys(numbers))


class PhoneListField(TextAreaField):
    """A text box of phone numbers; validated, its data is their list of `ReportedNumber` (`phone_list`), once each.

    Shown again (another answer was refused), it holds what the person typed, not the normalised list.
    """

    #: The text typed until validated, the list of numbers after.
    data: Any

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if isinstance(self.data, list):
            return "\n".join(n.phone if isinstance(n, ReportedNumber) else str(n) for n in self.data)
        return str(self.data or "")

    def post_validate(self, form: BaseForm, validation_stopped: bool) -> None:
        """Nothing typed (the chain stopped at `Optional`) is no numbers."""
        if not self.errors and not isinstance(self.data, list):
            self.data = []


def strip_filter(value: Any) -> Any:
    """Trim surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value
