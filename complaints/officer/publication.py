"""Supervisors' narrative publication queue: redaction preview, correction, approval, withholding, revocation."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, func, select
from werkzeug.wrappers import Response

from complaints.audit.events import timeline
from complaints.core.database import parse_id
from complaints.core.forms import attach_error
from complaints.core.transaction import savepoint
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Complaint, EventKind, PublicationStatus
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.case import load_complaint
from complaints.officer.permissions import Permission, require
from complaints.officer.publication_forms import ApproveForm, ReopenForm, RevokeForm, WithholdForm
from complaints.publication import review as publication

PAGE = 50
#: The queue's tabs, in the order a supervisor works through them.
STATES = (PublicationStatus.PENDING.value, PublicationStatus.APPROVED.value, PublicationStatus.WITHHELD.value)
EVENT_KINDS = (
    EventKind.PUBLICATION_APPROVED,
    EventKind.PUBLICATION_WITHHELD,
    EventKind.PUBLICATION_REVOKED,
    EventKind.PUBLICATION_REOPENED,
    EventKind.PUBLICATION_CONSENT_WITHDRAWN,
)


def _in_queue() -> ColumnElement[bool]:
    """Complaints that passed triage and whose consumer consented (now or before withdrawing)."""
    return Complaint.accepted_at.is_not(None) & (Complaint.publication_status != PublicationStatus.NOT_CONSENTED.value)


@bp.get("/publication")
@require(Permission.MANAGE_PUBLICATION)
def publication_queue() -> str:
    """Consented narratives of accepted complaints by state, with counts, in pages of fifty."""
    state = request.args.get("state", STATES[0])
    if state not in STATES:
        state = STATES[0]
    counts = dict.fromkeys(STATES, 0)
    counts.update(
        db.session.execute(
            select(Complaint.publication_status, func.count()).where(_in_queue()).group_by(Complaint.publication_status)
        ).all()
    )
    stmt = select(Complaint).where(_in_queue(), Complaint.publication_status == state)
    after = parse_id(request.args.get("after"))
    if after is not None:
        stmt = stmt.where(Complaint.id > after)
    rows = list(db.session.scalars(stmt.order_by(Complaint.id).limit(PAGE + 1)))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    next_url = (
        url_for("officer.publication_queue") + "?" + urlencode({"state": state, "after": rows[-1].id}) if more else None
    )
    return render_template(
        "officer/publication_queue.html",
        state=state,
        states=STATES,
        counts=counts,
        complaints=rows,
        next_url=next_url,
        first_page=bool(after),
    )


def _page(complaint: Complaint, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    """The side-by-side page: the original narrative and the redacted text, with the actions its state allows."""
    approve_form = forms.get("approve_form") or ApproveForm(prefix="approve", formdata=None)
    if approve_form.text.data is None:
        approve_form.text.data = complaint.narrative_redacted or publication.preview(complaint)
    events = timeline(complaint, kinds=EVENT_KINDS)[::-1]  # newest first
    eligible = publication.is_eligible(complaint)
    pending = eligible and complaint.publication_status == PublicationStatus.PENDING.value
    page = render_template(
        "officer/publication.html",
        complaint=complaint,
        eligible=eligible,
        original_checks=publication.highlights(complaint, complaint.narrative),
        draft_checks=publication.highlights(complaint, approve_form.text.data or "") if pending else None,
        approve_form=approve_form,
        withhold_form=forms.get("withhold_form") or WithholdForm(prefix="withhold", formdata=None),
        revoke_form=forms.get("revoke_form") or RevokeForm(prefix="revoke", formdata=None),
        reopen_form=forms.get("reopen_form") or ReopenForm(prefix="reopen", formdata=None),
        events=events,
    )
    return page, status


@bp.get("/publication/<id:complaint_id>")
@require(Permission.MANAGE_PUBLICATION)
def publication_case(complaint_id: int) -> tuple[str, int]:
    """One narrative: the original beside the editable redaction preview."""
    return _page(load_complaint(complaint_id))


def _done(complaint: Complaint, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("officer.publication_case", complaint_id=complaint.id), code=303)


@bp.post("/publication/<id:complaint_id>/approve")
@require(Permission.MANAGE_PUBLICATION)
def publication_approve(complaint_id: int) -> ResponseReturnValue:
    """Approve the corrected text; refused while the redaction rules still find personal details in it."""
    complaint = load_complaint(complaint_id)
    form = ApproveForm(prefix="approve")
    if form.validate():
        try:
            with savepoint():
                publication.approve(complaint, current_user, form.text.data or "", remote_addr=client_address())
        except DomainError as error:
            attach_error(form, error)
        else:
            return _done(complaint, _("The narrative is approved for publication."))
    return _page(complaint, 422, approve_form=form)


@bp.post("/publication/<id:complaint_id>/withhold")
@require(Permission.MANAGE_PUBLICATION)
def publication_withhold(complaint_id: int) -> ResponseReturnValue:
    """Withhold a pending narrative, with a reason officers can read."""
    complaint = load_complaint(complaint_id)
    form = WithholdForm(prefix="withhold")
    if form.validate():
        try:
            with savepoint():
                publication.withhold(complaint, current_user, form.reason.data or "", remote_addr=client_address())
        except DomainError as error:
            attach_error(form, error)
        else:
            return _done(complaint, _("The narrative is withheld."))
    return _page(complaint, 422, withhold_form=form)


@bp.post("/publication/<id:complaint_id>/revoke")
@require(Permission.MANAGE_PUBLICATION)
def publication_revoke(complaint_id: int) -> ResponseReturnValue:
    """Revoke an approval: back to review, or withheld."""
    complaint = load_complaint(complaint_id)
    form = RevokeForm(prefix="revoke")
    if form.validate():
        try:
            with savepoint():
                publication.revoke(
                    complaint,
                    current_user,
                    withhold=form.target.data == PublicationStatus.WITHHELD.value,
                    reason=form.reason.data or "",
                    remote_addr=client_address(),
                )
        except DomainError as error:
            attach_error(form, error)
        else:
            return _done(complaint, _("The approval is revoked; the narrative is no longer published."))
    return _page(complaint, 422, revoke_form=form)


@bp.post("/publication/<id:complaint_id>/reopen")
@require(Permission.MANAGE_PUBLICATION)
def publication_reopen(complaint_id: int) -> ResponseReturnValue:
    """Return a withheld narrative to review."""
    complaint = load_complaint(complaint_id)
    form = ReopenForm(prefix="reopen")
    if form.validate():
        try:
            with savepoint():
                publication.reopen(complaint, current_user, remote_addr=client_address())
        except DomainError as error:
            flash(error.message, "error")
            return _page(complaint, 422, reopen_form=form)
        return _done(complaint, _("The narrative is back in review."))
    return _page(complaint, 422, reopen_form=form)
