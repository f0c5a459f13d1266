"""The lifecycle rules, one by one: which action moves which status where, what it stamps, what it records."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from complaints.casework.lifecycle import Action, allowed_actions, apply_transition
from complaints.errors import InvalidTransition
from complaints.extensions import db
from complaints.models import ActorType, CaseEvent, Complaint, ComplaintStatus, Resolution
from complaints.models.base import utcnow
from tests.factories import ComplaintFactory
from tests.factories_officer import make_officer
from tests.lifecycle_graph import RESOLUTIONS, TRANSITIONS, VALID_RESOLUTION

S = ComplaintStatus

UNLISTED = [pair for pair in itertools.product(S, Action) if pair not in TRANSITIONS]
NON_CLOSING = [action for action in Action if action not in RESOLUTIONS]


def complaint_in(status: ComplaintStatus) -> Complaint:
    """A complaint in a status (a closed one carries the resolution the database requires)."""
    resolution = Resolution.WITHDRAWN.value if status == S.CLOSED else None
    return ComplaintFactory(status=status.value, resolution=resolution)


def events_of(complaint: Complaint) -> list[CaseEvent]:
    """The complaint's case events, oldest first."""
    db.session.flush()
    return list(
        db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id).order_by(CaseEvent.id))
    )


def test_the_table_covers_every_status_and_action() -> None:
    assert len(TRANSITIONS) + len(UNLISTED) == len(S) * len(Action) == 40
    assert len(TRANSITIONS) == 17


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS), ids=lambda v: str(v))
def test_every_listed_transition_leads_to_its_listed_status(status: ComplaintStatus, action: Action) -> None:
    complaint = complaint_in(status)
    resolution = VALID_RESOLUTION[action]
    apply_transition(complaint, action, resolution=resolution)
    assert complaint.status == TRANSITIONS[(status, action)].value
    assert complaint.resolution == (resolution.value if resolution is not None else None)
    [event] = events_of(complaint)
    assert event.data["from"] == status.value and event.data["to"] == complaint.status


@pytest.mark.parametrize(("status", "action"), UNLISTED, ids=lambda v: str(v))
def test_every_unlisted_transition_is_refused_by_the_status_and_changes_nothing(
    status: ComplaintStatus, action: Action
) -> None:
    complaint = complaint_in(status)
    before = (complaint.status, complaint.resolution, complaint.accepted_at, complaint.closed_at, complaint.updated_at)
    with pytest.raises(InvalidTransition, match=f"^{action.value} is not allowed from {status.value}$"):
        apply_transition(complaint, action, resolution=VALID_RESOLUTION[action])
    after = (complaint.status, complaint.resolution, complaint.accepted_at, complaint.closed_at, complaint.updated_at)
    assert after == before
    assert events_of(complaint) == []


@pytest.mark.parametrize("status", list(S), ids=str)
def test_the_actions_offered_for_each_status_are_exactly_the_listed_ones(status: ComplaintStatus) -> None:
    expected = {action for (source, action) in TRANSITIONS if source == status}
    offered = allowed_actions(complaint_in(status))
    assert set(offered) == expected
    assert len(offered) == len(expected)


def test_a_closed_complaint_is_offered_nothing_and_an_open_one_may_always_be_withdrawn() -> None:
    assert allowed_actions(complaint_in(S.CLOSED)) == []
    for status in (S.SUBMITTED, S.NEEDS_INFO, S.ACCEPTED, S.REFERRED):
        assert Action.WITHDRAW in allowed_actions(complaint_in(status))


#: A status each closing action may start from.
CLOSING_FROM = {
    Action.REJECT: S.NEEDS_INFO,
    Action.CLOSE: S.REFERRED,
    Action.MARK_DUPLICATE: S.ACCEPTED,
    Action.WITHDRAW: S.SUBMITTED,
}


@pytest.mark.parametrize(
    ("action", "resolution"), list(itertools.product(RESOLUTIONS, Resolution)), ids=lambda v: str(v)
)
def test_a_closing_action_ends_with_its_own_resolutions_and_refuses_the_others(
    action: Action, resolution: Resolution
) -> None:
    complaint = complaint_in(CLOSING_FROM[action])
    if resolution in RESOLUTIONS[action]:
        apply_transition(complaint, action, resolution=resolution)
        assert (complaint.status, complaint.resolution) == ("closed", resolution.value)
        assert events_of(complaint)[0].data["resolution"] == resolution.value
    else:
        with pytest.raises(InvalidTransition, match=f"^{action.value} cannot end as {resolution}$"):
            apply_transition(complaint, action, resolution=resolution)
        assert (complaint.status, complaint.resolution) == (CLOSING_FROM[action].value, None)
        assert events_of(complaint) == []


@pytest.mark.parametrize(
    ("action", "resolution"), [(Action.MARK_DUPLICATE, "duplicate"), (Action.WITHDRAW, "withdrawn")]
)
def test_an_action_with_a_single_resolution_needs_none_given(action: Action, resolution: str) -> None:
    complaint = ComplaintFactory()
    apply_transition(complaint, action)
    assert (complaint.status, complaint.resolution) == ("closed", resolution)
    assert events_of(complaint)[0].data["resolution"] == resolution


@pytest.mark.parametrize("action", [Action.REJECT, Action.CLOSE], ids=str)
def test_an_action_with_several_resolutions_refuses_to_guess(action: Action) -> None:
    complaint = complaint_in(CLOSING_FROM[action])
    with pytest.raises(InvalidTransition, match=f"^{action.value} cannot end as None$"):
        apply_transition(complaint, action)
    assert complaint.status == CLOSING_FROM[action].value and complaint.resolution is None
    assert events_of(complaint) == []


@pytest.mark.parametrize(("action", "resolution"), list(itertools.product(NON_CLOSING, Resolution)), ids=str)
def test_an_action_that_does_not_close_refuses_any_resolution(action: Action, resolution: Resolution) -> None:
    status = next(source for (source, listed) in TRANSITIONS if listed == action)
    complaint = complaint_in(status)
    with pytest.raises(InvalidTransition, match=f"^{action.value} does not close the complaint$"):
        apply_transition(complaint, action, resolution=resolution)
    assert complaint.status == status.value and complaint.resolution is None
    assert events_of(complaint) == []


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS), ids=lambda v: str(v))
def test_only_closing_stamps_the_closing_time_and_only_acceptance_the_acceptance_time(
    status: ComplaintStatus, action: Action
) -> None:
    complaint = complaint_in(status)
    assert complaint.accepted_at is None and complaint.closed_at is None
    start = utcnow()
    apply_transition(complaint, action, resolution=VALID_RESOLUTION[action])
    end = utcnow()
    assert start <= complaint.updated_at <= end
    target = TRANSITIONS[(status, action)]
    if target == S.CLOSED:
        assert complaint.closed_at == complaint.updated_at
    else:
        assert complaint.closed_at is None
    if target == S.ACCEPTED:
        assert complaint.accepted_at == complaint.updated_at
    else:
        assert complaint.accepted_at is None, "only acceptance decides what becomes public"


def test_the_first_acceptance_time_is_kept() -> None:
    first = dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)
    complaint = ComplaintFactory(accepted_at=first)
    apply_transition(complaint, Action.ACCEPT)
    assert complaint.accepted_at == first
    apply_transition(complaint, Action.REFER)
    apply_transition(complaint, Action.CLOSE, resolution=Resolution.RESOLVED)
    assert complaint.accepted_at == first
    assert complaint.closed_at is not None and complaint.closed_at > first


def test_the_event_records_the_officer_the_address_the_message_and_the_change() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(status="accepted")
    apply_transition(
        complaint,
        Action.CLOSE,
        officer=officer,
        resolution=Resolution.REGULATOR_ACTION,
        data={"note_id": 7},
        public_message="监管部门已处理",
        remote_addr="203.0.113.9",
    )
    [event] = events_of(complaint)
    assert event.kind == "status_changed"
    assert event.officer_id == officer.id
    assert event.actor_type == "officer"
    assert event.remote_addr == "203.0.113.9"
    assert event.public_message == "监管部门已处理"
    assert event.visible_to_complainant is True
    assert event.data == {
        "action": "close",
        "from": "accepted",
        "to": "closed",
        "resolution": "regulator_action",
        "note_id": 7,
    }


def test_an_event_without_an_officer_is_the_systems_unless_the_consumer_acted() -> None:
    complaint = ComplaintFactory(status="needs_info")
    apply_transition(complaint, Action.ANSWER_INFO, actor_type=ActorType.COMPLAINANT)
    apply_transition(complaint, Action.ACCEPT)
    answered, accepted = events_of(complaint)
    assert (answered.actor_type, answered.officer_id) == ("complainant", None)
    assert (accepted.actor_type, accepted.officer_id) == ("system", None)
    assert answered.data == {"action": "answer_info", "from": "needs_info", "to": "submitted"}
    assert accepted.data == {"action": "accept", "from": "submitted", "to": "accepted"}
    assert answered.public_message == "" and answered.remote_addr == ""
    assert answered.visible_to_complainant and accepted.visible_to_complainant


def test_a_complaint_walks_the_whole_drawn_path_and_each_step_is_one_event() -> None:
    complaint = ComplaintFactory()
    path = [
        (Action.REQUEST_INFO, None, "needs_info"),
        (Action.ANSWER_INFO, None, "submitted"),
        (Action.ACCEPT, None, "accepted"),
        (Action.REFER, None, "referred"),
        (Action.REFER, None, "referred"),
        (Action.CLOSE, Resolution.UNRESOLVED, "closed"),
    ]
    for action, resolution, status in path:
        apply_transition(complaint, action, resolution=resolution)
        assert complaint.status == status
    assert [(e.data["action"], e.data["to"]) for e in events_of(complaint)] == [
        (action.value, status) for action, _resolution, status in path
    ]
