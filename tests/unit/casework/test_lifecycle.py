"""Only the transitions of the lifecycle graph are possible, and each writes a case event."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from complaints.casework.lifecycle import RULES, Action, allowed_actions, apply_transition
from complaints.errors import InvalidTransition
from complaints.extensions import db
from complaints.models import CaseEvent, ComplaintStatus, Resolution
from tests.factories import ComplaintFactory
from tests.lifecycle_graph import VALID_RESOLUTION

S = ComplaintStatus

#: The lifecycle drawn in DOMAIN.md, as (from, to) pairs.
GRAPH = {
    (S.SUBMITTED, S.ACCEPTED),
    (S.SUBMITTED, S.NEEDS_INFO),
    (S.NEEDS_INFO, S.SUBMITTED),
    (S.SUBMITTED, S.CLOSED),
    (S.NEEDS_INFO, S.CLOSED),
    (S.ACCEPTED, S.REFERRED),
    (S.REFERRED, S.REFERRED),
    (S.ACCEPTED, S.CLOSED),
    (S.REFERRED, S.CLOSED),
}


def test_every_rule_stays_inside_the_drawn_graph() -> None:
    # Equality, not inclusion: a drawn edge missing from RULES fails as surely as an extra one.
    assert {(source, rule.target) for rule in RULES.values() for source in rule.sources} == GRAPH


def test_accepting_sets_the_acceptance_time_and_writes_an_event() -> None:
    complaint = ComplaintFactory()
    apply_transition(complaint, Action.ACCEPT)
    assert complaint.status == "accepted"
    assert complaint.accepted_at is not None
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)).one()
    assert event.data["from"] == "submitted" and event.data["to"] == "accepted"


def test_a_closed_complaint_cannot_be_reopened_by_any_action() -> None:
    complaint = ComplaintFactory()
    apply_transition(complaint, Action.WITHDRAW)
    assert complaint.resolution == "withdrawn"
    for action in Action:
        # Arguments the action takes from an open status, so that only "closed" can refuse it.
        with pytest.raises(InvalidTransition, match=f"^{action.value} is not allowed from closed$"):
            apply_transition(complaint, action, resolution=VALID_RESOLUTION[action])
        assert (complaint.status, complaint.resolution) == ("closed", "withdrawn")


def test_closing_needs_a_resolution_the_action_allows() -> None:
    complaint = ComplaintFactory(status="accepted")
    with pytest.raises(InvalidTransition):
        apply_transition(complaint, Action.CLOSE)
    with pytest.raises(InvalidTransition):
        apply_transition(complaint, Action.CLOSE, resolution=Resolution.REJECTED_SPAM)
    apply_transition(complaint, Action.CLOSE, resolution=Resolution.UNRESOLVED)
    assert (complaint.status, complaint.resolution) == ("closed", "unresolved")


def test_submitted_complaints_cannot_be_referred_before_triage() -> None:
    complaint = ComplaintFactory()
    assert set(allowed_actions(complaint)) == {
        Action.ACCEPT,
        Action.REQUEST_INFO,
        Action.REJECT,
        Action.MARK_DUPLICATE,
        Action.WITHDRAW,
    }
    with pytest.raises(InvalidTransition, match=r"^refer is not allowed from submitted$"):
        apply_transition(complaint, Action.REFER)
    assert complaint.status == "submitted"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(list(Action)), st.sampled_from(list(Resolution))), max_size=12))
def test_random_action_sequences_never_leave_the_graph_and_every_change_has_its_event(
    steps: list[tuple[Action, Resolution]],
) -> None:
    complaint = ComplaintFactory()
    changes = 0
    for action, resolution in steps:
        before = S(complaint.status)
        chosen = resolution if RULES[action].resolutions else None
        try:
            apply_transition(complaint, action, resolution=chosen)
        except InvalidTransition:
            assert S(complaint.status) == before
            continue
        changes += 1
        assert (before, S(complaint.status)) in GRAPH
        assert (complaint.status == "closed") == (complaint.resolution is not None)
    db.session.flush()
    events = db.session.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.complaint_id == complaint.id)
    )
    assert events == changes
    db.session.rollback()
