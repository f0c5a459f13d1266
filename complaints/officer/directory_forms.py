"""Forms supervisors use to keep the directory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from complaints.core import labels
from complaints.core.forms import WholeNumberField, choices_of
from complaints.officer.referral_forms import CHANNEL_LABELS

MATCH_TYPES = {
    "violation": _l("Violation code"),
    "platform_kind": _l("Platform kind"),
    "credit_threat": _l("Narrative mentions the credit record (征信)"),
}


class PlatformForm(FlaskForm):
    """A platform's names, aliases, kind, company and verification."""

    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices_of(labels.PLATFORM_KINDS))
    operating_company = StringField(_l("Licence holder or operating company"), validators=[Length(max=300)])
    aliases = TextAreaField(_l("Aliases"), description=_l("One per line: other spellings, app names, English names."))
    verified = BooleanField(_l("Verified: this platform exists and the entry is right"))


class MergeForm(FlaskForm):
    """Merge this entry into another one."""

    target = SelectField(_l("Merge into"), validators=[DataRequired()])


class CollectorForm(FlaskForm):
    """A canonical collector and its phone numbers."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices_of(labels.COLLECTOR_KINDS))
    phones = TextAreaField(_l("Phone numbers"), description=_l("One per line; they are normalised."))
    notes = TextAreaField(_l("Notes (officers only)"), validators=[Length(max=5000)])


class LinkForm(FlaskForm):
    """Link a complaint, by reference, to this collector."""

    reference = StringField(_l("Complaint reference"), validators=[DataRequired(), Length(max=20)])


class RegulatorForm(FlaskForm):
    """A regulator's names, remit, intake and promised response time."""

    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=200)])
    handles_zh = TextAreaField(_l("What it handles (Chinese)"))
    handles_en = TextAreaField(_l("What it handles (English)"))
    intake_channel = SelectField(_l("Intake channel"), choices=choices_of(CHANNEL_LABELS))
    intake_contact = StringField(_l("Hotline, address or portal"), validators=[Length(max=300)])
    response_days = WholeNumberField(
        _l("Promised response time in days"), validators=[DataRequired(), NumberRange(1, 365)]
    )
    active = BooleanField(_l("Takes new referrals"))


class RoutingRuleForm(FlaskForm):
    """A new routing suggestion."""

    match_type = SelectField(_l("Matches"), choices=choices_of(MATCH_TYPES))
    match_value = StringField(
        _l("Value"),
        validators=[Optional(), Length(max=32)],
        description=_l("A violation code such as THR-01, or a platform kind such as lending_app."),
    )
    regulator = SelectField(_l("Regulator"), validators=[DataRequired()])
    note = StringField(_l("Why"), validators=[Length(max=300)])
