"""Property: random officer and consumer actions never leave the lifecycle graph, and every change has its event."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from complaints.casework import referral, triage
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.intake import filing as intake
from complaints.intake.storage import evidence_store
from complaints.models import CaseEvent, Complaint, ComplaintStatus, Regulator, Resolution
from tests.factories import ComplaintFactory
from tests.factories_officer import make_officer
from tests.lifecycle_graph import EDGES  # written by hand from DOMAIN.md, never derived from RULES

ACTION_NAMES = [
    "accept",
    "request_info",
    "reject",
    "refer",
    "close",
    "duplicate",
    "assign",
    "note",
    "message",
    "consumer_adds",
    "consumer_withdraws",
]


def run_action(name: str, complaint: Complaint, other: Complaint, officer) -> None:  # type: ignore[no-untyped-def]
    """Perform one named action as an officer or as the consumer."""
    if name == "accept":
        triage.accept(complaint, triage.TriageDecision(codes=["ABU-01", "TP-02"], primary_code="ABU-01"), by=officer)
    elif name == "request_info":
        triage.request_information(complaint, "请补充录音", by=officer)
    elif name == "reject":
        triage.reject(complaint, Resolution.REJECTED_INSUFFICIENT, "信息不足", by=officer)
    elif name == "refer":
        regulator = db.session.get(Regulator, "SAMR")
        assert regulator is not None
        referral.refer_complaint(complaint, regulator, channel="hotline", sent_on=dt.date(2026, 11, 1), by=officer)
    elif name == "close":
        triage.close(complaint, Resolution.UNRESOLVED, by=officer)
    elif name == "duplicate":
        triage.mark_duplicate(complaint, other, by=officer)
    elif name == "assign":
        triage.assign(complaint, None if complaint.assignee_id else officer, by=officer)
    elif name == "note":
        triage.add_note(complaint, "内部备注", by=officer)
    elif name == "message":
        triage.message_complainant(complaint, "您好", by=officer)
    elif name == "consumer_adds":
        intake.add_information(complaint, "补充说明", [], evidence_store())
    elif name == "consumer_withdraws":
        intake.withdraw_complaint(complaint, delete_evidence=False, store=evidence_store())


def _event_count(complaint: Complaint) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.complaint_id == complaint.id))
        or 0
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(ACTION_NAMES), min_size=1, max_size=12))
def test_random_actions_stay_on_the_graph_and_each_change_is_recorded(steps: list[str]) -> None:
    officer = make_officer(f"prop-{uuid.uuid4().hex[:12]}@example.test")
    complaint, other = ComplaintFactory(), ComplaintFactory()
    for name in steps:
        status, events = complaint.status, _event_count(complaint)
        nested = db.session.begin_nested()
        try:
            run_action(name, complaint, other, officer)
            db.session.flush()
        except DomainError:
            nested.rollback()
            db.session.refresh(complaint)
            assert complaint.status == status
            assert _event_count(complaint) == events
            continue
        nested.commit()
        assert complaint.status in ComplaintStatus.values()
        assert (complaint.status == "closed") == (complaint.resolution is not None)
        new_events = list(
            db.session.scalars(
                select(CaseEvent).where(CaseEvent.complaint_id == complaint.id).order_by(CaseEvent.id).offset(events)
            )
        )
        assert new_events, f"{name} changed nothing on record"
        transitions = [e for e in new_events if e.kind == "status_changed"]
        if complaint.status != status or transitions:
            assert len(transitions) == 1, name
            assert (transitions[0].data["from"], transitions[0].data["to"]) == (status, complaint.status)
            assert (status, complaint.status) in EDGES, f"{name}: {status} → {complaint.status}"
    db.session.commit()
