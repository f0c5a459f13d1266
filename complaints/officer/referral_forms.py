"""The referral forms and the referral panel of the case page (shared by the case and referral views)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from complaints.casework import referral as referral_service
from complaints.core import labels
from complaints.core.clock import local_today
from complaints.core.forms import choices_of
from complaints.core.i18n import current_language
from complaints.extensions import db
from complaints.models import Complaint, Referral, ReferralChannel, Regulator

CHANNEL_LABELS = {
    ReferralChannel.HOTLINE.value: _l("Hotline"),
    ReferralChannel.WEB_PORTAL.value: _l("Web portal"),
    ReferralChannel.EMAIL.value: _l("E-mail"),
    ReferralChannel.POST.value: _l("Post"),
}


class ReferForm(FlaskForm):
    """Send the complaint to a regulator."""

    regulator = SelectField(_l("Regulator"), validators=[DataRequired(message=_l("Choose a regulator."))])
    channel = SelectField(_l("Sent by"), choices=choices_of(CHANNEL_LABELS))
    sent_on = DateField(_l("Sent on"), validators=[DataRequired()])
    regulator_reference = StringField(_l("The regulator's reference"), validators=[Length(max=100)])
    include_identity = BooleanField(_l("Include the consumer's identity and contact details"))


class ReferralUpdateForm(FlaskForm):
    """What the regulator did."""

    status = SelectField(_l("Status"), choices=choices_of(labels.REFERRAL_STATUSES))
    regulator_reference = StringField(_l("The regulator's reference"), validators=[Length(max=100)])
    outcome_notes = TextAreaField(_l("Outcome notes"), validators=[Optional(), Length(max=5000)])


def active_regulators() -> list[Regulator]:
    """The regulators a complaint can be sent to, in their display order."""
    return list(db.session.scalars(select(Regulator).where(Regulator.active.is_(True)).order_by(Regulator.sort_order)))


def refer_form_for(complaint: Complaint, form: ReferForm | None = None) -> ReferForm:
    """The referral form: before the first referral filled with the first routing suggestion, after it empty.

    Once the complaint has a referral, nothing is proposed, so that a second click or a reload cannot
    send it to the same regulator again by accident (the service refuses that too).
    """
    language = current_language()
    if form is None:
        form = ReferForm(formdata=None)
        form.sent_on.data = local_today()
        # The consumer chose to share their identity with regulators: attaching it is what the form proposes.
        form.include_identity.data = bool(complaint.consent_share_identity)
        suggestions = [] if _has_referral(complaint) else referral_service.suggest_regulators(complaint)
        form.regulator.data = ""
        if suggestions:
            form.regulator.data = suggestions[0].regulator.code
            form.channel.data = suggestions[0].regulator.intake_channel
    form.regulator.choices = [SelectChoice("", str(_l("Choose a regulator")))] + [
        SelectChoice(r.code, f"{r.code} · {r.name(language)}") for r in active_regulators()
    ]
    return form


def _has_referral(complaint: Complaint) -> bool:
    return db.session.scalar(select(Referral.id).where(Referral.complaint_id == complaint.id).limit(1)) is not None


def referral_context(complaint: Complaint, refer_form: ReferForm | None = None) -> dict[str, Any]:
    """Referrals, routing suggestions and the referral forms for the case page."""
    referrals = list(
        db.session.scalars(select(Referral).where(Referral.complaint_id == complaint.id).order_by(Referral.id))
    )
    updates = {}
    for referral in referrals:
        update = ReferralUpdateForm(formdata=None, prefix=f"r{referral.id}")
        update.status.data = referral.status
        update.regulator_reference.data = referral.regulator_reference
        update.outcome_notes.data = referral.outcome_notes
        updates[referral.id] = update
    return {
        "referrals": referrals,
        "routing": referral_service.suggest_regulators(complaint),
        "credit_threat": referral_service.mentions_credit_threat(complaint),
        "refer_form": refer_form_for(complaint, refer_form),
        "update_forms": updates,
        "channel_labels": CHANNEL_LABELS,
        "overdue_referrals": {r.id for r in referrals if referral_service.is_overdue(r)},
    }
