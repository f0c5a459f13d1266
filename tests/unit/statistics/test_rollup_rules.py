"""The rollup's rules as tables: which complaints are public, which cells one adds to, and how a change moves them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import StatCount, StatVersion
from complaints.statistics import recompute, rollup
from complaints.statistics.rollup import (
    Counts,
    add_cells,
    apply_changes,
    contributions,
    is_public,
    month_of,
    triage_days,
)
from tests.factories import ComplaintFactory
from tests.factories_stats import accepted_complaint, refer

UTC = dt.UTC

# (status, resolution, accepted?) -> counted in the public statistics?
PUBLIC = [
    ("accepted", None, True, True),
    ("referred", None, True, True),
    ("closed", "resolved", True, True),
    ("closed", "regulator_action", True, True),
    ("closed", "unresolved", True, True),
    ("closed", "withdrawn", True, False),
    ("closed", "duplicate", True, False),
    ("accepted", None, False, False),
    ("submitted", None, False, False),
    ("submitted", None, True, False),
    ("rejected", None, True, False),
    ("needs_info", None, True, False),
    ("closed", "resolved", False, False),
]


@pytest.mark.parametrize(("status", "resolution", "accepted", "expected"), PUBLIC)
def test_a_complaint_is_public_once_accepted_while_it_stands(
    status: str, resolution: str | None, accepted: bool, expected: bool
) -> None:
    accepted_at = dt.datetime(2026, 10, 7, tzinfo=UTC) if accepted else None
    assert is_public(status, resolution, accepted_at) is expected


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC), "2026-01"),
        (dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC), "2026-12"),
        (dt.datetime(987, 7, 4, tzinfo=UTC), "0987-07"),
    ],
)
def test_a_complaint_counts_in_the_month_it_was_received(moment: dt.datetime, month: str) -> None:
    assert month_of(moment) == month


SUBMITTED = dt.datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
# time from filing to acceptance -> whole days counted
DELAYS = [
    (dt.timedelta(0), 0),
    (dt.timedelta(hours=23, minutes=59), 0),
    (dt.timedelta(days=1), 1),
    (dt.timedelta(days=1, hours=23), 1),
    (dt.timedelta(days=2, seconds=1), 2),
    (dt.timedelta(days=364, hours=12), 364),
    (dt.timedelta(days=365), 365),
    (dt.timedelta(days=366), 365),
    (dt.timedelta(days=1000), 365),
    (dt.timedelta(hours=-5), 0),  # a clock skew never gives a negative delay
]


@pytest.mark.parametrize(("delay", "days"), DELAYS)
def test_the_triage_delay_is_whole_days_capped_at_a_year(delay: dt.timedelta, days: int) -> None:
    assert triage_days(SUBMITTED, SUBMITTED + delay) == days


FACTS: dict[str, Any] = {
    "month": "2026-10",
    "platform": 7,
    "collector": None,
    "status": "accepted",
    "codes": ["ABU-01"],
    "channels": ["call"],
    "province": "",
    "outcomes": ["not_referred"],
    "referred": False,
    "days": 2,
    "verified": True,
}
# month, platform, collector, code, status, dim, value  (0 = any, -1 = no collector linked)
FACTS_CELLS = [
    ("2026-10", 7, 0, "", "accepted", "", ""),
    ("2026-10", 7, -1, "", "accepted", "", ""),
    ("2026-10", 7, 0, "ABU-01", "accepted", "", ""),
    ("2026-10", 0, -1, "ABU-01", "accepted", "", ""),
    ("2026-10", 0, 0, "ABU-01", "", "channel", "call"),
    ("2026-10", 0, 0, "ABU-01", "", "province", "none"),
    ("2026-10", 0, 0, "ABU-01", "", "outcome", "not_referred"),
    ("2026-10", 7, 0, "", "", "channel", "call"),
    ("2026-10", 7, 0, "", "", "province", "none"),
    ("2026-10", 7, 0, "", "", "outcome", "not_referred"),
    ("2026-10", 7, 0, "", "", "triage_days", "2"),
    ("2026-10", 0, -1, "", "", "channel", "call"),
    ("2026-10", 0, -1, "", "", "province", "none"),
    ("2026-10", 0, -1, "", "", "outcome", "not_referred"),
]


def test_a_public_complaint_adds_one_to_each_of_its_cells_for_its_month_and_for_all_time() -> None:
    cells = contributions(FACTS)
    month_cells = {key: (1, 1, 0) for key in FACTS_CELLS}
    all_time = {("all", *key[1:]): (1, 1, 0) for key in FACTS_CELLS}
    assert cells == {**month_cells, **all_time}
    assert len(cells) == 28


def test_a_linked_referred_complaint_with_several_codes_and_channels_adds_to_every_combination() -> None:
    facts = {
        **FACTS,
        "collector": 3,
        "codes": ["ABU-01", "THR-01"],
        "channels": ["call", "sms"],
        "province": "44",
        "outcomes": ["action_taken", "declined"],
        "referred": True,
        "verified": False,
        "days": 40,
    }
    cells = contributions(facts)
    # 2 base + 2 codes x (2 + 5 dims) + 5 dims + 1 delay + 5 dims by collector, then all again
    assert len(cells) == 2 * (2 + 2 * 7 + 5 + 1 + 5)
    assert set(cells.values()) == {(1, 0, 1)}
    for key in [
        ("2026-10", 7, 3, "", "accepted", "", ""),
        ("2026-10", 0, 3, "THR-01", "accepted", "", ""),
        ("2026-10", 0, 0, "THR-01", "", "channel", "sms"),
        ("2026-10", 0, 0, "ABU-01", "", "outcome", "declined"),
        ("2026-10", 7, 0, "", "", "province", "44"),
        ("2026-10", 7, 0, "", "", "triage_days", "40"),
        ("2026-10", 0, 3, "", "", "outcome", "action_taken"),
        ("all", 0, 3, "", "", "channel", "sms"),
        ("all", 7, 0, "", "", "triage_days", "40"),
    ]:
        assert key in cells
    assert not any(key[2] == -1 for key in cells)


@pytest.mark.parametrize("facts", [None, {}])
def test_a_complaint_that_is_not_public_adds_nothing(facts: dict[str, Any] | None) -> None:
    assert contributions(facts) == {}


def test_cells_add_up_and_subtract_into_a_running_total() -> None:
    total: dict[Any, Counts] = {}
    add_cells(total, {"a": Counts(1, 1, 0), "b": Counts(1, 0, 1)})
    add_cells(total, {"a": Counts(1, 0, 1)})
    assert total == {"a": (2, 1, 1), "b": (1, 0, 1)}
    add_cells(total, {"a": Counts(1, 1, 0), "c": Counts(1, 1, 1)}, -1)
    assert total == {"a": (1, 0, 1), "b": (1, 0, 1), "c": (-1, -1, -1)}


def stored() -> dict[tuple[Any, ...], tuple[int, int, int]]:
    """The whole stored rollup, cell by cell."""
    c = StatCount
    rows = db.session.execute(
        select(
            c.month,
            c.platform_id,
            c.collector_id,
            c.code,
            c.status,
            c.dim,
            c.value,
            c.complaints,
            c.verified,
            c.referred,
        )
    ).all()
    return {tuple(row[:7]): tuple(row[7:]) for row in rows}


def version() -> int:
    row = db.session.get(StatVersion, 1)
    return row.version if row else 0


def test_the_facts_of_a_public_complaint_are_what_the_rollup_counts() -> None:
    submitted = dt.datetime(2026, 10, 5, 9, tzinfo=UTC)
    channels = ["sms", "call", "sms"]
    complaint = accepted_complaint(
        submitted, days_to_triage=3, channels=channels, province="44", codes=["TP-02", "ABU-01"]
    )
    facts = rollup.facts_for(db.session.connection(), [complaint.id, complaint.id])
    assert facts == {
        complaint.id: {
            "month": "2026-10",
            "platform": complaint.platform_id,
            "collector": None,
            "status": "accepted",
            "codes": ["ABU-01", "TP-02"],
            "channels": ["call", "sms"],
            "province": "44",
            "outcomes": ["not_referred"],
            "referred": False,
            "days": 3,
            "verified": False,
        }
    }


def test_referral_outcomes_and_verification_are_in_the_facts() -> None:
    complaint = accepted_complaint(channels=[], province=None, codes=["ABU-01"])
    refer(complaint, "NFRA", "acknowledged")
    complaint.evidence_verified = True
    db.session.commit()
    facts = rollup.facts_for(db.session.connection(), [complaint.id])[complaint.id]
    assert facts is not None
    assert (facts["outcomes"], facts["referred"], facts["verified"]) == (["acknowledged"], True, True)
    assert (facts["channels"], facts["province"], facts["status"]) == ([], "", "referred")


def test_a_complaint_not_public_or_gone_has_no_facts() -> None:
    public = accepted_complaint()
    pending = ComplaintFactory()
    facts = rollup.facts_for(db.session.connection(), [pending.id, public.id, 999_999])
    assert facts[pending.id] is None
    assert facts[999_999] is None
    assert facts[public.id] is not None
    assert rollup.facts_for(db.session.connection(), []) == {}


def test_the_version_starts_at_one_and_goes_up_by_one_at_each_change() -> None:
    db.session.execute(StatVersion.__table__.delete())
    connection = db.session.connection()
    rollup.bump_version(connection)
    assert version() == 1
    first = db.session.get(StatVersion, 1)
    assert first is not None
    assert first.changed_at is not None
    rollup.bump_version(connection)
    rollup.bump_version(connection)
    db.session.expire_all()
    assert version() == 3
    assert db.session.scalar(select(StatVersion.id)) == 1


def test_applying_a_change_moves_the_cells_from_the_old_facts_to_the_new_and_bumps_the_version() -> None:
    db.session.execute(StatCount.__table__.delete())
    connection = db.session.connection()
    before = version()
    assert apply_changes(connection, {1: None}, {1: FACTS}) == 28
    assert stored() == contributions(FACTS)
    assert version() == before + 1
    second = {**FACTS, "verified": False}
    assert apply_changes(connection, {}, {2: second}) == 28
    assert stored()[FACTS_CELLS[0]] == (2, 1, 0)
    # the first complaint is referred: only the flags and its outcome move
    referred = {**FACTS, "referred": True, "outcomes": ["sent"]}
    moved = apply_changes(connection, {1: FACTS}, {1: referred})
    # 22 cells flip their referred flag; 6 "not_referred" cells lose the complaint and 6 "sent" cells gain it
    assert moved == 22 + 6 + 6
    now = stored()
    assert now[FACTS_CELLS[0]] == (2, 1, 1)
    assert now[("2026-10", 7, 0, "", "", "outcome", "not_referred")] == (1, 0, 0)
    assert now[("2026-10", 7, 0, "", "", "outcome", "sent")] == (1, 1, 1)


def test_a_cell_left_with_no_complaint_is_deleted_and_one_still_counting_is_kept() -> None:
    db.session.execute(StatCount.__table__.delete())
    connection = db.session.connection()
    apply_changes(connection, {}, {1: FACTS, 2: FACTS})
    apply_changes(connection, {1: FACTS}, {1: None})
    assert stored() == {key: (1, 1, 0) for key in contributions(FACTS)}
    apply_changes(connection, {2: FACTS}, {})
    assert stored() == {}


def test_an_unchanged_complaint_moves_nothing_and_leaves_the_version() -> None:
    db.session.execute(StatCount.__table__.delete())
    connection = db.session.connection()
    apply_changes(connection, {}, {1: FACTS})
    before = version()
    assert apply_changes(connection, {1: FACTS}, {1: dict(FACTS)}) == 0
    assert apply_changes(connection, {}, {}) == 0
    assert apply_changes(connection, {1: None}, {1: None}) == 0
    assert version() == before


def test_a_verification_alone_moves_the_verified_count_of_every_cell() -> None:
    db.session.execute(StatCount.__table__.delete())
    connection = db.session.connection()
    unverified = {**FACTS, "verified": False}
    apply_changes(connection, {}, {1: unverified})
    assert apply_changes(connection, {1: unverified}, {1: FACTS}) == 28
    assert set(stored().values()) == {(1, 1, 0)}


def test_a_referral_flag_alone_moves_the_referred_count() -> None:
    db.session.execute(StatCount.__table__.delete())
    connection = db.session.connection()
    apply_changes(connection, {}, {1: FACTS})
    flagged = {**FACTS, "referred": True}
    assert apply_changes(connection, {1: FACTS}, {1: flagged}) == 28
    assert set(stored().values()) == {(1, 1, 1)}


def test_a_recomputation_reports_what_is_missing_and_replaces_the_rollup() -> None:
    complaint = accepted_complaint()
    expected = stored()
    assert len(expected) > 0
    db.session.execute(StatCount.__table__.delete().where(StatCount.month == "all"))
    check = recompute.rebuild(db.session.connection(), verify_only=True)
    assert check.complaints == 1
    assert len(check.differences) == len(expected) // 2
    assert check.cells == len(expected) // 2
    before = version()
    report = recompute.rebuild(db.session.connection())
    assert report.complaints == 1
    assert len(report.differences) == len(expected) // 2  # compared by default
    assert report.cells == len(expected)
    assert stored() == expected
    assert version() == before + 1
    quiet = recompute.rebuild(db.session.connection(), compare=False)
    assert quiet.differences == []
    assert quiet.cells == len(expected)
    assert complaint.id


def test_a_recomputation_of_nothing_counts_no_cell() -> None:
    db.session.execute(StatCount.__table__.delete())
    report = recompute.rebuild(db.session.connection())
    assert (report.complaints, report.cells, report.differences) == (0, 0, [])
