"""The supervisors' view of the mail outbox: what waits, what failed and why, and one message read in full (audited)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from complaints.audit.events import record_event
from complaints.core.clock import utc_now
from complaints.core.database import parse_id
from complaints.extensions import db
from complaints.mail import outbox
from complaints.models import EventKind, MailKind, OutboxMessage
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.permissions import Permission, require

PAGE = 50

#: Why a message is sent, as supervisors read it.
KINDS: dict[str, LazyString] = {
    MailKind.RESPONDER_NEW_COMPLAINT: _l("Platform told of a new complaint"),
    MailKind.CONSUMER_ANSWERED: _l("Consumer told of the platform's answer"),
    MailKind.CONSUMER_STATUS_CHANGED: _l("Consumer told of a status change"),
    MailKind.OFFICER_OVERDUE: _l("Officers told of overdue answers"),
}
#: Where a message stands.
STATES: dict[str, LazyString] = {
    outbox.MailState.WAITING: _l("Waiting"),
    outbox.MailState.FAILING: _l("Failing"),
    outbox.MailState.SENT: _l("Sent"),
}
LANGUAGES: dict[str, LazyString] = {"zh_Hans": _l("Chinese"), "en": _l("English")}


@bp.get("/outbox")
@require(Permission.READ_MAIL)
def outbox_page() -> str:
    """Messages newest first, fifty a page, by state; no address or text here (reading one is audited)."""
    args = request.args
    stmt = select(OutboxMessage)
    state_value = args.get("state", "")
    state = outbox.MailState(state_value) if state_value in outbox.MailState.values() else None
    if state is not None:
        stmt = stmt.where(outbox.state_condition(state))
    before = parse_id(args.get("before"))
    if before is not None:
        stmt = stmt.where(OutboxMessage.id < before)
    # Only the clear columns are loaded: the list decrypts no address.
    rows = list(
        db.session.execute(
            stmt.with_only_columns(
                OutboxMessage.id,
                OutboxMessage.kind,
                OutboxMessage.language,
                OutboxMessage.created_at,
                OutboxMessage.attempts,
                OutboxMessage.next_attempt_at,
                OutboxMessage.sent_at,
                OutboxMessage.last_error,
            )
            .order_by(OutboxMessage.id.desc())
            .limit(PAGE + 1)
        )
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    kept = {"state": state.value} if state is not None else {}
    next_url = url_for("officer.outbox_page") + "?" + urlencode({**kept, "before": rows[-1].id}) if more else None
    return render_template(
        "officer/outbox.html",
        rows=rows,
        state=state,
        states=STATES,
        kinds=KINDS,
        languages=LANGUAGES,
        state_of=outbox.state_of,
        many_attempts=outbox.MANY_ATTEMPTS,
        waiting=outbox.count_waiting(),
        now=utc_now(),
        next_url=next_url,
    )


@bp.get("/outbox/<id:message_id>")
@require(Permission.READ_MAIL)
def outbox_message(message_id: int) -> str:
    """One message as it is (or was) sent: recipient, subject and body. Each reading is in the audit log."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    record_event(
        EventKind.OUTBOX_READ,
        officer=current_user,
        data={"message_id": message.id, "kind": message.kind},
        remote_addr=client_address(),
    )
    return render_template(
        "officer/outbox_message.html",
        message=message,
        state=outbox.state_of(message),
        states=STATES,
        kinds=KINDS,
        languages=LANGUAGES,
        many_attempts=outbox.MANY_ATTEMPTS,
    )
