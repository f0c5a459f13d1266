"""The complaint lifecycle: the one place that decides which status changes are allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from complaints.audit.events import record_event
from complaints.casework import notices
from complaints.core.transaction import hold_write_lock
from complaints.errors import InvalidTransition
from complaints.extensions import db
from complaints.models import ActorType, Complaint, ComplaintStatus, EventKind, Officer, Resolution
from complaints.models.base import StrEnum, utcnow

S = ComplaintStatus


class Action(StrEnum):
    """Everything that can move a complaint between statuses."""

    ACCEPT = "accept"
    REQUEST_INFO = "request_info"
    ANSWER_INFO = "answer_info"
    REJECT = "reject"
    REFER = "refer"
    CLOSE = "close"
    MARK_DUPLICATE = "mark_duplicate"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Rule:
    """Where an action may start, where it leads, and which resolutions it may carry."""

    sources: frozenset[ComplaintStatus]
    target: ComplaintStatus
    resolutions: frozenset[Resolution] = frozenset()


OPEN = frozenset({S.SUBMITTED, S.NEEDS_INFO, S.ACCEPTED, S.REFERRED})

#: The lifecycle graph of DOMAIN.md; nothing else may change a complaint's status.
RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({S.SUBMITTED}), S.ACCEPTED),
    Action.REQUEST_INFO: Rule(frozenset({S.SUBMITTED}), S.NEEDS_INFO),
    Action.ANSWER_INFO: Rule(frozenset({S.NEEDS_INFO}), S.SUBMITTED),
    Action.REJECT: Rule(
        frozenset({S.SUBMITTED, S.NEEDS_INFO}),
        S.CLOSED,
        frozenset(
            {
                Resolution.REJECTED_OUT_OF_SCOPE,
                Resolution.REJECTED_INSUFFICIENT,
                Resolution.REJECTED_SPAM,
            }
        ),
    ),
    Action.REFER: Rule(frozenset({S.ACCEPTED, S.REFERRED}), S.REFERRED),
    Action.CLOSE: Rule(
        frozenset({S.ACCEPTED, S.REFERRED}),
        S.CLOSED,
        frozenset({Resolution.RESOLVED, Resolution.REGULATOR_ACTION, Resolution.UNRESOLVED}),
    ),
    Action.MARK_DUPLICATE: Rule(OPEN, S.CLOSED, frozenset({Resolution.DUPLICATE})),
    Action.WITHDRAW: Rule(OPEN, S.CLOSED, frozenset({Resolution.WITHDRAWN})),
}


def allowed_actions(complaint: Complaint) -> list[Action]:
    """The actions the graph allows from the complaint's current status."""
    status = ComplaintStatus(complaint.status)
    return [action for action, rule in RULES.items() if status in rule.sources]


def current_status(complaint: Complaint, *also: str) -> ComplaintStatus:
    """The complaint's status as the database has it now, its row held until the commit.

    The attributes named in `also` are read fresh in the same statement.

    The complaint may have been loaded before another request moved it (on SQLite always: it has
    no row locks), so the graph is checked against a fresh read under the lock: of two requests
    moving one complaint at once, the second sees where the first left it.
    """
    if complaint.id is not None:  # a complaint not saved yet is nobody else's
        hold_write_lock()
        db.session.refresh(complaint, ["status", *also], with_for_update=True)
    return ComplaintStatus(complaint.status)


def apply_transition(
    complaint: Complaint,
    action: Action,
    *,
    officer: Officer | None = None,
    actor_type: ActorType | None = None,
    resolution: Resolution | None = None,
    data: dict[str, Any] | None = None,
    public_message: str = "",
    remote_addr: str = "",
) -> None:
    """Move a complaint along the graph, or raise InvalidTransition; always writes a CaseEvent."""
    rule = RULES[action]
    current = current_status(complaint)
    if current not in rule.sources:
        raise InvalidTransition(f"{action.value} is not allowed from {current.value}")
    if rule.resolutions:
        if resolution is None and len(rule.resolutions) == 1:
            resolution = next(iter(rule.resolutions))
        if resolution not in rule.resolutions:
            raise InvalidTransition(f"{action.value} cannot end as {resolution}")
    elif resolution is not None:
        raise InvalidTransition(f"{action.value} does not close the complaint")

    now = utcnow()
    complaint.status = rule.target.value
    complaint.resolution = resolution.value if resolution is not None else None
    if rule.target == S.ACCEPTED and complaint.accepted_at is None:
        complaint.accepted_at = now
    if rule.target == S.CLOSED:
        complaint.closed_at = now
    complaint.updated_at = now
    details = {"action": action.value, "from": current.value, "to": rule.target.value}
    if resolution is not None:
        details["resolution"] = resolution.value
    details.update(data or {})
    record_event(
        EventKind.STATUS_CHANGED,
        complaint=complaint,
        officer=officer,
        actor_type=actor_type,
        data=details,
        public_message=public_message,
        visible_to_complainant=True,
        remote_addr=remote_addr,
    )
    if actor_type is not ActorType.COMPLAINANT:  # the consumer is not told of their own steps
        notices.status_changed(complaint, rule.target)
