"""The one clock: "today" is the display time zone's today, whatever the UTC date says."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from complaints.core import clock
from complaints.models.base import utcnow
from tests.frozen_clock import BEIJING_DATE, BEIJING_MORNING, freeze_clock


def test_at_half_past_five_in_beijing_today_is_the_beijing_date(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_clock(monkeypatch)
    assert BEIJING_MORNING.date() == dt.date(2026, 11, 2)
    assert clock.local_today() == BEIJING_DATE
    assert utcnow() == BEIJING_MORNING  # the models' timestamps read the same clock


def test_today_follows_the_configured_display_time_zone(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_clock(monkeypatch)
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "UTC")
    assert clock.local_today() == dt.date(2026, 11, 2)
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Not/AZone")
    with pytest.raises(RuntimeError, match="Not/AZone"):
        clock.local_today()


def test_a_stored_timestamp_falls_on_its_beijing_date() -> None:
    assert clock.local_date(dt.datetime(2026, 11, 2, 16, 0, tzinfo=dt.UTC)) == BEIJING_DATE
    assert clock.local_date(dt.datetime(2026, 11, 2, 15, 59)) == dt.date(2026, 11, 2)  # naive values are UTC


def test_a_beijing_day_starts_at_four_in_the_afternoon_utc_the_day_before() -> None:
    assert clock.start_of_local_day(BEIJING_DATE) == dt.datetime(2026, 11, 2, 16, 0, tzinfo=dt.UTC)
