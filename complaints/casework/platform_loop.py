"""The platform response loop: the one place that decides where a complaint stands with its platform.

Triage sends an accepted complaint to the platform it is about (unless the consumer fears
retaliation, or an officer decides otherwise); the platform's representative answers within
ANSWER_DAYS with a response type, or says "in progress" and gives a final answer within
FINAL_ANSWER_DAYS of sending; the consumer then says within REVIEW_DAYS whether the answer settled
the complaint or disputes it, which puts it back before an officer. A reply never resolves a
complaint by itself: only an officer closes it, with the existing lifecycle.

"Timely" follows the CFPB's "timely response?": the first answer came within ANSWER_DAYS of
sending and, after an "in progress", the final one within FINAL_ANSWER_DAYS. A complaint whose
deadline passed without an answer is not timely either (`answered_in_time` reads both).

Every step writes an audited event; none reads the request: the views pass the actor and address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_, select

from complaints.audit.events import record_event
from complaints.casework import notices
from complaints.casework.lifecycle import current_status
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import (
    ActorType,
    Complaint,
    ComplaintStatus,
    ConsumerReview,
    EventKind,
    Officer,
    PlatformResponse,
    PlatformStage,
    Resolution,
    ResponseType,
    Severity,
)
from complaints.models.base import StrEnum, utcnow
from complaints.models.response import ANSWER_DAYS, FINAL_ANSWER_DAYS, REVIEW_DAYS

P = PlatformStage

MAX_TEXT = 5000
#: Shortest answer or dispute reason taken: five characters are already a sentence in Chinese ("催收仍在继续").
MIN_REASON = 5


class Step(StrEnum):
    """Everything that moves a complaint between platform stages."""

    SEND = "send"
    WITHHOLD = "withhold"
    ANSWER_IN_PROGRESS = "answer_in_progress"
    ANSWER_FINAL = "answer_final"
    ANSWER_NOT_OUR_CUSTOMER = "answer_not_our_customer"
    SETTLE = "settle"
    DISPUTE = "dispute"


@dataclass(frozen=True)
class Rule:
    """Where a step may start and where it leads."""

    sources: frozenset[PlatformStage]
    target: PlatformStage


#: The platform graph; nothing else changes ``Complaint.platform_stage``.
RULES: dict[Step, Rule] = {
    Step.SEND: Rule(frozenset({P.NOT_SENT, P.WITHHELD, P.NOT_OUR_CUSTOMER}), P.AWAITING),
    Step.WITHHOLD: Rule(frozenset({P.NOT_SENT}), P.WITHHELD),
    Step.ANSWER_IN_PROGRESS: Rule(frozenset({P.AWAITING}), P.IN_PROGRESS),
    Step.ANSWER_FINAL: Rule(frozenset({P.AWAITING, P.IN_PROGRESS}), P.ANSWERED),
    Step.ANSWER_NOT_OUR_CUSTOMER: Rule(frozenset({P.AWAITING, P.IN_PROGRESS}), P.NOT_OUR_CUSTOMER),
    Step.SETTLE: Rule(frozenset({P.ANSWERED}), P.SETTLED),
    Step.DISPUTE: Rule(frozenset({P.ANSWERED}), P.DISPUTED),
}

#: The answer a response type gives, as a step of the graph.
ANSWER_STEPS: dict[ResponseType, Step] = {
    ResponseType.MONETARY_RELIEF: Step.ANSWER_FINAL,
    ResponseType.NON_MONETARY_RELIEF: Step.ANSWER_FINAL,
    ResponseType.EXPLANATION: Step.ANSWER_FINAL,
    ResponseType.IN_PROGRESS: Step.ANSWER_IN_PROGRESS,
    ResponseType.NOT_OUR_CUSTOMER: Step.ANSWER_NOT_OUR_CUSTOMER,
}

#: Stages in which the platform owes an answer.
WAITING_FOR_PLATFORM = frozenset({P.AWAITING, P.IN_PROGRESS})
#: Stages an officer must look at again.
BACK_TO_OFFICER = frozenset({P.DISPUTED, P.NOT_OUR_CUSTOMER})
#: Complaint statuses from which a complaint may be sent (it passed triage and is still open).
SENDABLE_STATUSES = frozenset({ComplaintStatus.ACCEPTED, ComplaintStatus.REFERRED})


def _move(complaint: Complaint, step: Step) -> PlatformStage:
    """Check the step against the graph and move the complaint; returns where it was."""
    rule = RULES[step]
    current = PlatformStage(complaint.platform_stage)
    if current not in rule.sources:
        raise DomainError(str(_l("This is no longer possible: the complaint has moved on.")), "platform_stage")
    complaint.platform_stage = rule.target.value
    complaint.updated_at = utcnow()
    return current


def _details(complaint: Complaint, step: Step, before: PlatformStage, **data: object) -> dict[str, object]:
    """The audit record of a step: which, from where, to where, and its own details."""
    return {"step": step.value, "from": before.value, "to": complaint.platform_stage, **data}


def _lock(complaint: Complaint) -> None:
    """Read the complaint's status and platform stage fresh under the write lock (see lifecycle)."""
    current_status(complaint, "platform_stage", "platform_id")


def send_by_default(complaint: Complaint) -> bool:
    """Triage's default: send, unless the consumer fears retaliation or the complaint is urgent."""
    return not complaint.fears_retaliation and complaint.severity != Severity.URGENT.value


def can_send(complaint: Complaint) -> bool:
    """Whether an officer may send the complaint to its platform now."""
    return (
        ComplaintStatus(complaint.status) in SENDABLE_STATUSES
        and PlatformStage(complaint.platform_stage) in RULES[Step.SEND].sources
        and not complaint.fears_retaliation
        and complaint.platform is not None
        and complaint.platform.verified
        and complaint.platform.merged_into_id is None
    )


def send(complaint: Complaint, *, by: Officer, remote_addr: str = "") -> None:
    """Send an accepted complaint to its platform, whose answer is then due within ANSWER_DAYS."""
    _lock(complaint)
    if complaint.fears_retaliation:
        raise DomainError(
            str(_l("The consumer fears retaliation: this complaint is never sent to the platform.")), "send"
        )
    if not can_send(complaint):
        raise DomainError(str(_l("Only an accepted, open complaint on a verified platform can be sent.")), "send")
    before = _move(complaint, Step.SEND)
    now = utcnow()
    complaint.sent_to_platform_at = now
    complaint.platform_answer_due_at = now + dt.timedelta(days=ANSWER_DAYS)
    complaint.platform_answered_at = None
    complaint.platform_timely = None
    complaint.platform_overdue_notified_at = None
    complaint.consumer_review = ""
    complaint.consumer_reviewed_at = None
    due = complaint.platform_answer_due_at.date().isoformat()
    record_event(
        EventKind.PLATFORM_SENT,
        complaint=complaint,
        officer=by,
        data=_details(complaint, Step.SEND, before, platform_id=complaint.platform_id, due=due),
        visible_to_complainant=True,
        remote_addr=remote_addr,
    )
    notices.complaint_sent(complaint)


def withhold(complaint: Complaint, *, by: Officer, remote_addr: str = "") -> None:
    """Record triage's decision not to send the complaint to its platform."""
    _lock(complaint)
    before = _move(complaint, Step.WITHHOLD)
    reason = "retaliation" if complaint.fears_retaliation else "urgent" if not send_by_default(complaint) else "officer"
    record_event(
        EventKind.PLATFORM_WITHHELD,
        complaint=complaint,
        officer=by,
        data=_details(complaint, Step.WITHHOLD, before, reason_code=reason),
        remote_addr=remote_addr,
    )


def decide_at_triage(complaint: Complaint, send_it: bool, *, by: Officer, remote_addr: str = "") -> None:
    """Send the just-accepted complaint, or record that it is not sent."""
    if send_it:
        send(complaint, by=by, remote_addr=remote_addr)
    else:
        withhold(complaint, by=by, remote_addr=remote_addr)


def is_visible_to(responder: Officer, complaint: Complaint) -> bool:
    """The one rule of what a responder may open: a complaint sent to their own platform, not withdrawn."""
    return (
        responder.is_responder
        and responder.active
        and responder.platform_id is not None
        and complaint.platform_id == responder.platform_id
        and complaint.sent_to_platform_at is not None
        and complaint.resolution != Resolution.WITHDRAWN.value
    )


def visible_clause(responder: Officer) -> ColumnElement[bool]:
    """`is_visible_to` as SQL, for the portal's lists."""
    return and_(
        Complaint.platform_id == responder.platform_id,
        Complaint.sent_to_platform_at.is_not(None),
        or_(Complaint.resolution.is_(None), Complaint.resolution != Resolution.WITHDRAWN.value),
    )


def can_answer(complaint: Complaint) -> bool:
    """Whether the platform may answer now (it owes an answer and the complaint is open)."""
    return complaint.is_open and PlatformStage(complaint.platform_stage) in WAITING_FOR_PLATFORM


def answer_types(complaint: Complaint) -> list[ResponseType]:
    """The response types the platform may give now: no second "in progress"."""
    if not can_answer(complaint):
        return []
    stage = PlatformStage(complaint.platform_stage)
    return [kind for kind, step in ANSWER_STEPS.items() if stage in RULES[step].sources]


def respond(
    complaint: Complaint, responder: Officer, response_type: str, text: str, *, remote_addr: str = ""
) -> PlatformResponse:
    """The platform's answer: recorded, shown to the consumer, and timed against its deadline."""
    if not is_visible_to(responder, complaint):
        raise DomainError(str(_l("This complaint is not one of your platform's.")), "complaint")
    try:
        kind = ResponseType(response_type)
    except ValueError:
        raise DomainError(str(_l("Choose the kind of answer.")), "response_type") from None
    cleaned = text.strip()
    if len(cleaned) < MIN_REASON:
        raise DomainError(
            str(_l("Write your answer to the consumer (at least %(n)d characters).", n=MIN_REASON)), "text"
        )
    if len(cleaned) > MAX_TEXT:
        raise DomainError(str(_l("Keep it under %(n)d characters.", n=MAX_TEXT)), "text")
    _lock(complaint)
    if not complaint.is_open:
        raise DomainError(str(_l("This complaint is closed: it can no longer be answered.")), "complaint")
    if kind not in answer_types(complaint):
        raise DomainError(str(_l("This kind of answer is not possible now.")), "response_type")
    now = utcnow()
    due = complaint.platform_answer_due_at
    on_time = due is None or now <= due
    step = ANSWER_STEPS[kind]
    before = _move(complaint, step)
    if step is Step.ANSWER_IN_PROGRESS:
        sent = complaint.sent_to_platform_at or now
        complaint.platform_answer_due_at = sent + dt.timedelta(days=FINAL_ANSWER_DAYS)
        complaint.platform_timely = None if on_time else False
    else:
        complaint.platform_answer_due_at = None
        complaint.platform_answered_at = now
        complaint.platform_timely = on_time and complaint.platform_timely is not False
    response = PlatformResponse(
        complaint_id=complaint.id,
        platform_id=complaint.platform_id,
        responder_id=responder.id,
        response_type=kind.value,
        text=cleaned,
        created_at=now,
    )
    db.session.add(response)
    db.session.flush()
    record_event(
        EventKind.PLATFORM_ANSWERED,
        complaint=complaint,
        officer=responder,
        data=_details(complaint, step, before, response_id=response.id, response_type=kind.value, on_time=on_time),
        visible_to_complainant=True,
        remote_addr=remote_addr,
    )
    notices.platform_answered(complaint)
    return response


def review_deadline(complaint: Complaint) -> dt.datetime | None:
    """Until when the consumer may say whether the final answer settled the complaint."""
    if complaint.platform_answered_at is None:
        return None
    return complaint.platform_answered_at + dt.timedelta(days=REVIEW_DAYS)


def can_review(complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """Whether the consumer may settle or dispute the answer now."""
    deadline = review_deadline(complaint)
    return (
        complaint.is_open
        and PlatformStage(complaint.platform_stage) == P.ANSWERED
        and deadline is not None
        and (now or utcnow()) <= deadline
    )


def review(complaint: Complaint, verdict: str, reason: str = "") -> None:
    """The consumer marks the final answer as settling the complaint, or disputes it with a reason."""
    try:
        kind = ConsumerReview(verdict)
    except ValueError:
        raise DomainError(str(_l("Choose whether the answer settled your complaint.")), "verdict") from None
    cleaned = reason.strip()
    if kind is ConsumerReview.DISPUTED and len(cleaned) < MIN_REASON:
        raise DomainError(
            str(_l("Tell us why the answer does not settle it (at least %(n)d characters).", n=MIN_REASON)), "reason"
        )
    if len(cleaned) > MAX_TEXT:
        raise DomainError(str(_l("Keep it under %(n)d characters.", n=MAX_TEXT)), "reason")
    _lock(complaint)
    if not can_review(complaint):
        raise DomainError(str(_l("The time to answer this has passed, or it was already answered.")), "verdict")
    step = Step.SETTLE if kind is ConsumerReview.SETTLED else Step.DISPUTE
    before = _move(complaint, step)
    complaint.consumer_review = kind.value
    complaint.consumer_reviewed_at = utcnow()
    data: dict[str, object] = {"review": kind.value}
    if kind is ConsumerReview.DISPUTED:
        data["reason"] = cleaned  # free text: encrypted inside the event's data
    record_event(
        EventKind.CONSUMER_REVIEWED,
        complaint=complaint,
        actor_type=ActorType.COMPLAINANT,
        data=_details(complaint, step, before, **data),
        visible_to_complainant=True,
    )


def is_overdue(complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """Whether the platform's answer is past its deadline."""
    due = complaint.platform_answer_due_at
    return (
        PlatformStage(complaint.platform_stage) in WAITING_FOR_PLATFORM
        and due is not None
        and due < (now or utcnow())
        and complaint.is_open
    )


def waiting_clause() -> ColumnElement[bool]:
    """SQL: the platform owes an answer and the complaint is still open (`can_answer`)."""
    return and_(
        Complaint.platform_stage.in_([stage.value for stage in WAITING_FOR_PLATFORM]),
        Complaint.status != ComplaintStatus.CLOSED.value,
    )


def overdue_clause(now: dt.datetime) -> ColumnElement[bool]:
    """`is_overdue` as SQL (the portal's, the queue's and the reminders' filter)."""
    return and_(waiting_clause(), Complaint.platform_answer_due_at < now)


def remind_overdue(now: dt.datetime) -> int:
    """Tell officers of platform answers that became overdue since the last reminder; returns complaints told of.

    Each overdue complaint is told of once (``platform_overdue_notified_at``); sending it to the
    platform again starts afresh. Rows another worker is reminding of are skipped, not waited for.
    """
    overdue = list(
        db.session.scalars(
            select(Complaint)
            .where(overdue_clause(now), Complaint.platform_overdue_notified_at.is_(None))
            .order_by(Complaint.platform_answer_due_at, Complaint.id)
            .with_for_update(skip_locked=True)
        )
    )
    if overdue:
        notices.answers_overdue(overdue)
        for complaint in overdue:
            complaint.platform_overdue_notified_at = now
    return len(overdue)
