"""The campaign page's one form: choose members, then an action for all of them at once."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from complaints.casework.campaigns import Member
from complaints.core.database import parse_id
from complaints.officer.case_forms import MultiCheckboxField


def _row_id(value: object) -> int:
    """A chosen row's id; anything that names no row becomes 0, which no complaint has."""
    return value if isinstance(value, int) else parse_id(str(value)) or 0


#: What the form's buttons do (their ``value``), as the casework names it.
ACTIONS = ("agent_filed", "duplicates", "split")


class CampaignActionForm(FlaskForm):
    """Members chosen by checkbox; the button pressed says what happens to them."""

    # Ids outside the campaign are not an error of the form: the casework ignores them and says
    # so when none is left.
    members: SelectMultipleField = MultiCheckboxField(
        _l("Complaints"),
        coerce=_row_id,
        validate_choice=False,
        validators=[DataRequired(_l("Choose at least one complaint of the campaign."))],
    )
    original = SelectField(_l("The complaint the others duplicate"), coerce=_row_id, validate_choice=False)
    action = SelectField(choices=[SelectChoice(a, a) for a in ACTIONS], validators=[DataRequired()])

    def set_choices(self, members: Sequence[Member]) -> None:
        """Offer the campaign's members (and only them)."""
        self.members.choices = [SelectChoice(m.complaint.id, m.complaint.reference) for m in members]
        self.original.choices = [SelectChoice(m.complaint.id, m.complaint.reference) for m in members]
