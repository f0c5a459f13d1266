"""The platform response loop driven through its real operations, on a clock the test moves (fictional data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from complaints.casework import platform_loop, triage
from complaints.core import clock
from complaints.extensions import db
from complaints.models import Complaint, Officer, Platform, PlatformStage
from complaints.models.response import ANSWER_DAYS
from tests.factories import ComplaintFactory
from tests.factories_officer import make_officer

#: The instant the loop's tests start at: 9:00 UTC on 5 October 2026.
START = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
ANSWER_TEXT = "我们已停止催收并向您致歉。"


@dataclass
class MovingClock:
    """The app's one clock, frozen at an instant a test moves forward (`advance`)."""

    now: dt.datetime = START

    def install(self, monkeypatch: pytest.MonkeyPatch) -> MovingClock:
        """Make every "now" of the app read this clock."""
        monkeypatch.setattr(clock, "utc_now", lambda: self.now)
        return self

    def advance(self, days: float) -> None:
        """Let `days` pass."""
        self.now += dt.timedelta(days=days)


def triage_officer(email: str = "loop-officer@example.test") -> Officer:
    """The officer who triages and sends."""
    return make_officer(email)


def accepted(platform: Platform, officer: Officer, *, send: bool = True, **values: object) -> Complaint:
    """A complaint filed now and accepted at triage, sent to its platform unless `send` is false."""
    complaint: Complaint = ComplaintFactory(platform=platform, submitted_at=clock.utc_now(), **values)
    decision = triage.TriageDecision(
        codes=["ABU-01", "TP-02"], primary_code="ABU-01", platform_id=platform.id, send_to_platform=send
    )
    triage.accept(complaint, decision, by=officer)
    db.session.commit()
    return complaint


def answer(complaint: Complaint, responder: Officer, response_type: str) -> None:
    """The platform answers (the clock decides whether in time)."""
    platform_loop.respond(complaint, responder, response_type, ANSWER_TEXT)
    db.session.commit()


def review(complaint: Complaint, verdict: str) -> None:
    """The consumer settles or disputes the final answer."""
    platform_loop.review(complaint, verdict, "答复没有解决问题，催收仍在继续。")
    db.session.commit()


#: Platform stages after an answer, with the consumer's review each implies.
_REVIEWS = {PlatformStage.SETTLED: "settled", PlatformStage.DISPUTED: "disputed"}


def at_platform_stage(platform: Platform, stage: PlatformStage, *, closed: bool = False, **values: object) -> Complaint:
    """A complaint sent to the platform a day ago and standing at `stage` now, built directly (no events).

    For tests that need many complaints in every stage quickly (the fuzzer); the loop's own tests go
    through its operations (`accepted`, `answer`, `review`).
    """
    now = clock.utc_now()
    sent = now - dt.timedelta(days=1)
    answered = stage not in (PlatformStage.AWAITING, PlatformStage.IN_PROGRESS)
    complaint: Complaint = ComplaintFactory(
        platform=platform,
        status="closed" if closed else "accepted",
        resolution="resolved" if closed else None,
        accepted_at=sent,
        platform_stage=stage.value,
        sent_to_platform_at=sent,
        platform_answer_due_at=None if answered else sent + dt.timedelta(days=ANSWER_DAYS),
        platform_answered_at=now - dt.timedelta(hours=1) if answered else None,
        consumer_review=_REVIEWS.get(stage, ""),
        **values,
    )
    db.session.commit()
    return complaint
