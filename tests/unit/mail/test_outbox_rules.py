"""The outbox's back-off schedule and states."""

from __future__ import annotations

import datetime as dt

from complaints.mail import outbox
from complaints.models import OutboxMessage


def test_the_back_off_doubles_from_the_first_wait_up_to_the_cap() -> None:
    schedule = outbox.Backoff(first=30, cap=3600)
    waits = [schedule.delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert schedule.delay(10_000) == dt.timedelta(hours=1), "no overflow after very many attempts"
    assert schedule.delay(0) == dt.timedelta(seconds=30)


def test_a_message_is_sent_failing_or_waiting() -> None:
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert outbox.state_of(OutboxMessage(sent_at=now, last_error="x")) is outbox.MailState.SENT
    assert outbox.state_of(OutboxMessage(sent_at=None, last_error="TimeoutError")) is outbox.MailState.FAILING
    assert outbox.state_of(OutboxMessage(sent_at=None, last_error="")) is outbox.MailState.WAITING
