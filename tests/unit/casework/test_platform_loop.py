"""The platform response loop's rules: the stage graph written out by hand, deadlines, timeliness, who may answer."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from complaints.casework import platform_loop, triage
from complaints.casework.lifecycle import Action, apply_transition
from complaints.casework.platform_loop import RULES, Step
from complaints.casework.triage import TriageDecision
from complaints.core import clock
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, PlatformStage, Resolution
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer, make_responder

P = PlatformStage
_OFFICERS = itertools.count(1)
START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)

#: Every allowed (step, from) → to, written by hand from the issue, not derived from RULES.
ALLOWED: dict[tuple[Step, PlatformStage], PlatformStage] = {
    (Step.SEND, P.NOT_SENT): P.AWAITING,
    (Step.SEND, P.WITHHELD): P.AWAITING,
    (Step.SEND, P.NOT_OUR_CUSTOMER): P.AWAITING,
    (Step.WITHHOLD, P.NOT_SENT): P.WITHHELD,
    (Step.ANSWER_IN_PROGRESS, P.AWAITING): P.IN_PROGRESS,
    (Step.ANSWER_FINAL, P.AWAITING): P.ANSWERED,
    (Step.ANSWER_FINAL, P.IN_PROGRESS): P.ANSWERED,
    (Step.ANSWER_NOT_OUR_CUSTOMER, P.AWAITING): P.NOT_OUR_CUSTOMER,
    (Step.ANSWER_NOT_OUR_CUSTOMER, P.IN_PROGRESS): P.NOT_OUR_CUSTOMER,
    (Step.SETTLE, P.ANSWERED): P.SETTLED,
    (Step.DISPUTE, P.ANSWERED): P.DISPUTED,
}


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The app's clock, movable: tests set ``now[0]``."""
    instant = [START]
    monkeypatch.setattr(clock, "utc_now", lambda: instant[0])
    return instant


def test_the_graph_is_exactly_the_hand_written_table() -> None:
    drawn = {(step, source): rule.target for step, rule in RULES.items() for source in rule.sources}
    assert drawn == ALLOWED


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("stage", list(PlatformStage))
def test_every_step_from_every_stage_moves_as_the_table_says_or_is_refused(step: Step, stage: PlatformStage) -> None:
    complaint = Complaint(platform_stage=stage.value)
    if (step, stage) in ALLOWED:
        assert platform_loop._move(complaint, step) == stage
        assert complaint.platform_stage == ALLOWED[(step, stage)].value
    else:
        with pytest.raises(DomainError):
            platform_loop._move(complaint, step)
        assert complaint.platform_stage == stage.value


def accepted(*, send: bool = True, severity: str = "normal", **values: object) -> Complaint:
    officer = make_officer(f"triage{next(_OFFICERS)}@example.org")
    complaint = ComplaintFactory(**values)
    triage.accept(
        complaint,
        TriageDecision(codes=["ABU-01"], primary_code="ABU-01", severity=severity, send_to_platform=send),
        by=officer,
    )
    db.session.commit()
    return complaint


def events(complaint: Complaint, kind: str) -> list[CaseEvent]:
    stmt = select(CaseEvent).where(CaseEvent.complaint_id == complaint.id, CaseEvent.kind == kind)
    return list(db.session.scalars(stmt.order_by(CaseEvent.id)))


def test_triage_sends_an_accepted_complaint_with_a_deadline_fifteen_days_on(now: list[dt.datetime]) -> None:
    complaint = accepted()
    assert complaint.platform_stage == "awaiting"
    assert complaint.sent_to_platform_at == START
    assert complaint.platform_answer_due_at == START + dt.timedelta(days=15)
    [sent] = events(complaint, "platform_sent")
    assert sent.visible_to_complainant and sent.data["due"] == "2026-11-17"


def test_triage_that_does_not_send_records_the_decision_with_its_reason(now: list[dt.datetime]) -> None:
    plain, urgent = accepted(send=False), accepted(send=False, severity="urgent")
    assert plain.platform_stage == urgent.platform_stage == "withheld"
    assert plain.sent_to_platform_at is None
    assert events(plain, "platform_withheld")[0].data["reason_code"] == "officer"
    assert events(urgent, "platform_withheld")[0].data["reason_code"] == "urgent"


def test_the_default_is_to_send_except_for_fear_of_retaliation_or_urgency() -> None:
    assert platform_loop.send_by_default(Complaint(severity="normal", fears_retaliation=False))
    assert platform_loop.send_by_default(Complaint(severity="high", fears_retaliation=False))
    assert not platform_loop.send_by_default(Complaint(severity="urgent", fears_retaliation=False))
    assert not platform_loop.send_by_default(Complaint(severity="normal", fears_retaliation=True))


def test_a_complaint_whose_consumer_fears_retaliation_is_never_sent(now: list[dt.datetime]) -> None:
    officer = make_officer()
    complaint = ComplaintFactory(fears_retaliation=True)
    with pytest.raises(DomainError) as refused:
        triage.accept(
            complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True), by=officer
        )
    assert refused.value.field == "send_to_platform"
    db.session.rollback()
    kept = accepted(send=False, fears_retaliation=True)
    assert events(kept, "platform_withheld")[0].data["reason_code"] == "retaliation"
    assert not platform_loop.can_send(kept)
    with pytest.raises(DomainError):
        platform_loop.send(kept, by=officer)
    assert kept.platform_stage == "withheld"


def test_an_officer_can_send_later_what_triage_did_not(now: list[dt.datetime]) -> None:
    complaint = accepted(send=False)
    assert platform_loop.can_send(complaint)
    platform_loop.send(complaint, by=make_officer("later@example.org"))
    assert complaint.platform_stage == "awaiting"


def test_a_complaint_not_accepted_cannot_be_sent() -> None:
    complaint = ComplaintFactory()
    assert not platform_loop.can_send(complaint)
    with pytest.raises(DomainError):
        platform_loop.send(complaint, by=make_officer())


def test_an_unverified_platform_cannot_be_sent_to(now: list[dt.datetime]) -> None:
    complaint = accepted(send=False)
    assert complaint.platform is not None
    complaint.platform.verified = False
    assert not platform_loop.can_send(complaint)


def responder_of(complaint: Complaint, email: str = "rep@example.org") -> object:
    assert complaint.platform_id is not None
    return make_responder(complaint.platform_id, email)


def test_an_answer_in_time_is_timely_and_opens_the_consumers_review_for_thirty_days(now: list[dt.datetime]) -> None:
    complaint = accepted()
    now[0] = START + dt.timedelta(days=15)  # the last instant still in time
    response = platform_loop.respond(
        complaint, responder_of(complaint), "non_monetary_relief", "催收已经停止，并已道歉。"
    )
    assert complaint.platform_stage == "answered" and complaint.platform_timely is True
    assert complaint.platform_answered_at == now[0] and complaint.platform_answer_due_at is None
    assert response.platform_id == complaint.platform_id
    assert platform_loop.review_deadline(complaint) == now[0] + dt.timedelta(days=30)
    assert platform_loop.can_review(complaint, now[0] + dt.timedelta(days=30))
    assert not platform_loop.can_review(complaint, now[0] + dt.timedelta(days=30, seconds=1))


def test_an_answer_a_second_late_is_not_timely(now: list[dt.datetime]) -> None:
    complaint = accepted()
    now[0] = START + dt.timedelta(days=15, seconds=1)
    assert platform_loop.is_overdue(complaint)
    platform_loop.respond(complaint, responder_of(complaint), "explanation", "这是我们的解释说明。")
    assert complaint.platform_timely is False and not platform_loop.is_overdue(complaint)


def test_in_progress_moves_the_deadline_to_sixty_days_after_sending(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    now[0] = START + dt.timedelta(days=3)
    platform_loop.respond(complaint, responder, "in_progress", "正在调查，请稍候。")
    assert complaint.platform_stage == "in_progress" and complaint.platform_timely is None
    assert complaint.platform_answer_due_at == START + dt.timedelta(days=60)
    assert [t.value for t in platform_loop.answer_types(complaint)] == [
        "monetary_relief",
        "non_monetary_relief",
        "explanation",
        "not_our_customer",
    ], "no second in-progress"
    now[0] = START + dt.timedelta(days=59)
    platform_loop.respond(complaint, responder, "monetary_relief", "已退还全部服务费。")
    assert complaint.platform_timely is True and complaint.platform_stage == "answered"


def test_a_late_interim_answer_makes_the_whole_answer_late(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    now[0] = START + dt.timedelta(days=16)
    platform_loop.respond(complaint, responder, "in_progress", "正在调查，请稍候。")
    assert complaint.platform_timely is False
    now[0] = START + dt.timedelta(days=20)
    platform_loop.respond(complaint, responder, "explanation", "这是我们的解释说明。")
    assert complaint.platform_timely is False


def test_a_final_answer_after_sixty_days_is_late(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    platform_loop.respond(complaint, responder, "in_progress", "正在调查，请稍候。")
    now[0] = START + dt.timedelta(days=61)
    assert platform_loop.is_overdue(complaint)
    platform_loop.respond(complaint, responder, "explanation", "这是我们的解释说明。")
    assert complaint.platform_timely is False


def test_not_our_customer_goes_back_to_an_officer_who_may_send_it_again(now: list[dt.datetime]) -> None:
    complaint = accepted()
    platform_loop.respond(complaint, responder_of(complaint), "not_our_customer", "查无此客户的借款记录。")
    assert complaint.platform_stage == "not_our_customer"
    assert PlatformStage.NOT_OUR_CUSTOMER in platform_loop.BACK_TO_OFFICER
    assert platform_loop.can_send(complaint)
    now[0] = START + dt.timedelta(days=40)
    platform_loop.send(complaint, by=make_officer("again@example.org"))
    assert complaint.platform_answer_due_at == now[0] + dt.timedelta(days=15)
    assert complaint.platform_timely is None and complaint.platform_answered_at is None


def test_only_the_platforms_own_responder_may_answer(now: list[dt.datetime]) -> None:
    complaint = accepted()
    stranger = make_responder(PlatformFactory().id, "stranger@example.org")
    with pytest.raises(DomainError):
        platform_loop.respond(complaint, stranger, "explanation", "这是我们的解释说明。")
    officer = make_officer("not-a-responder@example.org")
    assert not platform_loop.is_visible_to(officer, complaint)
    with pytest.raises(DomainError):
        platform_loop.respond(complaint, officer, "explanation", "这是我们的解释说明。")
    assert complaint.platform_stage == "awaiting" and complaint.platform_responses == []


def test_a_disabled_responder_sees_nothing(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    assert platform_loop.is_visible_to(responder, complaint)
    responder.active = False  # type: ignore[attr-defined]
    assert not platform_loop.is_visible_to(responder, complaint)


def test_a_withdrawn_complaint_disappears_from_the_platform_and_cannot_be_answered(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    apply_transition(complaint, Action.WITHDRAW, resolution=Resolution.WITHDRAWN)
    assert not platform_loop.is_visible_to(responder, complaint)
    with pytest.raises(DomainError):
        platform_loop.respond(complaint, responder, "explanation", "这是我们的解释说明。")


def test_a_closed_complaint_cannot_be_answered_nor_reviewed(now: list[dt.datetime]) -> None:
    complaint = accepted()
    responder = responder_of(complaint)
    platform_loop.respond(complaint, responder, "in_progress", "正在调查，请稍候。")
    triage.close(complaint, Resolution.UNRESOLVED, by=make_officer("closer@example.org"))
    assert platform_loop.answer_types(complaint) == []
    with pytest.raises(DomainError):
        platform_loop.respond(complaint, responder, "explanation", "这是我们的解释说明。")


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("apology", "这是我们的解释说明。", "response_type"),
        ("explanation", "太短了", "text"),
        ("explanation", "x" * 5001, "text"),
    ],
)
def test_a_bad_answer_is_refused_beside_its_field(now: list[dt.datetime], kind: str, text: str, field: str) -> None:
    complaint = accepted()
    with pytest.raises(DomainError) as refused:
        platform_loop.respond(complaint, responder_of(complaint), kind, text)
    assert refused.value.field == field
    assert complaint.platform_stage == "awaiting"


def test_the_consumer_settles_or_disputes_once_and_a_dispute_needs_a_reason(now: list[dt.datetime]) -> None:
    settled, disputed = accepted(), accepted()
    for complaint in (settled, disputed):
        platform_loop.respond(
            complaint, responder_of(complaint, f"r{complaint.id}@example.org"), "explanation", "解释说明如下。"
        )
    platform_loop.review(settled, "settled")
    assert (settled.platform_stage, settled.consumer_review) == ("settled", "settled")
    assert settled.status == "accepted", "a reply never resolves a complaint by itself"
    with pytest.raises(DomainError) as no_reason:
        platform_loop.review(disputed, "disputed", "不行")
    assert no_reason.value.field == "reason" and disputed.platform_stage == "answered"
    platform_loop.review(disputed, "disputed", "催收电话还在继续，没有任何改变。")
    assert disputed.platform_stage == "disputed" and disputed.consumer_reviewed_at == START
    [event] = events(disputed, "consumer_reviewed")
    assert event.actor_type == "complainant" and event.data["reason"].startswith("催收电话")
    with pytest.raises(DomainError):
        platform_loop.review(disputed, "settled")


def test_the_review_window_closes_after_thirty_days(now: list[dt.datetime]) -> None:
    complaint = accepted()
    platform_loop.respond(complaint, responder_of(complaint), "explanation", "解释说明如下。")
    now[0] = START + dt.timedelta(days=30, seconds=1)
    with pytest.raises(DomainError) as late:
        platform_loop.review(complaint, "disputed", "催收电话还在继续，没有任何改变。")
    assert late.value.field == "verdict" and complaint.platform_stage == "answered"


def test_overdue_clause_finds_exactly_what_is_overdue_says(now: list[dt.datetime]) -> None:
    waiting, answered, withheld = accepted(), accepted(), accepted(send=False)
    platform_loop.respond(answered, responder_of(answered), "explanation", "解释说明如下。")
    db.session.commit()
    later = START + dt.timedelta(days=16)
    found = set(db.session.scalars(select(Complaint.id).where(platform_loop.overdue_clause(later))))
    assert found == {waiting.id}
    assert [platform_loop.is_overdue(c, later) for c in (waiting, answered, withheld)] == [True, False, False]
