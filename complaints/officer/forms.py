"""Forms for signing in, enrolment, one's own password and supervisors' account management."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from complaints.accounts.officers import MAX_PASSWORD
from complaints.directory.lookup import find_live_platform
from complaints.officer.case_forms import DirectoryEntryField


class SignInForm(FlaskForm):
    """E-mail, password and the authenticator's current code."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    code = StringField(
        _l("Authenticator code"),
        validators=[DataRequired(), Length(max=10)],
        description=_l("The six digits your authenticator app shows now."),
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    next = HiddenField()


class EnrolForm(FlaskForm):
    """A new password and the first code from the authenticator just set up."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    code = StringField(
        _l("Authenticator code"),
        validators=[DataRequired(), Length(max=10)],
        description=_l("After scanning the QR code, enter the six digits the app shows."),
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class PasswordChangeForm(FlaskForm):
    """The current password and a new one."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 12 characters. Every other session of yours will end."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class NewOfficerForm(FlaskForm):
    """A supervisor creates an account; the enrolment link is shown once."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name shown to colleagues"), validators=[Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("officer", _l("Case officer")), SelectChoice("admin", _l("Supervisor"))],
        default="officer",
    )


class NewResponderForm(FlaskForm):
    """A supervisor invites a platform's representative to answer its complaints in the responder portal."""

    responder_email = EmailField(_l("The representative's e-mail"), validators=[DataRequired(), Length(max=254)])
    responder_name = StringField(_l("Their name"), validators=[Length(max=200)])
    responder_platform = DirectoryEntryField(
        _l("The platform they answer for"),
        find=find_live_platform,
        not_found=_l("Choose a platform from the directory."),
        validators=[DataRequired(_l("Choose a platform from the directory.")), Length(max=250)],
        description=_l("A verified platform of the directory: its name or its number (such as #12)."),
    )


class ConfirmForm(FlaskForm):
    """A one-button action (the CSRF token is the whole form)."""
