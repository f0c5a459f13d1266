"""Consumer pages: home, the complaint form, the receipt, the status page, know-your-rights."""

from __future__ import annotations

import math
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from complaints.accounts import sessions
from complaints.casework import platform_loop
from complaints.core.error_pages import show_form_again_on_outage
from complaints.core.forms import attach_error
from complaints.core.i18n import current_language
from complaints.core.transaction import mark_failed, savepoint
from complaints.directory.reference_data import active_violation_types, provinces
from complaints.errors import DomainError, UploadRejected
from complaints.extensions import db, limiter
from complaints.intake import filing as intake
from complaints.intake.access import find_complaint_by_code
from complaints.intake.evidence import check_files
from complaints.intake.storage import evidence_store, read_uploads, upload_limits
from complaints.models import Complaint, ServerSession, SessionKind
from complaints.public import filing_limit, forms, lookup_limit, pages, sealed
from complaints.publication import boundary
from complaints.publication import review as publication

bp = Blueprint("public", __name__)


@bp.context_processor
def consumer_helpers() -> dict[str, Any]:
    """What the consumer's templates show: timeline events in their words, the form's violation groups and limit."""
    return {
        "event_label": pages.event_label,
        "violation_groups": pages.violation_groups,
        "narrative_max": forms.NARRATIVE_MAX,
    }


STATUS_KEY = "status_session"
RECEIPT_KEY = "receipt"


def _complaint_form() -> forms.ComplaintForm:
    return forms.ComplaintForm(
        violation_types=active_violation_types(),
        provinces=provinces(),
        language=current_language(),
        max_files=current_app.config["MAX_EVIDENCE_FILES"],
    )


def _complaint_form_again() -> str:
    """The complaint form as it was sent, for a 503 during filing (see core.error_pages)."""
    return render_template(
        "public/complaint_form.html", form=_complaint_form(), files_were_chosen=pages.files_were_chosen(request)
    )


@bp.record_once
def _form_again_on_outage(state: BlueprintSetupState) -> None:
    show_form_again_on_outage(state.app, "public.new_complaint", _complaint_form_again)


def _wants_json() -> bool:
    """The upload script asks for JSON so it can follow the redirect itself."""
    return request.headers.get("X-Requested-With") == "collectwatch-upload"


@bp.get("/")
def home() -> str:
    """The front door: file, follow, learn your rights, see the statistics."""
    return render_template("public/home.html")


@bp.route("/complaints/new", methods=["GET", "POST"])
def new_complaint() -> ResponseReturnValue:
    """The complaint form; a valid submission gives a receipt.

    Only accepted filings count towards the filing limit (`filing_limit`): over it, the form comes
    back with what was typed and how many minutes to wait.
    """
    form = _complaint_form()
    if request.method == "GET":
        return render_template("public/complaint_form.html", form=form)
    if form.website.data:
        # A bot filled the honeypot: answer as if all was well, save nothing, count it against the address.
        filing_limit.count_abuse()
        return redirect(url_for("public.home"))
    upload_error = None
    if form.validate():
        wait = filing_limit.seconds_until_next_filing()
        if wait:
            return _form_over_the_limit(form, wait)
        limits = upload_limits()
        try:
            checked = check_files(read_uploads(request.files.getlist(form.evidence.name), limits), limits)
            submission = intake.ComplaintSubmission.from_form(form.data, language=current_language())
            receipt = intake.file_complaint(submission, checked, evidence_store(), origin=request.remote_addr or "")
        except UploadRejected as error:
            mark_failed()
            upload_error = error.message
        except DomainError as error:
            mark_failed()
            attach_error(form, error)
        else:
            filing_limit.count_filing()
            session[RECEIPT_KEY] = sealed.seal({"reference": receipt.complaint.reference, "code": receipt.access_code})
            session[STATUS_KEY] = sessions.begin(SessionKind.CONSUMER, complaint_id=receipt.complaint.id)
            target = url_for("public.receipt")
            if _wants_json():
                return jsonify({"redirect": target})
            return redirect(target, code=303)
    return render_template(
        "public/complaint_form.html",
        form=form,
        upload_error=upload_error,
        files_were_chosen=pages.files_were_chosen(request),
    ), 422


def _form_over_the_limit(form: forms.ComplaintForm, wait_seconds: int) -> ResponseReturnValue:
    """The form as typed, saying how many minutes to wait; 429 with Retry-After for scripts."""
    mark_failed()
    minutes = max(1, math.ceil(wait_seconds / 60))
    page = render_template(
        "public/complaint_form.html",
        form=form,
        wait_minutes=minutes,
        files_were_chosen=pages.files_were_chosen(request),
    )
    return page, 429, {"Retry-After": str(wait_seconds)}


@bp.get("/complaints/receipt")
def receipt() -> ResponseReturnValue:
    """The reference and the access code, shown once.

    From the sealed cookie alone, with no database read: a filing is committed before this page,
    and an outage in between must not lose the only copy of the code (the fault check found it).
    """
    data = sealed.unseal(session.pop(RECEIPT_KEY, None))
    if data is None:
        return render_template("public/receipt_gone.html")
    return render_template("public/receipt.html", reference=data["reference"], access_code=data["code"])


@bp.get("/platforms/suggest")
@limiter.limit("120 per minute")
def suggest_platforms() -> Response:
    """Type-ahead suggestions for the platform field (public directory names only)."""
    query = request.args.get("q", "")[:50]
    language = current_language()
    found = boundary.suggest_platforms(query, limit=8) if len(query.strip()) >= 1 else []
    return jsonify([{"name": p.name_zh, "display": p.name(language)} for p in found])


def _status_session() -> ServerSession | None:
    """The consumer's live status session (`accounts.sessions`), or None once it ended or was closed."""
    return sessions.live(session.get(STATUS_KEY), SessionKind.CONSUMER)


def _status_complaint() -> Complaint:
    row = _status_session()
    complaint = db.session.get(Complaint, row.complaint_id) if row is not None else None
    if complaint is None:
        if STATUS_KEY in session:
            session.pop(STATUS_KEY)
            flash(_("For your safety the status page closed after a while without use. Open it again."), "warning")
        abort(redirect(url_for("public.status_lookup")))
    return complaint


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
def status_lookup() -> ResponseReturnValue:
    """Reference plus access code open the status page; a wrong code says no more than that.

    A right code always opens it; wrong codes count against the reference (`lookup_limit`).
    """
    form = forms.StatusLookupForm()
    if form.validate_on_submit():
        reference = form.reference.data or ""
        complaint = find_complaint_by_code(reference, form.access_code.data or "")
        if complaint is not None:
            sessions.end(session.get(STATUS_KEY))
            session.clear()
            session[STATUS_KEY] = sessions.begin(SessionKind.CONSUMER, complaint_id=complaint.id)
            return redirect(url_for("public.status_page"), code=303)
        wait = lookup_limit.seconds_until_next_try(reference)
        if wait:
            minutes = max(1, -(-wait // 60))
            form.access_code.errors = [
                ngettext(
                    "Too many wrong codes were tried for this reference. Wait %(num)d minute and try again.",
                    "Too many wrong codes were tried for this reference. Wait %(num)d minutes and try again.",
                    minutes,
                )
            ]
            answer = make_response(render_template("public/status_lookup.html", form=form), 429)
            answer.headers["Retry-After"] = str(wait)
            return answer
        lookup_limit.count_wrong_code(reference)
        form.access_code.errors = [_("The reference and access code do not match. Check both and try again.")]
        return render_template("public/status_lookup.html", form=form), 422
    if request.method == "POST":
        return render_template("public/status_lookup.html", form=form), 422
    return render_template("public/status_lookup.html", form=form)


def _render_status(complaint: Complaint, code: int = 200, **shown: Any) -> tuple[str, int]:
    """The status page with fresh forms, except those given (shown again with their errors)."""
    context: dict[str, Any] = {
        "form": forms.AddInformationForm(formdata=None),
        "consent_form": forms.WithdrawConsentForm(formdata=None),
        "review_form": forms.PlatformReviewForm(formdata=None),
        **shown,
    }
    return render_template(
        "public/status.html", complaint=complaint, **context, **pages.status_context(complaint)
    ), code


@bp.get("/status/complaint")
def status_page() -> str:
    """The consumer's view of their complaint: status in plain words and the visible timeline."""
    page, _code = _render_status(_status_complaint())
    return page


@bp.post("/status/complaint/information")
@limiter.limit("30 per hour")
def add_information() -> ResponseReturnValue:
    """Add text or files; answering a request for information returns the complaint to review."""
    complaint = _status_complaint()
    form = forms.AddInformationForm()
    upload_error = None
    if form.validate():
        limits = upload_limits()
        try:
            live = [e for e in complaint.evidence if e.purged_at is None]
            checked = check_files(
                read_uploads(request.files.getlist(form.evidence.name), limits),
                limits,
                already=len(live),
                already_bytes=sum(e.size_bytes for e in live),
            )
            intake.add_information(complaint, form.text.data or "", checked, evidence_store())
        except UploadRejected as error:
            mark_failed()
            upload_error = error.message
        except DomainError as error:
            mark_failed()
            form.text.errors = [error.message]
        else:
            flash(_("Thank you. Your information was added."), "success")
            if _wants_json():
                return jsonify({"redirect": url_for("public.status_page")})
            return redirect(url_for("public.status_page"), code=303)
    return _render_status(
        complaint, 422, form=form, upload_error=upload_error, files_were_chosen=pages.files_were_chosen(request)
    )


@bp.post("/status/complaint/platform-review", endpoint="platform_review")
@limiter.limit("30 per hour")
def review_platform_answer() -> ResponseReturnValue:
    """The consumer says whether the platform's final answer settled the complaint, or disputes it."""
    complaint = _status_complaint()
    form = forms.PlatformReviewForm()
    if form.validate():
        try:
            with savepoint():
                platform_loop.review(complaint, form.verdict.data or "", form.reason.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            if form.verdict.data == "disputed":
                flash(_("Thank you. A case officer will look at your complaint again."), "success")
            else:
                flash(_("Thank you. We are glad the platform settled your complaint."), "success")
            return redirect(url_for("public.status_page"), code=303)
    mark_failed()
    return _render_status(complaint, 422, review_form=form)


@bp.post("/status/complaint/publication-consent")
def withdraw_publication_consent() -> ResponseReturnValue:
    """The consumer takes back consent to publish their story, after ticking a confirmation."""
    complaint = _status_complaint()
    form = forms.WithdrawConsentForm()
    if form.validate():
        try:
            publication.withdraw_consent(complaint)
        except DomainError as error:
            mark_failed()
            form.confirm_consent.errors = [error.message]
        else:
            flash(_("Your story will not be published."), "success")
            return redirect(url_for("public.status_page"), code=303)
    return _render_status(complaint, 422, consent_form=form)


@bp.route("/status/complaint/withdraw", methods=["GET", "POST"])
def withdraw() -> ResponseReturnValue:
    """Ask for confirmation, then withdraw the complaint."""
    complaint = _status_complaint()
    if not complaint.is_open:
        return redirect(url_for("public.status_page"))
    form = forms.WithdrawForm()
    if form.validate_on_submit():
        intake.withdraw_complaint(complaint, delete_evidence=bool(form.delete_evidence.data), store=evidence_store())
        flash(_("Your complaint was withdrawn."), "success")
        return redirect(url_for("public.status_page"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("public/withdraw.html", complaint=complaint, form=form), status


@bp.post("/status/leave")
def leave_status() -> Response:
    """Forget the opened complaint on this device (shared phones, internet cafés)."""
    sessions.end(session.pop(STATUS_KEY, None))
    return redirect(url_for("public.home"), code=303)


@bp.get("/rights")
def rights() -> str:
    """What collectors may and may not do, what evidence to keep, who handles what."""
    return render_template("public/rights.html", **pages.rights_context())
