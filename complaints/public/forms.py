"""The consumer's forms: filing, looking up a complaint, adding information, withdrawing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from complaints.casework.violation_codes import main_code
from complaints.core import labels
from complaints.core.forms import AmountField, WholeNumberField, choices_of
from complaints.directory.reference_data import Province
from complaints.errors import DomainError
from complaints.models import ViolationType
from complaints.public.fields import (
    MultiCheckboxField,
    PhoneListField,
    not_before_2000,
    not_in_future,
    optional_phone,
    phone_list,
    strip_filter,
)

NARRATIVE_MAX = 5000


def unix_newlines(value: Any) -> Any:
    """Line breaks as one character each, as the browser counts them (a form sends them as CR LF)."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def narrative_length(form: Any, field: TextAreaField) -> None:
    """A story over the limit is refused, saying by how much; it is kept as typed, never cut."""
    count = len(field.data or "")
    if count > NARRATIVE_MAX:
        raise ValidationError(
            _l(
                "Your account is %(count)d characters long, %(over)d more than the limit of %(max)d. "
                "Shorten it and send it again; nothing was cut.",
                count=count,
                over=count - NARRATIVE_MAX,
                max=NARRATIVE_MAX,
            )
        )


class ComplaintForm(FlaskForm):
    """Everything DOMAIN.md says a complaint holds, in the order a distressed person can answer."""

    platform = StringField(
        _l("Which platform or app is the debt with?"),
        validators=[DataRequired(_l("Tell us the platform or app name.")), Length(max=200)],
        filters=[strip_filter],
        description=_l("The lender, mall or app you borrowed from. If it is not suggested, type its name."),
    )
    collector_kind = RadioField(
        _l("Who contacted you?"),
        choices=choices_of(labels.COLLECTOR_KINDS),
        default="unknown",
        validators=[InputRequired()],
    )
    collector_name = StringField(
        _l("The name they gave (if any)"),
        validators=[Optional(), Length(max=200)],
        filters=[strip_filter],
        description=_l("For example a company name, or the name the caller used."),
    )
    collector_phones = PhoneListField(
        _l("Phone numbers they called or texted from"),
        validators=[Optional(), Length(max=2000), phone_list],
        description=_l("One per line, or separated by commas. Numbers help us link complaints about the same agency."),
    )
    violations = MultiCheckboxField(
        _l("What did they do?"),
        validators=[DataRequired(_l("Choose at least one kind of violation."))],
        description=_l("Tick everything that happened."),
    )
    # Its label is the words of its error messages; its choices are narrowed to the ticked codes (here once
    # codes were sent, and live by static/js/app.js), and `main_code` decides, the one rule for codes.
    primary_violation = SelectField(
        _l("Main violation"),
        validate_choice=False,
        description=_l("If you ticked more than one: the most serious of them."),
    )
    channels = MultiCheckboxField(_l("How did they contact you?"), choices=choices_of(labels.CHANNELS))
    third_parties = MultiCheckboxField(_l("Whom else did they contact?"), choices=choices_of(labels.THIRD_PARTIES))
    calls_per_day = WholeNumberField(
        _l("On the worst days, how many calls or messages a day?"),
        validators=[Optional(), NumberRange(min=0, max=10000, message=_l("Enter a number from 0 to 10000."))],
    )
    first_incident_on = DateField(_l("When did it start?"), validators=[Optional(), not_in_future, not_before_2000])
    last_incident_on = DateField(
        _l("When did it last happen?"), validators=[Optional(), not_in_future, not_before_2000]
    )
    amount_owed = AmountField(
        _l("Amount they say you owe (yuan)"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=100_000_000, message=_l("Enter an amount of 0 or more."))],
    )
    days_overdue = WholeNumberField(
        _l("Days overdue"),
        validators=[Optional(), NumberRange(min=0, max=20000, message=_l("Enter a number of days of 0 or more."))],
    )
    loan_reference = StringField(
        _l("Loan or order number (optional, kept private)"),
        validators=[Optional(), Length(max=100)],
        filters=[strip_filter],
    )
    stage = RadioField(
        _l("Who is collecting now?"),
        choices=choices_of(labels.STAGES),
        default="reminder",
        validators=[InputRequired()],
    )
    province = SelectField(_l("Your province"), validators=[Optional()], validate_choice=True)
    narrative = TextAreaField(
        _l("What happened, in your own words"),
        validators=[
            DataRequired(_l("Please describe what happened.")),
            Length(min=10, message=_l("Write between 10 and %(max)d characters.", max=NARRATIVE_MAX)),
            narrative_length,
        ],
        filters=[unix_newlines],
        description=_l("Dates, what was said, who was contacted. Do not include ID or bank card numbers."),
    )
    desired_outcome = TextAreaField(_l("What would you like to happen?"), validators=[Optional(), Length(max=2000)])
    consent_share_identity = BooleanField(
        _l("Share my name and contact details with the regulators my complaint is sent to."),
        description=_l("If you leave this unticked, regulators receive your complaint without your identity."),
    )
    consent_publish = BooleanField(
        _l("Publish my story, with personal details removed, in the public dataset."),
        description=_l("A supervisor checks the edited text first. You can withdraw this consent at any time."),
    )
    consent_contact = BooleanField(
        _l("Contact me about this complaint."),
        description=_l("We only use your details for this complaint."),
    )
    consent_share_with_platform = BooleanField(
        _l("Share my name, contact details and loan reference with the platform, so it can settle my complaint."),
        description=_l(
            "Platforms must answer complaints sent to them within 15 days. "
            "If you leave this unticked, the platform sees your complaint without your identity."
        ),
    )
    fears_retaliation = BooleanField(
        _l("I fear retaliation if the platform hears of my complaint: do not send it to the platform."),
        description=_l("Your complaint is then still reviewed, counted and sent to regulators."),
    )
    contact_name = StringField(
        _l("Your name (optional)"), validators=[Optional(), Length(max=200)], filters=[strip_filter]
    )
    contact_phone = StringField(
        _l("Your phone number (optional)"),
        validators=[Optional(), Length(max=40), optional_phone],
        filters=[strip_filter],
    )
    contact_email = StringField(
        _l("Your e-mail (optional)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("This does not look like an e-mail address."), check_deliverability=False),
        ],
        filters=[strip_filter],
    )
    evidence = MultipleFileField(
        _l("Evidence: screenshots, photos, PDFs or call recordings"),
        description=_l("Up to %(n)d files. Photos are cleaned of location and device data before they are stored."),
    )
    # A field people never see; bots fill it in.
    website = StringField(_l("Leave this empty"), validators=[Optional()])

    def __init__(
        self,
        *args: Any,
        violation_types: list[ViolationType],
        provinces: tuple[Province, ...],
        language: str,
        max_files: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        codes = [SelectChoice(v.code, v.label(language)) for v in violation_types]
        self.violations.choices = codes
        ticked = set(self.violations.data or [])
        self.primary_violation.choices = [SelectChoice("", str(_l("Choose one of the ticked violations")))] + [
            SelectChoice(v.code, f"{v.label(language)} ({v.code})")
            for v in violation_types
            if not ticked or v.code in ticked
        ]
        self.province.choices = [SelectChoice("", str(_l("Prefer not to say")))] + [
            SelectChoice(p.code, p.name(language)) for p in provinces
        ]
        self.evidence.description = _l(
            "Up to %(n)d files. Photos are cleaned of location and device data before they are stored.", n=max_files
        )
        self.violation_types = violation_types

    def validate_primary_violation(self, field: SelectField) -> None:
        """The main violation is one of the ticked ones; with one ticked, it is that one (`main_code`)."""
        ticked = list(dict.fromkeys(self.violations.data or []))
        if not ticked:
            return  # the violations field says so
        try:
            field.data = main_code(ticked, field.data or "", primary_field=field.name)
        except DomainError as error:
            raise ValidationError(error.message) from None

    def validate_last_incident_on(self, field: DateField) -> None:
        """The last incident cannot come before the first."""
        first = self.first_incident_on.data
        if field.data and first and field.data < first:
            raise ValidationError(_l("This is before the date it started."))

    def validate_consent_contact(self, field: BooleanField) -> None:
        """Asking to be contacted needs a way to reach you."""
        if field.data and not (self.contact_phone.data or self.contact_email.data):
            raise ValidationError(_l("Give a phone number or an e-mail so that we can contact you."))

    def validate_fears_retaliation(self, field: BooleanField) -> None:
        """A complaint never sent to the platform cannot share anything with it."""
        if field.data and self.consent_share_with_platform.data:
            raise ValidationError(
                _l("A complaint that is not sent to the platform cannot share your details with it: untick one.")
            )

    def validate_amount_owed(self, field: DecimalField) -> None:
        """Amounts are in yuan with at most two decimals."""
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_l("Use at most two decimals."))


class StatusLookupForm(FlaskForm):
    """Reference and access code, the consumer's only key to their complaint."""

    reference = StringField(
        _l("Complaint reference"),
        validators=[DataRequired(_l("Enter your reference.")), Length(max=40)],
        description=_l("It looks like CW-2026-000123."),
        filters=[strip_filter],
    )
    access_code = StringField(
        _l("Access code"),
        validators=[DataRequired(_l("Enter your access code.")), Length(max=60)],
        description=_l("The secret code shown on your receipt."),
        filters=[strip_filter],
    )


class AddInformationForm(FlaskForm):
    """More text and files for an open complaint, or the answer to an officer's question."""

    text = TextAreaField(
        _l("Add information"),
        validators=[Optional(), Length(max=NARRATIVE_MAX)],
        description=_l("New incidents, answers to our questions, anything you remembered."),
    )
    evidence = MultipleFileField(_l("More evidence"))


class WithdrawForm(FlaskForm):
    """Confirmation of a withdrawal."""

    delete_evidence = BooleanField(_l("Also delete the files I uploaded."))
    confirm = BooleanField(
        _l("Yes, I want to withdraw this complaint."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class PlatformReviewForm(FlaskForm):
    """Whether the platform's final answer settled the complaint; a dispute says why."""

    verdict = RadioField(
        _l("Did the platform's answer settle your complaint?"),
        choices=[
            SelectChoice("settled", _l("Yes, it settled my complaint")),
            SelectChoice("disputed", _l("No, I dispute the answer")),
        ],
        validators=[DataRequired(_l("Choose yes or no."))],
    )
    reason = TextAreaField(
        _l("If not, why not?"),
        validators=[Optional(), Length(max=5000)],
        filters=[unix_newlines],
        description=_l("A case officer reads this and may send your complaint to a regulator with the whole exchange."),
    )


class WithdrawConsentForm(FlaskForm):
    """Confirmation that the consumer no longer wants their story published."""

    confirm_consent = BooleanField(
        _l("Yes, do not publish my story."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
