"""The one clock: "now" in UTC, and "today" as people in the display time zone (DISPLAY_TIMEZONE) say it.

Timestamps are stored in UTC; every date a person sees or types (a default date, "not in the future",
"overdue", a file name, the queue's day filters) is a date in the display time zone. At 05:33 in
Beijing the UTC date is still yesterday's, so `utc_now().date()` is never "today".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

#: The display time zone where no app is at hand (and config.py's default).
DEFAULT_TIMEZONE = "Asia/Shanghai"


def utc_now() -> dt.datetime:
    """The current time in UTC, read on each call (tests freeze the app's clock here)."""
    return dt.datetime.now(dt.UTC)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # a typo in the deployment must stop it, loudly
        raise RuntimeError(f"DISPLAY_TIMEZONE {name!r} is not a known time zone") from exc


def display_timezone() -> ZoneInfo:
    """The time zone dates are shown and typed in (the app's BABEL_DEFAULT_TIMEZONE)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return _zone(str(name or DEFAULT_TIMEZONE))


def local_date(moment: dt.datetime) -> dt.date:
    """The display time zone's date of a stored (UTC) timestamp."""
    if moment.tzinfo is None:  # naive values are UTC, as the models store them
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(display_timezone()).date()


def local_today() -> dt.date:
    """Today, in the display time zone."""
    return local_date(utc_now())


def start_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC instant at which a display-time-zone date begins (for "received from/until" filters)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=display_timezone()).astimezone(dt.UTC)
