"""The responder portal under /respond/: deny-by-default, one platform's complaints, answered in time."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from complaints.audit.events import record_event
from complaints.casework import platform_loop
from complaints.core.forms import attach_error
from complaints.core.transaction import mark_failed, savepoint
from complaints.errors import DomainError
from complaints.extensions import db, limiter
from complaints.models import Complaint, EventKind, Platform
from complaints.models.base import utcnow
from complaints.officer.auth import client_address, password_change_page
from complaints.officer.blueprint import end_session
from complaints.respond import portal as listings
from complaints.respond.forms import AnswerForm

bp = Blueprint("respond", __name__, url_prefix="/respond")


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Every page needs a signed-in, active responder; officers and supervisors are refused too."""
    if not current_user.is_authenticated:
        target = request.full_path if request.method == "GET" else request.path
        return redirect(
            url_for("officer.sign_in", next=target.rstrip("?")), code=302 if request.method == "GET" else 303
        )
    if not getattr(current_user, "is_responder", False) or current_user.platform_id is None:
        abort(403)
    return None


def _platform() -> Platform:
    platform = db.session.get(Platform, current_user.platform_id)
    if platform is None:
        abort(403)
    return platform


@bp.get("/")
def portal_home() -> ResponseReturnValue:
    """Alias of the list, so /respond and /respond/ both land there."""
    return redirect(url_for("respond.portal"), code=302)


@bp.get("/complaints")
def portal() -> str:
    """The platform's complaints: those waiting for an answer first, soonest deadline first."""
    try:
        show = listings.Show(request.args.get("show", listings.Show.WAITING.value))
    except ValueError:
        show = listings.Show.WAITING
    page_number = request.args.get("page", "1")
    # ASCII digits only: str.isdigit() also takes other scripts' digits and superscripts, which int() refuses.
    page = int(page_number) if page_number.isascii() and page_number.isdigit() and len(page_number) < 7 else 1
    now = utcnow()
    listing = listings.complaints_page(current_user, show, page, now)
    return render_template(
        "respond/portal.html",
        platform=_platform(),
        listing=listing,
        show=show,
        shows=list(listings.Show),
        now=now,
        is_overdue=platform_loop.is_overdue,
    )


def _visible(reference: str) -> Complaint:
    """The complaint if this responder may open it; otherwise a 404, never a hint."""
    complaint = listings.find_visible(current_user, reference)
    if complaint is None:
        abort(404)
    return complaint


def _render_complaint(complaint: Complaint, form: AnswerForm | None = None, status: int = 200) -> tuple[str, int]:
    view = listings.complaint_view(complaint)
    if form is None:
        form = AnswerForm(formdata=None)
    form.set_choices(view["answer_types"])
    return render_template("respond/complaint.html", platform=_platform(), form=form, **view), status


@bp.get("/complaints/<reference>")
def complaint(reference: str) -> tuple[str, int]:
    """One complaint as the platform may see it; each opening is recorded in the audit log."""
    found = _visible(reference)
    record_event(
        EventKind.PLATFORM_COMPLAINT_OPENED, complaint=found, officer=current_user, remote_addr=client_address()
    )
    return _render_complaint(found)


@bp.post("/complaints/<reference>/answer")
def answer(reference: str) -> ResponseReturnValue:
    """The platform's answer; refused (422, the text kept) when it is not possible or incomplete."""
    found = _visible(reference)
    form = AnswerForm()
    form.set_choices(platform_loop.answer_types(found))
    if form.validate():
        try:
            with savepoint():
                platform_loop.respond(
                    found,
                    current_user,
                    form.response_type.data or "",
                    form.text.data or "",
                    remote_addr=client_address(),
                )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your answer was sent to the consumer."), "success")
            return redirect(url_for("respond.complaint", reference=found.reference), code=303)
    mark_failed()
    return _render_complaint(found, form, 422)


@bp.route("/account", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def account() -> ResponseReturnValue:
    """The responder's own account: change the password (which ends their other sessions), as officers do."""
    return password_change_page("respond/account.html", "respond.account", platform=_platform())


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End this session (a POST, so no link or image can sign a responder out)."""
    end_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("officer.sign_in"), code=303)
