"""The rollup's rules as tables: which complaints are public, which cells one adds to, and how a change moves them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from complaints.extensions import db
from complaints.models import Complaint, ComplaintViolation, Platform, Referral, StatCount, StatVersion
from complaints.models.stats import ANY
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
from tests.factories import ComplaintFactory, PlatformFactory
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
    assert is_public(status, resolution, accepted_at, 1) is expected


def test_a_complaint_linked_to_no_platform_is_never_public() -> None:
    accepted_at = dt.datetime(2026, 10, 7, tzinfo=UTC)
    assert not is_public("accepted", None, accepted_at, None)


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


def test_counts_add_and_take_away_field_by_field() -> None:
    assert Counts(1, 2, 3).plus(Counts(4, 5, 6)) == (5, 7, 9)
    assert Counts(5, 2, 4).plus(Counts(3, 2, 3), -1) == (2, 0, 1)
    assert all(type(n) is int for n in Counts(5, 2, 4).plus(Counts(3, 2, 3), -1))


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
            # never sent to its platform: the response loop's facts are empty
            "response": "",
            "platform_stage": "not_sent",
            "sent_to_platform_at": None,
            "platform_answered_at": None,
            "platform_timely": None,
            "consumer_review": "",
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


# --- keeping the rollup in step with the session ----------------------------------------------------


def in_step() -> bool:
    """Whether the stored rollup is what a fresh recomputation from the complaints gives."""
    return recompute.rebuild(db.session.connection(), verify_only=True).differences == []


def public_total(platform_id: int | None = None) -> int:
    """Public complaints (of one platform, or of all) counted in the all-time cells, over every status."""
    return sum(
        counts[0]
        for key, counts in stored().items()
        if key[0] == "all"
        and key[1] != ANY
        and key[2] == ANY
        and key[3] == key[5] == ""
        and platform_id in (None, key[1])
    )


def code_total(code: str) -> int:
    """Public complaints counted under a violation code (all time, any platform, over every status)."""
    return sum(
        counts[0]
        for key, counts in stored().items()
        if key[0] == "all" and key[1] != ANY and key[2] == ANY and key[3] == code and key[5] == ""
    )


LISTENERS = [
    ("before_flush", rollup._before_flush),
    ("after_flush", rollup._after_flush),
    ("do_orm_execute", rollup._bulk_statement),
    ("after_soft_rollback", rollup._forget),
]


def test_the_rollup_listens_to_flushes_bulk_statements_and_rollbacks_once_however_often_installed() -> None:
    rollup.install()
    rollup.install()
    for name, handler in LISTENERS:
        assert event.contains(db.session, name, handler), name
    complaint = accepted_complaint()
    assert public_total(complaint.platform_id) == 1  # counted once, not once per install
    assert in_step()


@pytest.mark.xfail(
    strict=True,
    reason="BUG: _after_flush takes a new complaint's id from inspect(obj).identity, which SQLAlchemy sets only "
    "after the after_flush event (the row and its id exist, the identity key comes when the flush is finalised), "
    "so a complaint inserted already public is never counted and the rollup differs from the rebuild. No app path "
    "inserts a public complaint today (intake files them as submitted; the demo inserts in Core and rebuilds)",
)
def test_a_complaint_public_from_its_first_flush_is_counted() -> None:
    submitted = dt.datetime(2026, 9, 1, tzinfo=UTC)
    complaint = ComplaintFactory.build(
        platform=PlatformFactory(), status="accepted", submitted_at=submitted, accepted_at=submitted + dt.timedelta(1)
    )
    db.session.add(complaint)
    db.session.commit()
    assert public_total(complaint.platform_id) == 1


def test_a_code_added_by_id_or_through_the_complaint_is_counted() -> None:
    complaint = accepted_complaint(codes=["ABU-01"])
    db.session.add(ComplaintViolation(complaint_id=complaint.id, code="TP-02"))
    db.session.commit()
    assert code_total("TP-02") == 1
    db.session.add(ComplaintViolation(complaint=complaint, code="THR-01"))
    db.session.commit()
    assert code_total("THR-01") == 1
    assert in_step()


def test_a_code_or_referral_moved_to_another_complaint_leaves_the_first_one() -> None:
    first = accepted_complaint(codes=["ABU-01"])
    second = accepted_complaint(codes=["TP-02"])
    referral = refer(first, status="declined")
    violation = first.violations[0]
    violation.complaint_id = second.id
    db.session.commit()
    assert code_total("ABU-01") == 1
    assert in_step()
    assert referral.complaint_id == first.id  # loaded: the flush sees which complaint it leaves
    referral.complaint_id = second.id
    db.session.commit()
    assert in_step()
    outcomes = {
        key[3::3]: counts for key, counts in stored().items() if key[:3] == ("all", ANY, ANY) and key[5] == "outcome"
    }
    assert outcomes == {("ABU-01", "declined"): (1, 0, 1), ("TP-02", "declined"): (1, 0, 1)}
    assert stored()[("all", first.platform_id, ANY, "", "", "outcome", "not_referred")] == (1, 0, 0)
    assert ("all", first.platform_id, ANY, "", "", "outcome", "declined") not in stored()


@pytest.mark.xfail(
    strict=True,
    reason="BUG: a referral or code moved to another complaint by setting complaint_id while that attribute is "
    "expired (e.g. after a commit) has no old value in its history, so _touched_ids never sees the complaint it "
    "leaves, which stays counted as referred (or under the code). No app path moves referrals or codes today",
)
def test_a_referral_moved_right_after_a_commit_leaves_the_first_complaint() -> None:
    first = accepted_complaint(codes=["ABU-01"])
    second = accepted_complaint(codes=["TP-02"])
    referral = refer(first, status="declined")
    referral.complaint_id = second.id
    db.session.commit()
    assert in_step()


def test_a_change_no_figure_reads_touches_no_complaint() -> None:
    complaint = accepted_complaint()
    complaint.severity = "high"
    complaint.narrative_published = "催收人员每天打电话。"
    assert rollup._touched_ids(db.session) == (set(), [])
    complaint.province = "31"
    assert rollup._touched_ids(db.session) == ({complaint.id}, [])
    db.session.commit()
    new = ComplaintFactory.build(platform=complaint.platform)
    db.session.add(new)
    ids, pending = rollup._touched_ids(db.session)
    assert ids == set()
    assert len(pending) == 3  # the complaint, and again through each of its two new codes
    assert all(item is new for item in pending)


def test_bulk_updates_and_deletes_of_codes_referrals_and_complaints_move_the_counts() -> None:
    first = accepted_complaint(codes=["ABU-01", "TP-02"])
    second = accepted_complaint(codes=["ABU-01"])
    refer(second)
    db.session.execute(delete(ComplaintViolation).where(ComplaintViolation.code == "ABU-01"))
    db.session.commit()
    assert code_total("ABU-01") == 0
    assert code_total("TP-02") == 1
    assert in_step()
    db.session.execute(update(Referral).values(status="action_taken"))  # no WHERE: every referral
    db.session.commit()
    assert in_step()
    db.session.execute(update(Platform).where(Platform.id == first.platform_id).values(name_en="Renamed Loans"))
    db.session.execute(update(Complaint).values(status="closed", resolution="withdrawn"))
    db.session.commit()
    assert public_total() == 0
    assert stored() == {}
    assert in_step()


def test_a_rolled_back_flush_leaves_nothing_to_apply_later() -> None:
    complaint = accepted_complaint(codes=["ABU-01"])
    db.session.add(ComplaintViolation(complaint_id=complaint.id, code="ABU-01"))  # the pair is unique
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert "stat_pending" not in db.session.info
    assert in_step()


def test_the_facts_of_more_complaints_than_one_query_takes_are_read_in_chunks() -> None:
    complaint = accepted_complaint()
    ids = [*range(-12_000, 0), complaint.id]  # the complaint comes after two full chunks
    facts = rollup.facts_for(db.session.connection(), ids)
    assert len(facts) == 12_001
    assert facts[complaint.id] is not None
    assert facts[-1] is None


def test_installing_the_rollup_after_its_listeners_were_removed_listens_again() -> None:
    for name, handler in LISTENERS:
        event.remove(db.session, name, handler)
    try:
        assert not any(event.contains(db.session, name, handler) for name, handler in LISTENERS)
        rollup.install()
        assert all(event.contains(db.session, name, handler) for name, handler in LISTENERS)
    finally:
        for name, handler in LISTENERS:
            if not event.contains(db.session, name, handler):
                event.listen(db.session, name, handler)
    complaint = accepted_complaint()
    assert public_total(complaint.platform_id) == 1
    assert in_step()


def test_a_public_complaint_deleted_from_the_session_leaves_the_counts() -> None:
    kept = accepted_complaint(codes=["TP-02"])
    gone = accepted_complaint(codes=["ABU-01"])
    db.session.delete(gone)
    db.session.commit()
    assert code_total("ABU-01") == 0
    assert public_total() == 1
    assert in_step()
    assert kept.id


def test_a_bulk_statement_reads_only_the_complaints_it_matches_and_returns_its_own_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = accepted_complaint(codes=["ABU-01"])
    second = accepted_complaint(codes=["ABU-01", "TP-02"])
    third = accepted_complaint(codes=["THR-01"])
    read: list[set[int]] = []
    real = rollup.facts_for

    def spy(connection: Any, ids: Any) -> Any:
        read.append(set(ids))
        return real(connection, ids)

    monkeypatch.setattr(rollup, "facts_for", spy)
    moved = db.session.execute(
        update(Complaint).where(Complaint.platform_id == first.platform_id).values(platform_id=third.platform_id)
    )
    assert moved.rowcount == 1  # the statement ran once: run again, it would match no row
    assert read == [{first.id}, {first.id}]  # before and after, and no other complaint
    read.clear()
    gone = db.session.execute(delete(ComplaintViolation).where(ComplaintViolation.code == "TP-02"))
    assert gone.rowcount == 1
    assert read == [{second.id}, {second.id}]
    read.clear()
    db.session.execute(update(Referral).values(status="declined"))  # no referral: nothing to read
    assert read == []
    db.session.commit()
    assert in_step()


def test_the_rollup_writes_with_the_upsert_of_its_database() -> None:
    def connection(name: str) -> Any:
        return SimpleNamespace(dialect=SimpleNamespace(name=name))

    assert rollup._insert(connection("postgresql")) is postgresql.insert
    assert rollup._insert(connection("sqlite")) is sqlite.insert


def test_each_change_of_the_rollup_stamps_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    db.session.execute(StatVersion.__table__.delete())
    connection = db.session.connection()
    first, second = dt.datetime(2026, 11, 2, 8, 0, tzinfo=UTC), dt.datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    monkeypatch.setattr(rollup, "utcnow", lambda: first)
    rollup.bump_version(connection)
    db.session.expire_all()
    row = db.session.get(StatVersion, 1)
    assert row is not None
    assert (row.version, row.changed_at) == (1, first)
    monkeypatch.setattr(rollup, "utcnow", lambda: second)
    rollup.bump_version(connection)
    db.session.expire_all()
    row = db.session.get(StatVersion, 1)
    assert row is not None
    assert (row.version, row.changed_at) == (2, second)
