"""Form fields and validators shared by the consumer's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectMultipleField, TextAreaField, ValidationError, widgets
from wtforms.form import BaseForm

from complaints.core.clock import local_today
from complaints.core.phones import normalise_phone, split_phone_list


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
    """A phone number, if given, must be a real number; it is normalised to E.164."""
    if field.data and field.data.strip():
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError(_l("This does not look like a phone number."))
        field.data = normalised


def phone_list(form: Form, field: Field) -> None:
    """Several phone numbers, one per line or separated by commas: the field's data becomes their list in E.164."""
    raw = field.data if isinstance(field.data, str) else ""
    numbers: list[str] = []
    bad: list[str] = []
    for item in split_phone_list(raw):
        normalised = normalise_phone(item)
        if normalised is None:
            bad.append(item[:30])
        else:
            numbers.append(normalised)
    if bad:
        raise ValidationError(_l("Not a phone number: %(items)s", items="、".join(bad)))
    if len(numbers) > 20:
        raise ValidationError(_l("Please list at most 20 numbers."))
    field.data = list(dict.fromkeys(numbers))


class PhoneListField(TextAreaField):
    """A text box of phone numbers; validated, its data is their list in E.164 (`phone_list`), once each.

    Shown again (another answer was refused), it holds what the person typed, not the normalised list.
    """

    #: The text typed until validated, the list of numbers after.
    data: Any

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if isinstance(self.data, list):
            return "\n".join(self.data)
        return str(self.data or "")

    def post_validate(self, form: BaseForm, validation_stopped: bool) -> None:
        """Nothing typed (the chain stopped at `Optional`) is no numbers."""
        if not self.errors and not isinstance(self.data, list):
            self.data = []


def strip_filter(value: Any) -> Any:
    """Trim surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value
