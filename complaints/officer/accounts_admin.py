"""Supervisors manage accounts: create (with a one-time enrolment link), disable, reset the second factor."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from complaints.accounts import officers as accounts
from complaints.core.forms import attach_error
from complaints.core.routing import absolute_url
from complaints.core.transaction import savepoint
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Officer, Platform, Role
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.forms import ConfirmForm, NewOfficerForm, NewResponderForm
from complaints.officer.permissions import Permission, require


def enrolment_link(token: str) -> str:
    """The absolute link a new officer opens once."""
    return absolute_url("officer.enrol", token=token)


def _officer(officer_id: int) -> Officer:
    officer = db.session.get(Officer, officer_id)
    if officer is None:
        abort(404)
    return officer


def _render(
    form: NewOfficerForm,
    link: str | None = None,
    status: int = 200,
    responder_form: NewResponderForm | None = None,
    link_is_responder: bool = False,
) -> tuple[str, int]:
    officers = list(db.session.scalars(select(Officer).order_by(Officer.active.desc(), Officer.email)))
    platforms = {
        platform.id: platform
        for platform in db.session.scalars(
            select(Platform).where(Platform.id.in_({o.platform_id for o in officers if o.platform_id}))
        )
    }
    return render_template(
        "officer/accounts.html",
        form=form,
        responder_form=responder_form or NewResponderForm(formdata=None),
        officers=officers,
        platforms=platforms,
        link=link,
        link_is_responder=link_is_responder,
        confirm=ConfirmForm(),
    ), status


@bp.route("/accounts", methods=["GET", "POST"])
@require(Permission.MANAGE_ACCOUNTS)
def accounts_page() -> ResponseReturnValue:
    """Every account, and the form that creates one."""
    form = NewOfficerForm()
    if request.method == "GET":
        return _render(form)
    if form.validate():
        try:
            with savepoint():
                enrolment = accounts.create_officer(
                    form.email.data or "", Role(form.role.data), form.display_name.data or "", by=current_user
                )
        except DomainError as error:
            attach_error(form, error)
        else:
            # Shown once: only its hash is stored.
            return _render(NewOfficerForm(formdata=None), link=enrolment_link(enrolment.token))
    return _render(form, status=422)


@bp.post("/accounts/responders")
@require(Permission.MANAGE_ACCOUNTS)
def invite_responder() -> ResponseReturnValue:
    """Invite a verified platform's representative; the enrolment link is shown once."""
    form = NewResponderForm()
    if form.validate():
        platform = db.session.get(Platform, form.responder_platform.data)
        try:
            with savepoint():
                enrolment = accounts.invite_responder(
                    form.responder_email.data or "", platform, form.responder_name.data or "", by=current_user
                )
        except DomainError as error:
            if error.field == "email":
                error.field = "responder_email"
            elif error.field == "platform_id":
                error.field = "responder_platform"
            attach_error(form, error)
        else:
            return _render(NewOfficerForm(formdata=None), link=enrolment_link(enrolment.token), link_is_responder=True)
    return _render(NewOfficerForm(formdata=None), status=422, responder_form=form)


@bp.post("/accounts/<id:officer_id>/disable")
@require(Permission.MANAGE_ACCOUNTS)
def disable_account(officer_id: int) -> ResponseReturnValue:
    """Disable an account; every session of it ends at once."""
    officer = _officer(officer_id)
    try:
        with savepoint():
            accounts.set_active(officer, False, by=current_user, remote_addr=client_address())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("officer.accounts_page"), code=303)
    flash(_("The account was disabled."), "success")
    return redirect(url_for("officer.accounts_page"), code=303)


@bp.post("/accounts/<id:officer_id>/enable")
@require(Permission.MANAGE_ACCOUNTS)
def enable_account(officer_id: int) -> Response:
    """Re-enable a disabled account."""
    accounts.set_active(_officer(officer_id), True, by=current_user, remote_addr=client_address())
    flash(_("The account was enabled."), "success")
    return redirect(url_for("officer.accounts_page"), code=303)


@bp.post("/accounts/<id:officer_id>/reset")
@require(Permission.MANAGE_ACCOUNTS)
def reset_account(officer_id: int) -> ResponseReturnValue:
    """Reset password and authenticator: the officer's sessions end and a new enrolment link is shown once."""
    token = accounts.reset_totp(_officer(officer_id), by=current_user, remote_addr=client_address())
    return _render(NewOfficerForm(formdata=None), link=enrolment_link(token))
