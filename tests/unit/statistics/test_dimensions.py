"""The registry of statistics dimensions: every dimension has its SQL, and one entry plus its SQL is a new breakdown."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import StatCount
from complaints.models.stats import ANY
from complaints.statistics import dimensions, recompute, tables
from complaints.statistics.datasets import COUNT_COLUMNS
from complaints.statistics.dimensions import CODE, DIMENSIONS, MONTH_POSITION, PLATFORM, Breakdown, Dimension
from complaints.statistics.periods import ALL_TIME
from tests.factories import PlatformFactory
from tests.factories_stats import accepted_complaint

#: A dimension no deployment has: whether a complaint's evidence was verified, split by status.
EVIDENCE = Dimension(
    "evidence",
    lambda facts: ["verified" if facts["verified"] else "unverified"],
    cuts=frozenset({PLATFORM, CODE}),
    by_status=True,
    breakdown=Breakdown("By evidence", "Evidence", lambda value: value.title(), additive=True, position=50),
)
EVIDENCE_SQL = "SELECT pc.id AS id, CASE WHEN pc.verified = 1 THEN 'verified' ELSE 'unverified' END AS value FROM pc"


def test_every_registered_dimension_has_its_sql_in_the_rebuild() -> None:
    recompute.check_dimension_sql()
    assert set(recompute.DIMENSION_SQL) == {d.key for d in DIMENSIONS}, "SQL for a dimension no longer registered"


def test_a_dimension_without_sql_fails_naming_the_file_to_add_it_to(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(recompute.DimensionWithoutSQLError, match=r"'evidence'.*complaints/statistics/recompute\.py"):
        recompute.check_dimension_sql((*DIMENSIONS, EVIDENCE))
    monkeypatch.setattr(dimensions, "DIMENSIONS", (*DIMENSIONS, EVIDENCE))
    with pytest.raises(recompute.DimensionWithoutSQLError, match=r"statistics/recompute\.py"):
        recompute.expected_sql("sqlite")


def test_the_registry_is_coherent() -> None:
    keys = [d.key for d in DIMENSIONS]
    assert len(keys) == len(set(keys))
    positions = [d.breakdown.position for d in DIMENSIONS if d.breakdown]
    assert len(positions) == len(set(positions)) and MONTH_POSITION not in positions
    for dimension in dimensions.with_dataset():  # its aggregate dataset audits each code's column against its total
        assert dimension.breakdown is not None and dimension.breakdown.additive, dimension.key
        assert dimension.key in COUNT_COLUMNS


def test_the_pages_show_the_registered_breakdowns_and_the_month_in_order(client: FlaskClient) -> None:
    platform = PlatformFactory()
    accepted_complaint(platform=platform)
    page = client.get(f"/api/v1/platforms/{platform.id}").get_json()
    assert set(page["breakdowns"]) == {
        "by_violation",
        "by_collector",
        "by_channel",
        "by_province",
        "by_month",
        "by_outcome",
    }
    with current_app.test_request_context():  # the tables link to other pages
        entity = tables.platform_page(ALL_TIME, platform.id)
    ids = [t.id for t in entity.tables]
    assert ids == ["by_violation", "by_collector", "by_channel", "by_province", "by_month", "by_outcome"]


def test_a_new_dimension_is_its_registry_entry_and_its_sql(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient
) -> None:
    """The rollup, the rebuild and the pages pick up a dimension registered with its SQL, and agree on it."""
    monkeypatch.setattr(dimensions, "DIMENSIONS", (*DIMENSIONS, EVIDENCE))
    monkeypatch.setitem(recompute.DIMENSION_SQL, "evidence", EVIDENCE_SQL)
    platform = PlatformFactory()
    for i in range(12):
        accepted_complaint(
            platform=platform, evidence_verified=i < 6, submitted=dt.datetime(2026, 3, 2 + i, tzinfo=dt.UTC)
        )
    cells = db.session.execute(
        select(StatCount.status, StatCount.value, StatCount.complaints).where(
            StatCount.dim == "evidence", StatCount.month == "all", StatCount.code == "", StatCount.collector_id == ANY
        )
    ).all()
    assert sorted(cells) == [("accepted", "unverified", 6), ("accepted", "verified", 6)]
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    page = client.get(f"/api/v1/platforms/{platform.id}").get_json()
    shown = {row["key"]: row["count"] for row in page["breakdowns"]["by_evidence"]}
    assert shown == {"verified": 6, "unverified": 6}
