"""The rollup counts what each platform did with the complaints it was sent, and the rebuild agrees."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.intake import filing
from complaints.intake.storage import evidence_store
from complaints.models import StatCount
from complaints.statistics import recompute
from tests.factories import PlatformFactory
from tests.factories_loop import MovingClock, accepted, answer, review, triage_officer
from tests.factories_officer import make_responder


def loop_cells(platform_id: int) -> dict[tuple[str, str], int]:
    """The platform's all-time answer, response and days-to-answer cells."""
    rows = db.session.execute(
        select(StatCount.dim, StatCount.value, StatCount.complaints).where(
            StatCount.platform_id == platform_id,
            StatCount.month == "all",
            StatCount.dim.in_(["answer", "response", "answer_days"]),
        )
    )
    return {(dim, value): n for dim, value, n in rows}


def assert_rollup_matches_recomputation() -> None:
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []


def test_sending_answering_and_reviewing_move_the_platform_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    responder = make_responder(platform.id)
    on_time, late, kept = (accepted(platform, officer) for _ in range(3))
    accepted(platform, officer, send=False)
    assert loop_cells(platform.id) == {("answer", "sent"): 3}
    clock.advance(3)
    answer(on_time, responder, "non_monetary_relief")
    clock.advance(13)  # 16 days after sending: past the 15-day deadline
    answer(late, responder, "explanation")
    answer(kept, responder, "in_progress")  # late too, and no final answer yet
    review(on_time, "disputed")
    assert loop_cells(platform.id) == {
        ("answer", "sent"): 3,
        ("answer", "timely"): 1,
        ("answer", "late"): 2,
        ("answer", "answered"): 2,
        ("answer", "disputed"): 1,
        ("response", "non_monetary"): 1,
        ("response", "explanation"): 1,
        ("response", "in_progress"): 1,
        ("answer_days", "3"): 1,
        ("answer_days", "16"): 1,
    }
    assert_rollup_matches_recomputation()


def test_a_withdrawal_takes_the_answers_out_of_the_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    complaint = accepted(platform, officer)
    answer(complaint, make_responder(platform.id), "monetary_relief")
    filing.withdraw_complaint(complaint, delete_evidence=False, store=evidence_store())
    db.session.commit()
    assert loop_cells(platform.id) == {}
    assert_rollup_matches_recomputation()


def test_sent_again_after_not_our_customer_the_old_answer_no_longer_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaints.casework import platform_loop

    MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    complaint = accepted(platform, officer)
    answer(complaint, make_responder(platform.id), "not_our_customer")
    assert loop_cells(platform.id)[("response", "not_customer")] == 1
    platform_loop.send(complaint, by=officer)
    db.session.commit()
    assert loop_cells(platform.id) == {("answer", "sent"): 1}
    assert_rollup_matches_recomputation()


@pytest.mark.parametrize("raw", ["9999-12", "9999-Q4", "9999", "0001-01", "0000", "0000-12", "0000-Q1"])
def test_overdue_counts_take_every_period_a_request_can_name(raw: str) -> None:
    """Found by the API's schemathesis run: December 9999 has no next month to end at (a 500)."""
    import datetime as dt

    from complaints.statistics.answers import overdue_counts
    from complaints.statistics.periods import parse_period

    period = parse_period(raw)
    assert period is not None
    assert overdue_counts(period, dt.datetime(2026, 11, 2, tzinfo=dt.UTC)) == {}
