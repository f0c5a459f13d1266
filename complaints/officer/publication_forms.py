"""Forms supervisors use in the narrative publication queue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from complaints.publication.review import REASON_MAX, TEXT_MAX


class ApproveForm(FlaskForm):
    """The redacted text, as the supervisor corrected it, to publish."""

    text = TextAreaField(
        _l("Text to publish"),
        validators=[DataRequired(_l("Enter the text to publish.")), Length(max=TEXT_MAX)],
        description=_l("Replace anything that could identify a person with [已删除] or [removed]."),
    )


class WithholdForm(FlaskForm):
    """Keep a narrative out of the public dataset."""

    reason = TextAreaField(
        _l("Why it is withheld (officers only)"),
        validators=[DataRequired(_l("Say why the narrative is withheld.")), Length(max=REASON_MAX)],
    )


class RevokeForm(FlaskForm):
    """Take back an approval."""

    target = SelectField(
        _l("Then"),
        choices=[
            SelectChoice("pending", _l("Return it to review")),
            SelectChoice("withheld", _l("Withhold it")),
        ],
        default="pending",
    )
    reason = TextAreaField(_l("Why (officers only)"), validators=[Optional(), Length(max=REASON_MAX)])


class ReopenForm(FlaskForm):
    """Return a withheld narrative to review."""
