"""The fixed statistics periods: which URL keys name a period, which months each covers, and the list offered."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.extensions import db
from complaints.models.stats import StatCount
from complaints.statistics import rollup
from complaints.statistics.periods import ALL_TIME, Period, available_periods, known_months, parse_period
from tests.factories_stats import accepted_complaint

# key in the URL -> (kind, key, first month, last month)
PARSED = [
    ("2026-01", ("month", "2026-01", "2026-01", "2026-01")),
    ("2026-09", ("month", "2026-09", "2026-09", "2026-09")),
    ("2026-10", ("month", "2026-10", "2026-10", "2026-10")),
    ("2026-12", ("month", "2026-12", "2026-12", "2026-12")),
    ("2026-Q1", ("quarter", "2026-Q1", "2026-01", "2026-03")),
    ("2026-Q2", ("quarter", "2026-Q2", "2026-04", "2026-06")),
    ("2026-Q3", ("quarter", "2026-Q3", "2026-07", "2026-09")),
    ("2026-Q4", ("quarter", "2026-Q4", "2026-10", "2026-12")),
    ("2019-Q4", ("quarter", "2019-Q4", "2019-10", "2019-12")),
    ("2026", ("year", "2026", "2026-01", "2026-12")),
    ("2019", ("year", "2019", "2019-01", "2019-12")),
    ("all", ("all", "all", "0000-01", "9999-12")),
    ("  2026-Q2 ", ("quarter", "2026-Q2", "2026-04", "2026-06")),
    (" 2026 ", ("year", "2026", "2026-01", "2026-12")),
    ("\t2026-11\n", ("month", "2026-11", "2026-11", "2026-11")),
    (" all ", ("all", "all", "0000-01", "9999-12")),
]


@pytest.mark.parametrize(("raw", "expected"), PARSED)
def test_a_url_key_names_one_fixed_period(raw: str, expected: tuple[str, str, str, str]) -> None:
    period = parse_period(raw)
    assert period is not None
    assert (period.kind, period.key, period.first, period.last) == expected


@pytest.mark.parametrize("raw", [None, ""])
def test_no_period_in_the_url_means_all_time(raw: str | None) -> None:
    assert parse_period(raw) == ALL_TIME
    assert parse_period(raw) == Period("all", "all", "0000-01", "9999-12")


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13",
        "2026-00",
        "2026-1",
        "2026-Q0",
        "2026-Q5",
        "2026-q1",
        "26",
        "20261",
        "2026/11",
        "2026-11-01",
        "Q1-2026",
        "all time",
        "ALL",
        "last-30-days",
        "2026-01..2026-03",
    ],
)
def test_anything_else_names_no_period(raw: str) -> None:
    assert parse_period(raw) is None


# period key -> the months it covers, written out by hand
MONTHS = [
    ("2026-01", ["2026-01"]),
    ("2026-10", ["2026-10"]),
    ("2026-12", ["2026-12"]),
    ("2026-Q1", ["2026-01", "2026-02", "2026-03"]),
    ("2026-Q2", ["2026-04", "2026-05", "2026-06"]),
    ("2026-Q3", ["2026-07", "2026-08", "2026-09"]),
    ("2026-Q4", ["2026-10", "2026-11", "2026-12"]),
    (
        "2025",
        [
            "2025-01",
            "2025-02",
            "2025-03",
            "2025-04",
            "2025-05",
            "2025-06",
            "2025-07",
            "2025-08",
            "2025-09",
            "2025-10",
            "2025-11",
            "2025-12",
        ],
    ),
]


@pytest.mark.parametrize(("key", "expected"), MONTHS)
def test_a_period_covers_exactly_its_months_first_to_last(key: str, expected: list[str]) -> None:
    period = parse_period(key)
    assert period is not None
    assert period.months(["2024-05", "2027-01"]) == expected


def test_the_walk_from_first_to_last_month_crosses_a_year_end_into_january() -> None:
    span = Period("span", "2025-11..2026-02", "2025-11", "2026-02")
    assert span.months([]) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    across = Period("span", "2024-12..2025-01", "2024-12", "2025-01")
    assert across.months([]) == ["2024-12", "2025-01"]


def test_all_time_covers_the_months_that_have_data_and_nothing_else() -> None:
    known = ["2025-11", "2026-02", "2026-10"]
    assert ALL_TIME.months(known) == ["2025-11", "2026-02", "2026-10"]
    assert ALL_TIME.months([]) == []


def test_the_periods_offered_are_all_time_then_years_quarters_and_months_newest_first() -> None:
    offered = available_periods(["2025-12", "2026-01", "2026-02", "2026-04", "2026-07", "2026-10", "2026-12"])
    assert [p.key for p in offered] == [
        "all",
        "2026",
        "2025",
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
        "2025-Q4",
        "2026-12",
        "2026-10",
        "2026-07",
        "2026-04",
        "2026-02",
        "2026-01",
        "2025-12",
    ]
    assert [p.kind for p in offered] == ["all"] + ["year"] * 2 + ["quarter"] * 5 + ["month"] * 7


# a month -> the quarter it is offered under
QUARTER_OF = [
    ("2026-01", "2026-Q1"),
    ("2026-02", "2026-Q1"),
    ("2026-03", "2026-Q1"),
    ("2026-04", "2026-Q2"),
    ("2026-05", "2026-Q2"),
    ("2026-06", "2026-Q2"),
    ("2026-07", "2026-Q3"),
    ("2026-08", "2026-Q3"),
    ("2026-09", "2026-Q3"),
    ("2026-10", "2026-Q4"),
    ("2026-11", "2026-Q4"),
    ("2026-12", "2026-Q4"),
]


@pytest.mark.parametrize(("month", "quarter"), QUARTER_OF)
def test_a_month_with_data_offers_its_year_and_its_quarter(month: str, quarter: str) -> None:
    assert [p.key for p in available_periods([month])] == ["all", "2026", quarter, month]


def test_without_data_only_all_time_is_offered() -> None:
    assert available_periods([]) == [ALL_TIME]


def test_months_sharing_a_quarter_offer_it_once() -> None:
    keys = [p.key for p in available_periods(["2026-05", "2026-04", "2026-06"])]
    assert keys == ["all", "2026", "2026-Q2", "2026-06", "2026-05", "2026-04"]


@pytest.fixture
def fresh_memo() -> None:
    """Rows written by hand below bump the rollup version, as the rollup does, so no memo is stale."""
    rollup.bump_version(db.session.connection())
    db.session.commit()


def cell(month: str, *, collector: int = 0, code: str = "", dim: str = "", value: str = "") -> StatCount:
    """One rollup row for platform 1 (what `rollup.contributions` writes)."""
    status = "" if dim else "accepted"
    return StatCount(
        month=month, platform_id=1, collector_id=collector, code=code, status=status, dim=dim, value=value, complaints=1
    )


def test_known_months_are_the_months_of_public_complaints_oldest_first() -> None:
    accepted_complaint(dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC))
    accepted_complaint(dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC))
    accepted_complaint(dt.datetime(2026, 1, 2, 8, tzinfo=dt.UTC))
    accepted_complaint(dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC))
    assert known_months() == ["2025-12", "2026-01", "2026-10"]
    assert [p.key for p in available_periods()] == [
        "all",
        "2026",
        "2025",
        "2026-Q4",
        "2026-Q1",
        "2025-Q4",
        "2026-10",
        "2026-01",
        "2025-12",
    ]


def test_no_public_complaint_means_no_known_month() -> None:
    assert known_months() == []
    assert available_periods() == [ALL_TIME]


def test_given_months_are_used_instead_of_the_database() -> None:
    accepted_complaint(dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC))
    assert [p.key for p in available_periods(["2024-03"])] == ["all", "2024", "2024-Q1", "2024-03"]


def test_known_months_read_only_the_platform_total_rows_of_real_months(fresh_memo: None) -> None:
    db.session.add_all(
        [
            cell("2026-03"),
            cell("all"),
            cell("2026-04", collector=7),
            cell("2026-05", code="ABU-01"),
            cell("2026-06", dim="province", value="44"),
            cell("2026-07", collector=1),
        ]
    )
    db.session.commit()
    rollup.bump_version(db.session.connection())
    db.session.commit()
    assert known_months() == ["2026-03"]


@pytest.mark.parametrize("raw", ["２０２６", "٢٠٢٦", "２０２６-11", "２０２６-Q1"])
def test_a_key_in_non_ascii_digits_names_no_period(raw: str) -> None:
    assert parse_period(raw) is None


@pytest.mark.parametrize("last", ["２０２６-12", "9999-12", "zzzz"])
def test_no_period_counts_more_than_twelve_months_whatever_its_last_month(last: str) -> None:
    """The bound holds even for a period built by hand with a last month no loop would reach."""
    assert Period("year", "2026", "2026-01", last).months([]) == [f"2026-{m:02d}" for m in range(1, 13)]
