"""Forms for the actions on a case page; each is a POST with its CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from complaints.casework import platform_loop
from complaints.casework.triage import CLOSINGS, MAX_TEXT, REJECTIONS
from complaints.core import labels
from complaints.core.forms import choices_of
from complaints.directory.lookup import entry_label, find_live_collector, find_live_platform
from complaints.models import Collector, Complaint, Officer, Platform, ViolationType


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DirectoryEntryField(StringField):
    """A directory entry typed by name or number (type-ahead helps, nothing depends on it).

    Validated, its data is the entry's id, or None if left empty; shown again, it holds what was typed.
    There is no list to cut short, so the 501st platform is as easy to choose as the first.
    """

    #: The text typed until validated, the entry's id (or None) after.
    data: Any

    def __init__(
        self,
        label: Any,
        *,
        find: Callable[[str], Platform | Collector | None],
        not_found: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.find = find
        self.not_found = not_found

    def show(self, entry: Platform | Collector | None) -> None:
        """Start from this entry (the complaint's current one)."""
        self.data = entry_label(entry) if entry is not None else ""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data if isinstance(self.data, str) else ""

    def post_validate(self, form: BaseForm, validation_stopped: bool) -> None:
        """Resolve the text to an entry's id; text naming no live entry is refused."""
        if self.errors or not isinstance(self.data, str):
            return
        if not self.data.strip():
            self.data = None
            return
        entry = self.find(self.data)
        if entry is None:
            self.errors.append(str(self.not_found))
        else:
            self.data = entry.id


class TextForm(FlaskForm):
    """One text: a note, a message to the consumer or a question."""

    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class NoteForm(TextForm):
    """An internal note; its own label, so a screen reader tells the case page's text boxes apart."""

    text = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class MessageForm(TextForm):
    """A message shown on the consumer's status page."""

    text = TextAreaField(_l("Message for the status page"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class QuestionForm(TextForm):
    """A question that puts the complaint in needs_info."""

    text = TextAreaField(_l("Question for the consumer"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class AssignForm(FlaskForm):
    """Whom the complaint is assigned to."""

    assignee = SelectField(_l("Assigned to"), validators=[Optional()])

    def set_choices(self, officers: list[Officer]) -> None:
        """Active officers, plus nobody."""
        self.assignee.choices = [SelectChoice("", str(_l("Nobody")))] + [
            SelectChoice(str(o.id), o.display_name or o.email) for o in officers
        ]


class AcceptForm(FlaskForm):
    """Triage: confirm or correct platform, collector, codes, severity and evidence."""

    platform_id = DirectoryEntryField(
        _l("Platform"),
        find=find_live_platform,
        not_found=_l("Choose a platform from the directory."),
        validators=[Length(max=250)],
        description=_l("Its name or its number (such as #12). Leave it as it is to keep it."),
    )
    new_platform_name = StringField(
        _l("Or add a new platform"),
        validators=[Length(max=200)],
        description=_l("Leave empty to keep the choice above."),
    )
    new_platform_kind = SelectField(_l("Kind of the new platform"), choices=choices_of(labels.PLATFORM_KINDS))
    collector_id = DirectoryEntryField(
        _l("Collector"),
        find=find_live_collector,
        not_found=_l("Choose a collector from the directory."),
        validators=[Length(max=250)],
        description=_l("Its name or its number (such as #12), if known."),
    )
    new_collector_name = StringField(
        _l("Or add a new collector"),
        validators=[Length(max=200)],
        description=_l("Leave empty to keep the choice above."),
    )
    new_collector_kind = SelectField(_l("Kind of the new collector"), choices=choices_of(labels.COLLECTOR_KINDS))
    codes = MultiCheckboxField(_l("Violations"))
    primary_code = SelectField(_l("Main violation"))
    severity = SelectField(_l("Severity"), choices=choices_of(labels.SEVERITIES))
    evidence_verified = BooleanField(_l("The evidence shows what the complaint says"))
    send_to_platform = BooleanField(
        _l("Send it to the platform, which must answer within 15 days"),
        description=_l("Unticked for urgent complaints. Never sent when the consumer fears retaliation."),
    )

    def set_choices(self, codes: list[ViolationType], language: str) -> None:
        """The taxonomy's options."""
        code_choices = [SelectChoice(v.code, f"{v.code} {v.label(language)}") for v in codes]
        self.codes.choices = code_choices
        self.primary_code.choices = code_choices

    def fill_from(self, complaint: Complaint) -> None:
        """Start from what the consumer reported."""
        self.platform_id.show(complaint.platform)
        self.collector_id.show(complaint.collector)
        self.codes.data = complaint.codes
        self.primary_code.data = complaint.primary_code
        self.severity.data = complaint.severity
        self.evidence_verified.data = complaint.evidence_verified
        self.send_to_platform.data = platform_loop.send_by_default(complaint)


class RejectForm(FlaskForm):
    """Close at triage, telling the consumer why."""

    resolution = SelectField(
        _l("Reason"), choices=[SelectChoice(r.value, labels.RESOLUTIONS[r.value]) for r in REJECTIONS]
    )
    text = TextAreaField(_l("Message to the consumer"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class CloseForm(FlaskForm):
    """Close an accepted or referred complaint with its resolution."""

    resolution = SelectField(
        _l("Resolution"), choices=[SelectChoice(r.value, labels.RESOLUTIONS[r.value]) for r in CLOSINGS]
    )
    text = TextAreaField(_l("Message to the consumer (optional)"), validators=[Length(max=MAX_TEXT)])


class DuplicateForm(FlaskForm):
    """Close as a duplicate of another complaint."""

    reference = StringField(
        _l("Reference of the original complaint"),
        validators=[DataRequired(), Length(max=20)],
        description="CW-2026-000123",
    )


class SendToPlatformForm(FlaskForm):
    """Send an accepted complaint to its platform after triage: a button, whose refusal shows beside it."""

    send = HiddenField(_l("Send to the platform"), default="1")


def case_forms(**overrides: Any) -> dict[str, Any]:
    """A fresh form per action, except those given (re-shown with their errors)."""
    forms: dict[str, Any] = {
        "assign_form": AssignForm(formdata=None),
        "note_form": NoteForm(formdata=None, prefix="note"),
        "message_form": MessageForm(formdata=None, prefix="message"),
        "info_form": QuestionForm(formdata=None, prefix="info"),
        "accept_form": AcceptForm(formdata=None),
        "reject_form": RejectForm(formdata=None, prefix="reject"),
        "close_form": CloseForm(formdata=None, prefix="close"),
        "duplicate_form": DuplicateForm(formdata=None),
        "send_form": SendToPlatformForm(formdata=None, prefix="send"),
    }
    forms.update(overrides)
    return forms
