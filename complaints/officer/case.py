"""The case page, its evidence, and the actions on it (each a POST writing a case event)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from complaints.accounts import officers as accounts
from complaints.audit.events import record_event, timeline
from complaints.casework import platform_loop, triage
from complaints.casework.duplicates import suggest_duplicates
from complaints.casework.lifecycle import allowed_actions
from complaints.core import labels
from complaints.core.forms import attach_error
from complaints.core.i18n import current_language
from complaints.core.security import keep_private
from complaints.core.transaction import hold_write_lock, savepoint
from complaints.directory.reference_data import active_violation_types, province_name
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db
from complaints.intake.access import normalise_reference
from complaints.intake.storage import evidence_store
from complaints.models import (
    Complaint,
    EventKind,
    Evidence,
    Officer,
    Resolution,
)
from complaints.officer import case_forms as cf
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.event_labels import STATUSES
from complaints.officer.permissions import Permission, require
from complaints.officer.platform_exchange import platform_context
from complaints.officer.referral_forms import referral_context


def load_complaint(complaint_id: int) -> Complaint:
    """The complaint, or 404; an action (POST) locks its row so two officers cannot both move it."""
    if request.method == "POST":
        # SQLite ignores FOR UPDATE and would let this read go stale before the write lock comes:
        # take the write lock first there; PostgreSQL locks the row.
        hold_write_lock()
        complaint = db.session.get(Complaint, complaint_id, with_for_update=True, populate_existing=True)
    else:
        complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        abort(404)
    return complaint


def _officers() -> list[Officer]:
    return accounts.casework_staff()


def _prepare(forms: dict[str, Any], complaint: Complaint) -> dict[str, Any]:
    """Fill the choices every form needs and the defaults of the fresh ones."""
    language = current_language()
    officers = _officers()
    forms["assign_form"].set_choices(officers)
    if forms["assign_form"].assignee.data is None:
        forms["assign_form"].assignee.data = str(complaint.assignee_id or "")
    accept_form = forms["accept_form"]
    accept_form.set_choices(active_violation_types(), language)
    if accept_form.codes.data is None:
        accept_form.fill_from(complaint)
    return forms


def case_context(complaint: Complaint, refer_form: Any = None) -> dict[str, Any]:
    """Everything the case page shows besides its forms."""
    events = timeline(complaint)
    officer_ids = {e.officer_id for e in events if e.officer_id}
    names = {
        o.id: o.display_name or o.email for o in db.session.scalars(select(Officer).where(Officer.id.in_(officer_ids)))
    }
    original = db.session.get(Complaint, complaint.duplicate_of_id) if complaint.duplicate_of_id else None
    return {
        "complaint": complaint,
        "events": events,
        "officer_names": names,
        "actions": {a.value for a in allowed_actions(complaint)},
        "suggestions": suggest_duplicates(complaint),
        "province": province_name(complaint.province, current_language()),
        "original": original,
        "violation_types": {v.code: v for v in active_violation_types()},
        **platform_context(complaint),
        **referral_context(complaint, refer_form),
    }


def render_case(complaint: Complaint, status: int = 200, **overrides: Any) -> tuple[str, int]:
    """The case page, with any failed form shown again with its errors."""
    refer_form = overrides.pop("refer_form_override", None)
    forms = _prepare(cf.case_forms(**overrides), complaint)
    return render_template("officer/case.html", **forms, **case_context(complaint, refer_form)), status


@bp.get("/complaints/<id:complaint_id>")
@require(Permission.VIEW_CASES)
def case(complaint_id: int) -> tuple[str, int]:
    """Everything the consumer gave, the evidence, the timeline and the actions."""
    return render_case(load_complaint(complaint_id))


@bp.get("/complaints/<id:complaint_id>/evidence/<id:evidence_id>")
@require(Permission.OPEN_EVIDENCE)
def evidence_file(complaint_id: int, evidence_id: int) -> Response:
    """One evidence file, sandboxed; every opening is recorded."""
    complaint = load_complaint(complaint_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.complaint_id != complaint.id or evidence.purged_at is not None:
        abort(404)
    store = evidence_store()
    if not store.exists(evidence.storage_key):
        abort(404)
    record_event(
        EventKind.EVIDENCE_OPENED,
        complaint=complaint,
        officer=current_user,
        data={"evidence_id": evidence.id, "sha256": evidence.sha256},
        remote_addr=client_address(),
    )
    download = request.args.get("download") == "1" or evidence.kind not in ("image", "audio")
    extension = evidence.mime_type.split("/")[-1].split(";")[0].replace("x-", "")[:8] or "bin"
    filename = f"{complaint.reference}-{evidence.id}.{extension}"
    response = Response(store.read(evidence.storage_key), mimetype=evidence.mime_type)
    response.headers["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    keep_private(response)
    return response


def refuse(form: Any, error: DomainError, complaint: Complaint) -> None:
    """Show a service's refusal beside its field; a refused status change, at the top of the case page.

    A status change is refused when the complaint is no longer where the officer saw it (another
    officer, or the consumer, moved it first): the action's form is then no longer on the page, so
    an error beside one of its fields would never be seen.
    """
    if isinstance(error, InvalidTransition):
        status = labels.label(STATUSES, complaint.status)
        flash(
            _("This complaint is now %(status)s: this action no longer applies, and nothing was saved.", status=status),
            "error",
        )
    else:
        attach_error(form, error)


def _act(
    complaint_id: int, form_name: str, form: Any, action: Callable[[Complaint, Any], None], done: str
) -> ResponseReturnValue:
    """Run one action from a validated form; on refusal, show the case page again with the error (422)."""
    complaint = load_complaint(complaint_id)
    if form.validate():
        try:
            with savepoint():
                action(complaint, form)
        except DomainError as error:
            complaint = load_complaint(complaint_id)
            refuse(form, error, complaint)
        else:
            flash(done, "success")
            return redirect(url_for("officer.case", complaint_id=complaint.id), code=303)
    return render_case(complaint, 422, **{form_name: form})


@bp.post("/complaints/<id:complaint_id>/assign")
@require(Permission.ASSIGN)
def assign(complaint_id: int) -> ResponseReturnValue:
    """Assign to an officer, or to nobody."""
    form = cf.AssignForm()
    form.set_choices(_officers())

    def run(complaint: Complaint, form: cf.AssignForm) -> None:
        assignee = db.session.get(Officer, int(form.assignee.data)) if form.assignee.data else None
        triage.assign(complaint, assignee, by=current_user, remote_addr=client_address())

    return _act(complaint_id, "assign_form", form, run, _("Assignment saved."))


@bp.post("/complaints/<id:complaint_id>/note")
@require(Permission.TRIAGE)
def add_note(complaint_id: int) -> ResponseReturnValue:
    """An internal note (officers only)."""

    def run(complaint: Complaint, form: cf.TextForm) -> None:
        triage.add_note(complaint, form.text.data or "", by=current_user, remote_addr=client_address())

    return _act(complaint_id, "note_form", cf.NoteForm(prefix="note"), run, _("Note added."))


@bp.post("/complaints/<id:complaint_id>/message")
@require(Permission.TRIAGE)
def message(complaint_id: int) -> ResponseReturnValue:
    """A message the consumer sees on their status page."""

    def run(complaint: Complaint, form: cf.TextForm) -> None:
        triage.message_complainant(complaint, form.text.data or "", by=current_user, remote_addr=client_address())

    return _act(complaint_id, "message_form", cf.MessageForm(prefix="message"), run, _("Message sent to the consumer."))


@bp.post("/complaints/<id:complaint_id>/request-info")
@require(Permission.TRIAGE)
def request_info(complaint_id: int) -> ResponseReturnValue:
    """Ask the consumer for more information."""

    def run(complaint: Complaint, form: cf.TextForm) -> None:
        triage.request_information(complaint, form.text.data or "", by=current_user, remote_addr=client_address())

    return _act(complaint_id, "info_form", cf.QuestionForm(prefix="info"), run, _("Question sent to the consumer."))


@bp.post("/complaints/<id:complaint_id>/accept")
@require(Permission.TRIAGE)
def accept(complaint_id: int) -> ResponseReturnValue:
    """Accept at triage with the officer's corrections."""
    complaint = load_complaint(complaint_id)
    form = _prepare(cf.case_forms(accept_form=cf.AcceptForm()), complaint)["accept_form"]

    def run(complaint: Complaint, form: cf.AcceptForm) -> None:
        decision = triage.TriageDecision(
            codes=list(form.codes.data or []),
            primary_code=form.primary_code.data or "",
            severity=form.severity.data or "normal",
            evidence_verified=bool(form.evidence_verified.data),
            platform_id=form.platform_id.data,
            new_platform_name=form.new_platform_name.data or "",
            new_platform_kind=form.new_platform_kind.data or "other",
            collector_id=form.collector_id.data,
            new_collector_name=form.new_collector_name.data or "",
            new_collector_kind=form.new_collector_kind.data or "unknown",
            send_to_platform=bool(form.send_to_platform.data),
        )
        triage.accept(complaint, decision, by=current_user, remote_addr=client_address())

    return _act(complaint_id, "accept_form", form, run, _("Complaint accepted."))


@bp.post("/complaints/<id:complaint_id>/send-to-platform")
@require(Permission.TRIAGE)
def send_to_platform(complaint_id: int) -> ResponseReturnValue:
    """Send an accepted complaint to its platform (after triage did not, or the platform disowned it)."""

    def run(complaint: Complaint, form: cf.SendToPlatformForm) -> None:
        platform_loop.send(complaint, by=current_user, remote_addr=client_address())

    return _act(complaint_id, "send_form", cf.SendToPlatformForm(prefix="send"), run, _("Sent to the platform."))


@bp.post("/complaints/<id:complaint_id>/reject")
@require(Permission.TRIAGE)
def reject(complaint_id: int) -> ResponseReturnValue:
    """Reject at triage with a reason."""

    def run(complaint: Complaint, form: cf.RejectForm) -> None:
        triage.reject(
            complaint,
            Resolution(form.resolution.data),
            form.text.data or "",
            by=current_user,
            remote_addr=client_address(),
        )

    return _act(complaint_id, "reject_form", cf.RejectForm(prefix="reject"), run, _("Complaint rejected."))


@bp.post("/complaints/<id:complaint_id>/close")
@require(Permission.TRIAGE)
def close(complaint_id: int) -> ResponseReturnValue:
    """Close with a resolution."""

    def run(complaint: Complaint, form: cf.CloseForm) -> None:
        triage.close(
            complaint,
            Resolution(form.resolution.data),
            form.text.data or "",
            by=current_user,
            remote_addr=client_address(),
        )

    return _act(complaint_id, "close_form", cf.CloseForm(prefix="close"), run, _("Complaint closed."))


@bp.post("/complaints/<id:complaint_id>/duplicate")
@require(Permission.TRIAGE)
def mark_duplicate(complaint_id: int) -> ResponseReturnValue:
    """Close as a duplicate of another complaint given by its reference."""

    def run(complaint: Complaint, form: cf.DuplicateForm) -> None:
        reference = normalise_reference(form.reference.data or "")
        original = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        if original is None:
            raise DomainError(_("No complaint has this reference."), "reference")
        triage.mark_duplicate(complaint, original, by=current_user, remote_addr=client_address())

    return _act(complaint_id, "duplicate_form", cf.DuplicateForm(), run, _("Closed as a duplicate."))


@bp.get("/complaints/<id:complaint_id>/compare/<id:other_id>")
@require(Permission.VIEW_CASES)
def compare(complaint_id: int, other_id: int) -> str:
    """Two complaints side by side, to decide whether one duplicates the other."""
    complaint, other = load_complaint(complaint_id), load_complaint(other_id)
    form = cf.DuplicateForm(formdata=None)
    form.reference.data = other.reference
    return render_template(
        "officer/compare.html",
        complaint=complaint,
        other=other,
        duplicate_form=form,
        actions={a.value for a in allowed_actions(complaint)},
        provinces={c.id: province_name(c.province, current_language()) for c in (complaint, other)},
    )
