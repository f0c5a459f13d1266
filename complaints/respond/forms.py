"""The responder portal's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from complaints.casework.platform_loop import MAX_TEXT
from complaints.core import labels
from complaints.models import ResponseType


class AnswerForm(FlaskForm):
    """The platform's answer: its kind and the text the consumer will read."""

    response_type = RadioField(_l("Your answer"), validators=[DataRequired(_l("Choose the kind of answer."))])
    text = TextAreaField(
        _l("Your answer to the consumer"),
        validators=[DataRequired(_l("Write your answer to the consumer.")), Length(max=MAX_TEXT)],
        description=_l("The consumer reads this on their status page. Say what you did or will do, and by when."),
    )

    def set_choices(self, allowed: list[ResponseType]) -> None:
        """Only the kinds of answer possible now (no second "in progress")."""
        self.response_type.choices = [SelectChoice(kind.value, labels.RESPONSE_TYPES[kind.value]) for kind in allowed]
