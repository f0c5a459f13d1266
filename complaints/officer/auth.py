"""Signing in and out, enrolment from the one-time link, and changing one's own password."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from complaints.accounts import officers as accounts
from complaints.accounts import totp
from complaints.core.forms import attach_error
from complaints.core.security import safe_next_url
from complaints.core.transaction import mark_failed, savepoint
from complaints.errors import DomainError
from complaints.extensions import limiter
from complaints.models import Officer
from complaints.officer.blueprint import bp, end_session, refresh_identity, start_session
from complaints.officer.forms import EnrolForm, PasswordChangeForm, SignInForm
from complaints.officer.permissions import Permission, require


def client_address() -> str:
    """The address the request came from (after ProxyFix), for the audit log."""
    return (request.remote_addr or "")[:64]


def _tell_of_failed_attempts(failed: accounts.FailedAttempts) -> None:
    """A notice on the next page when someone failed to sign in as this officer since their last sign-in."""
    if failed.attempts == 0:
        return
    if failed.attempts == 1:
        notice = _(
            "There was 1 failed sign-in attempt on your account since your last sign-in. "
            "If this was not you, tell a supervisor."
        )
    elif failed.addresses <= 1:
        notice = _(
            "There were %(attempts)d failed sign-in attempts on your account since your last sign-in, "
            "all from one address. If this was not you, tell a supervisor.",
            attempts=failed.attempts,
        )
    else:
        notice = _(
            "There were %(attempts)d failed sign-in attempts on your account since your last sign-in, "
            "from %(addresses)d addresses. If this was not you, tell a supervisor.",
            attempts=failed.attempts,
            addresses=failed.addresses,
        )
    flash(notice, "warning")


def _landing(officer: Officer, wanted: str | None) -> str:
    """Where a fresh sign-in goes: the page asked for inside the account's own area, else its home.

    A platform's responder lands in the responder portal, everyone else in the queue; neither is
    sent into the other's area (its guard would refuse them anyway).
    """
    home, area = (
        (url_for("respond.portal"), "/respond") if officer.is_responder else (url_for("officer.queue"), "/officer")
    )
    target = safe_next_url(wanted, home)
    return target if target.startswith(area) else home


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 40 per hour", methods=["POST"])
def sign_in() -> ResponseReturnValue:
    """E-mail, password and TOTP code; a failure never says which of them was wrong."""
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next"), "")
        return render_template("officer/sign_in.html", form=form)
    error = _("Sign-in failed. Check your e-mail, password and code.")
    if form.validate():
        try:
            officer = accounts.authenticate(
                form.email.data or "", form.password.data or "", form.code.data or "", client_address()
            )
        except accounts.SignInFailed as failure:
            # Not in a savepoint: the failure count and its audit record commit with this 422.
            error = failure.message
        else:
            start_session(officer)
            _tell_of_failed_attempts(accounts.failures_since_previous_sign_in(officer))
            return redirect(_landing(officer, form.next.data), code=303)
    form.password.data = ""
    form.code.data = ""
    return render_template("officer/sign_in.html", form=form, error=error), 422


@bp.post("/sign-out")
@require(Permission.USE_WORKSPACE)
def sign_out() -> Response:
    """End this session (a POST, so no link or image can sign an officer out)."""
    end_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("officer.sign_in"), code=303)


@bp.route("/enrol/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def enrol(token: str) -> ResponseReturnValue:
    """First sign-in from the one-time link: choose a password and set up the authenticator."""
    officer = accounts.officer_for_enrolment(token)
    if officer is None:
        return render_template("officer/enrol_invalid.html"), 404
    # Kept on the account, not in the (signed but readable) session cookie.
    secret = accounts.pending_totp_secret(officer)
    form = EnrolForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                with savepoint():
                    accounts.complete_enrolment(
                        officer, form.password.data or "", form.code.data or "", client_address()
                    )
            except DomainError as error:
                attach_error(form, error)
            else:
                start_session(officer)
                flash(_("Your account is ready. You are signed in."), "success")
                return redirect(_landing(officer, None), code=303)
    return render_template(
        "officer/enrol.html",
        form=form,
        officer=officer,
        secret=secret,
        qr_uri=totp.qr_data_uri(secret, officer.email),
    ), status


def password_change_page(template: str, endpoint: str, **context: Any) -> ResponseReturnValue:
    """The own-account page of any signed-in staff member (officer or responder).

    A changed password ends the member's other sessions; this one is refreshed and stays.
    """
    form = PasswordChangeForm()
    if request.method != "POST":
        return render_template(template, form=form, **context)
    if form.validate():
        try:
            with savepoint():
                accounts.change_password(
                    current_user, form.current_password.data or "", form.password.data or "", client_address()
                )
        except DomainError as error:
            attach_error(form, error)
        else:
            refresh_identity(current_user._get_current_object())
            flash(_("Your password was changed. Your other sessions have ended."), "success")
            return redirect(url_for(endpoint), code=303)
    mark_failed()
    return render_template(template, form=form, **context), 422


@bp.route("/account", methods=["GET", "POST"])
@require(Permission.USE_WORKSPACE)
@limiter.limit("10 per hour", methods=["POST"])
def account() -> ResponseReturnValue:
    """The officer's own account: change the password (which ends their other sessions)."""
    return password_change_page("officer/account.html", "officer.account")
