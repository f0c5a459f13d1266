"""Referral to regulators from the case page, follow-up updates, and the printable referral packet."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from complaints.audit.events import record_event, timeline
from complaints.casework import referral as referral_service
from complaints.core.clock import local_today
from complaints.core.database import parse_id
from complaints.core.i18n import current_language
from complaints.core.transaction import savepoint
from complaints.directory.reference_data import province_name
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Complaint, EventKind, Referral, Regulator
from complaints.models.base import utcnow
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.case import load_complaint, refuse, render_case
from complaints.officer.permissions import Permission, require
from complaints.officer.platform_exchange import packet_exchange
from complaints.officer.referral_forms import (
    CHANNEL_LABELS,
    ReferForm,
    ReferralUpdateForm,
    refer_form_for,
)


@bp.post("/complaints/<id:complaint_id>/refer")
@require(Permission.REFER)
def refer(complaint_id: int) -> ResponseReturnValue:
    """Record a referral; the complaint moves to referred."""
    complaint = load_complaint(complaint_id)
    form = refer_form_for(complaint, ReferForm())
    if form.validate():
        regulator = db.session.get(Regulator, form.regulator.data)
        try:
            with savepoint():
                if regulator is None:
                    raise DomainError(_("Choose a regulator."), "regulator")
                referral_service.refer_complaint(
                    complaint,
                    regulator,
                    channel=form.channel.data or "",
                    sent_on=form.sent_on.data or local_today(),
                    regulator_reference=form.regulator_reference.data or "",
                    include_identity=bool(form.include_identity.data),
                    by=current_user,
                    remote_addr=client_address(),
                )
        except DomainError as error:
            complaint = load_complaint(complaint_id)
            refuse(form, error, complaint)
        else:
            flash(_("Referral recorded."), "success")
            return redirect(url_for("officer.case", complaint_id=complaint.id, _anchor="referrals"), code=303)
    page, _status = render_case(complaint, 422, refer_form_override=form)
    return page, 422


@bp.post("/referrals/<id:referral_id>")
@require(Permission.REFER)
def update_referral(referral_id: int) -> ResponseReturnValue:
    """Record the regulator's answer."""
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    form = ReferralUpdateForm(prefix=f"r{referral.id}")
    if form.validate():
        try:
            with savepoint():
                referral_service.update_referral(
                    referral,
                    status=form.status.data or "",
                    regulator_reference=form.regulator_reference.data or "",
                    outcome_notes=form.outcome_notes.data or "",
                    by=current_user,
                    remote_addr=client_address(),
                )
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("officer.case", complaint_id=referral.complaint_id), code=303)
        flash(_("Referral updated."), "success")
    else:
        flash(_("The referral could not be updated. Check the fields."), "error")
    return redirect(url_for("officer.case", complaint_id=referral.complaint_id, _anchor="referrals"), code=303)


@bp.get("/complaints/<id:complaint_id>/packet")
@require(Permission.REFER)
def packet(complaint_id: int) -> str:
    """The printable referral packet; the consumer's identity appears only if shared with their consent."""
    complaint = load_complaint(complaint_id)
    referral = None
    wanted = request.args.get("referral", "")
    if wanted:
        referral_id = parse_id(wanted)
        referral = db.session.get(Referral, referral_id) if referral_id is not None else None
        if referral is None or referral.complaint_id != complaint.id:
            abort(404)
    identity = referral_service.identity_disclosure(complaint, referral)
    events = timeline(
        complaint,
        kinds=[
            EventKind.SUBMITTED,
            EventKind.INFORMATION_ADDED,
            EventKind.STATUS_CHANGED,
            EventKind.REFERRAL_UPDATED,
            EventKind.PLATFORM_SENT,
            EventKind.PLATFORM_ANSWERED,
            EventKind.CONSUMER_REVIEWED,
        ],
    )
    record_event(
        EventKind.PACKET_VIEWED,
        complaint=complaint,
        officer=current_user,
        data={"referral_id": referral.id if referral else None, "identity": identity.shown},
        remote_addr=client_address(),
    )
    language = current_language()
    return render_template(
        "officer/packet.html",
        complaint=complaint,
        referral=referral,
        identity=identity,
        timeline=events,
        province=province_name(complaint.province, language),
        violation_labels={v.code: v for v in _violation_types(complaint)},
        channel_labels=CHANNEL_LABELS,
        generated_at=utcnow(),
        **packet_exchange(complaint, identity.shown),
    )


def _violation_types(complaint: Complaint) -> list[Any]:
    from complaints.models import ViolationType

    return list(db.session.scalars(select(ViolationType).where(ViolationType.code.in_(complaint.codes))))
