"""Fixed statistics periods: a month, a quarter, a year, or all time — never a free date range."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select

from complaints.extensions import db
from complaints.models.stats import StatCount
from complaints.statistics.memo import memoised

ALL = "all"
# ASCII digits only (`\d` alone matches every script's digits), and the whole key (`$` would let "2026\n" through).
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])", re.ASCII)
_YEAR = re.compile(r"([0-9]{4})", re.ASCII)
#: The longest fixed period that is not all time: a year.
MAX_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """A fixed bucket of months, named by its key (``all``, ``2026``, ``2026-Q4``, ``2026-11``)."""

    kind: str  # all, year, quarter, month
    key: str
    first: str  # first month, YYYY-MM
    last: str  # last month, YYYY-MM

    def months(self, known: list[str]) -> list[str]:
        """The months of this period, among the months that have data when it is all time."""
        if self.kind == "all":
            return known
        year, month = int(self.first[:4]), int(self.first[5:])
        out: list[str] = []
        while f"{year:04d}-{month:02d}" <= self.last and len(out) < MAX_MONTHS:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


ALL_TIME = Period("all", ALL, "0000-01", "9999-12")


def parse_period(raw: str | None) -> Period | None:
    """The period a URL names, or None when it names none of the fixed buckets."""
    raw = (raw or ALL).strip()
    if raw == ALL:
        return ALL_TIME
    if match := _MONTH.fullmatch(raw):
        return Period("month", raw, raw, raw)
    if match := _QUARTER.fullmatch(raw):
        year, quarter = int(match[1]), int(match[2])
        return Period("quarter", raw, f"{year:04d}-{3 * quarter - 2:02d}", f"{year:04d}-{3 * quarter:02d}")
    if match := _YEAR.fullmatch(raw):
        return Period("year", raw, f"{match[1]}-01", f"{match[1]}-12")
    return None


def known_months() -> list[str]:
    """Months that have public complaints, oldest first."""

    def read() -> list[str]:
        c = StatCount
        query = select(c.month).where(c.dim == "", c.code == "", c.month != ALL, c.collector_id == 0).distinct()
        return sorted(db.session.execute(query).scalars())

    return memoised(("known_months",), read)


def available_periods(months: list[str] | None = None) -> list[Period]:
    """All time, then every year, quarter and month that has data, newest first."""
    months = known_months() if months is None else months
    years = sorted({m[:4] for m in months}, reverse=True)
    quarters = sorted({f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months}, reverse=True)
    keys = [ALL, *years, *quarters, *sorted(months, reverse=True)]
    return [p for p in (parse_period(k) for k in keys) if p is not None]


def utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime | None] | None:
    """The UTC instants the period's months received run between (the rollup's months are UTC months).

    A request may name any year from 0000 to 9999: before year 1 the period starts at the first
    instant a date can hold, and after December 9999 it has no end.
    """
    if period.kind == "all":
        return None
    year, month = int(period.first[:4]), int(period.first[5:])
    first = dt.datetime(year, month, 1, tzinfo=dt.UTC) if year >= dt.MINYEAR else dt.datetime.min.replace(tzinfo=dt.UTC)
    year, month = int(period.last[:4]), int(period.last[5:])
    if (year, month) >= (dt.MAXYEAR, 12):
        return first, None
    if year < dt.MINYEAR:
        return first, dt.datetime(dt.MINYEAR, 1, 1, tzinfo=dt.UTC)
    after = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    return first, after


def received_in(period: Period, received: Any) -> list[ColumnElement[bool]]:
    """Conditions on a filing time column that keep the period's complaints (none for all time)."""
    bounds = utc_bounds(period)
    if bounds is None:
        return []
    first, after = bounds
    return [received >= first] if after is None else [received >= first, received < after]
