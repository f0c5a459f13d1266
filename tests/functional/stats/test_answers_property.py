"""Property (issue 15): whatever sequence of triage, answers of every type (in time and late), reviews,
withdrawals, closings and platform merges, the rollup equals a fresh recomputation, the deadlines passed
without an answer are counted as the loop's own rule says, and no responder of one platform can reach a
complaint of another, neither through the loop's rule, nor the portal's lists, nor the complaint's page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from complaints.casework import platform_loop, triage
from complaints.directory.admin import merge_platforms
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db, limiter
from complaints.intake import filing
from complaints.intake.storage import evidence_store
from complaints.models import Complaint, Officer, Resolution
from complaints.respond.portal import Show, complaints_page
from complaints.statistics import answers, recompute, rollup
from complaints.statistics.periods import ALL_TIME
from tests.conftest import _clean_database
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_loop import START, MovingClock
from tests.factories_officer import make_officer, make_responder, sign_in

COMPLAINTS = 6
TYPES = ("monetary_relief", "non_monetary_relief", "explanation", "in_progress", "not_our_customer")
step = st.one_of(
    st.tuples(
        st.sampled_from(["accept_send", "accept_keep", "reject", "send", "withdraw", "close"]), st.integers(0, 5)
    ),
    *[st.tuples(st.just("respond"), st.integers(0, 5), st.sampled_from(TYPES))] * 3,
    *[st.tuples(st.just("review"), st.integers(0, 5), st.sampled_from(["settled", "disputed"]))] * 2,
    *[st.tuples(st.just("wait"), st.sampled_from([1, 7, 14, 20, 45]))] * 2,
    st.tuples(st.just("merge"), st.integers(0, 1)),
)


def run(
    action: tuple[Any, ...], complaints: list[Complaint], platforms: list[Any], officer: Officer, clock: MovingClock
) -> None:
    """One step, as an officer, the platform's responder or the consumer would take it."""
    name = action[0]
    if name == "wait":
        clock.advance(action[1])
        return
    if name == "merge":  # one of the two answering platforms into the third, which has no responder
        source = platforms[action[1]]
        if source.merged_into_id is None:
            merge_platforms(source, platforms[2], by=officer)
        return
    complaint = complaints[action[1]]
    # an answer or a review goes, by its number, to one of the complaints where it is possible, if any
    possible = {"respond": platform_loop.can_answer, "review": platform_loop.can_review}.get(name)
    if possible is not None:
        ready = [c for c in complaints if possible(c)] or complaints
        complaint = ready[action[1] % len(ready)]
    if name in ("accept_send", "accept_keep"):
        decision = triage.TriageDecision(
            codes=["ABU-01"],
            primary_code="ABU-01",
            platform_id=complaint.platform_id,
            send_to_platform=name == "accept_send",
        )
        triage.accept(complaint, decision, by=officer)
    elif name == "reject":
        triage.reject(complaint, Resolution.REJECTED_INSUFFICIENT, "信息不足", by=officer)
    elif name == "send":
        platform_loop.send(complaint, by=officer)
    elif name == "withdraw":
        filing.withdraw_complaint(complaint, delete_evidence=False, store=evidence_store())
    elif name == "close":
        triage.close(complaint, Resolution.UNRESOLVED, by=officer)
    elif name == "respond":
        responder = db.session.scalar(
            select(Officer).where(Officer.role == "responder", Officer.platform_id == complaint.platform_id)
        )
        if responder is not None:
            platform_loop.respond(complaint, responder, action[2], "我们已核实并停止了催收。")
    elif name == "review":
        platform_loop.review(complaint, action[2], "答复没有解决问题，催收仍在继续。")


def expected_overdue() -> dict[int, int]:
    """Deadlines passed without an answer, per platform, recounted complaint by complaint in Python."""
    moment, out = answers.as_of(), {}
    for c in db.session.scalars(select(Complaint)):
        if rollup.is_public(c.status, c.resolution, c.accepted_at, c.platform_id) and answers.overdue_at(
            c.platform_stage, c.platform_timely, c.platform_answer_due_at, c.closed_at, moment
        ):
            out[c.platform_id] = out.get(c.platform_id, 0) + 1
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # each complaint's triage first (mostly sent, so that there is something to answer), then anything
    triaged=st.lists(
        st.sampled_from(["accept_send", "accept_send", "accept_send", "accept_keep", "reject", "leave"]),
        min_size=COMPLAINTS,
        max_size=COMPLAINTS,
    ),
    steps=st.lists(step, min_size=1, max_size=20),
)
def test_the_loop_keeps_the_rollup_true_and_each_responder_to_their_own_platform(
    app: Flask, monkeypatch: pytest.MonkeyPatch, triaged: list[str], steps: list[tuple[Any, ...]]
) -> None:
    _clean_database()
    limiter.reset()
    clock = MovingClock(START).install(monkeypatch)
    platforms = [PlatformFactory() for _ in range(3)]
    officer = make_officer("loop-property@example.test")
    responders = [make_responder(platforms[i].id, f"responder{i}@example.org") for i in range(2)]
    complaints = [
        ComplaintFactory(platform=platforms[i % 2], submitted_at=clock.now, fears_retaliation=i == 5)
        for i in range(COMPLAINTS)
    ]
    db.session.commit()
    first = [(name, i) for i, name in enumerate(triaged) if name != "leave"]
    for n, action in enumerate([*first, *steps]):
        try:
            with db.session.begin_nested():
                run(action, complaints, platforms, officer, clock)
        except (DomainError, InvalidTransition):
            continue
        finally:
            db.session.commit() if n % 2 else db.session.flush()
        event(f"done: {action[0]}")
    db.session.commit()
    event(f"{sum(answers.overdue_counts(ALL_TIME, answers.as_of()).values())} overdue at the end")

    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    assert answers.overdue_counts(ALL_TIME, answers.as_of()) == expected_overdue()
    for figures in answers.platform_answers(ALL_TIME).values():
        assert all(value >= 0 for value in figures.raw.values()), figures.raw

    for responder in responders:
        client = app.test_client()
        limiter.reset()
        sign_in(client, responder)
        listed = {c.id for show in Show for c in complaints_page(responder, show, 1, clock.now).complaints}
        for complaint in complaints:
            if complaint.platform_id == responder.platform_id:
                continue
            assert not platform_loop.is_visible_to(responder, complaint)
            assert complaint.id not in listed
            assert client.get(f"/respond/complaints/{complaint.reference}").status_code == 404
