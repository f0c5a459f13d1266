"""The app's clock frozen at one instant: a Beijing morning, when the UTC date is still the day before."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.core import clock

#: 05:33 on 3 November 2026 in Beijing (UTC+8) is 21:33 on 2 November in UTC.
BEIJING_MORNING = dt.datetime(2026, 11, 2, 21, 33, tzinfo=dt.UTC)
#: The date a person in Beijing calls "today" at that instant.
BEIJING_DATE = dt.date(2026, 11, 3)


def freeze_clock(monkeypatch: pytest.MonkeyPatch, instant: dt.datetime = BEIJING_MORNING) -> None:
    """Every "now" and "today" of the app (the one clock in `complaints.core.clock`) reads this instant."""
    monkeypatch.setattr(clock, "utc_now", lambda: instant)
