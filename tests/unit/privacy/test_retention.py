"""Retention: contact details and evidence of long-closed complaints go; the complaints and statistics stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from complaints.audit.events import verify_chain
from complaints.casework.lifecycle import Action, apply_transition
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.intake.filing import purge_evidence
from complaints.models import CaseEvent, Complaint, Evidence, StatCount
from complaints.models.base import utcnow
from complaints.privacy import retention
from complaints.statistics import recompute
from tests.factories import ComplaintFactory, EvidenceFactory
from tests.personal_data import closed, with_personal_data

DAYS = 365


@pytest.fixture
def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


@pytest.fixture
def three(store: LocalEvidenceStore) -> tuple[Complaint, Complaint, Complaint]:
    """Closed 400 days ago, closed 10 days ago, and open."""
    old = closed(400, store, "red")
    recent = closed(10, store, "green")
    still_open = with_personal_data(ComplaintFactory(), store, "blue")
    return old, recent, still_open


def stat_rows() -> list[tuple[object, ...]]:
    return sorted(tuple(row) for row in db.session.execute(select(StatCount.__table__)))


def test_the_plan_lists_only_complaints_closed_longer_ago_than_the_retention_period(
    three: tuple[Complaint, Complaint, Complaint], store: LocalEvidenceStore
) -> None:
    old, _, _ = three
    plan = retention.plan_purge(DAYS)
    assert [item.reference for item in plan.items] == [old.reference]
    item = plan.items[0]
    assert (item.contact_fields, item.files) == (3, 1)  # name, phone and e-mail
    assert item.file_bytes == old.evidence[0].size_bytes > 0
    assert len(store.keys()) == 3


def test_purge_removes_contact_details_and_files_keeps_the_complaint_and_statistics(
    three: tuple[Complaint, Complaint, Complaint], store: LocalEvidenceStore
) -> None:
    old, recent, still_open = three
    old_key = old.evidence[0].storage_key
    stats_before = stat_rows()
    assert stats_before, "the resolved complaints count in the statistics"

    done = retention.purge_due(DAYS, store)
    assert [item.reference for item in done.items] == [old.reference]
    assert store.exists(old_key), "files go only once the purge is committed"
    db.session.commit()

    db.session.expire_all()
    purged = db.session.get(Complaint, old.id)
    assert purged is not None and (purged.status, purged.resolution) == ("closed", "resolved")
    assert (purged.contact_name, purged.contact_phone, purged.contact_email, purged.contact_fingerprint) == (
        "",
        "",
        "",
        "",
    )
    assert purged.narrative and purged.codes, "what statistics need stays"
    evidence = purged.evidence[0]
    assert evidence.purged_at is not None and evidence.sha256 == old_key and evidence.original_name == ""
    assert not store.exists(old_key)
    for kept in (recent, still_open):
        fresh = db.session.get(Complaint, kept.id)
        assert fresh is not None and fresh.contact_name == "王小测"
        assert store.exists(fresh.evidence[0].storage_key)
    assert stat_rows() == stats_before
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == retention.PURGE_EVENT)).one()
    assert event.complaint_id == old.id and event.data["evidence_files"] == 1
    assert not event.visible_to_complainant
    assert verify_chain() == []


def test_a_second_purge_changes_nothing(
    three: tuple[Complaint, Complaint, Complaint], store: LocalEvidenceStore
) -> None:
    retention.purge_due(DAYS, store)
    db.session.commit()
    events = db.session.scalars(select(CaseEvent.id)).all()
    assert retention.plan_purge(DAYS).items == []
    assert retention.purge_due(DAYS, store).items == []
    db.session.commit()
    assert db.session.scalars(select(CaseEvent.id)).all() == events
    assert len(store.keys()) == 2


def test_withdrawn_complaints_are_purged_too(store: LocalEvidenceStore) -> None:
    withdrawn = closed(400, store, "red", withdraw=True)
    assert [item.reference for item in retention.plan_purge(DAYS).items] == [withdrawn.reference]


def test_a_file_shared_with_a_complaint_still_held_stays_on_disk(store: LocalEvidenceStore) -> None:
    old = closed(400, store, "red")
    key = old.evidence[0].storage_key
    recent = closed(10, store, "green")
    EvidenceFactory(complaint=recent, sha256=key, storage_key=key, size_bytes=old.evidence[0].size_bytes)
    retention.purge_due(DAYS, store)
    db.session.commit()
    assert store.exists(key)
    assert db.session.scalars(select(Evidence).where(Evidence.complaint_id == old.id)).one().purged_at is not None


def test_a_batch_limit_purges_in_steps(store: LocalEvidenceStore) -> None:
    first, second = closed(500, store, "red"), closed(400, store, "green")
    assert [i.reference for i in retention.purge_due(DAYS, store, limit=1).items] == [first.reference]
    db.session.commit()
    assert [i.reference for i in retention.purge_due(DAYS, store, limit=1).items] == [second.reference]
    db.session.commit()
    assert store.keys() == []


def test_a_negative_retention_period_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        retention.plan_purge(-1)


def test_a_complaint_holding_nothing_personal_is_left_out(store: LocalEvidenceStore) -> None:
    bare = ComplaintFactory()
    apply_transition(bare, Action.WITHDRAW)
    bare.closed_at = utcnow() - dt.timedelta(days=400)
    db.session.commit()
    assert retention.plan_purge(DAYS).items == []


def test_evidence_deleted_at_withdrawal_still_loses_its_file_name_and_contact_details(
    store: LocalEvidenceStore,
) -> None:
    complaint = closed(400, store, "red", withdraw=True)
    purge_evidence(complaint, store)
    db.session.commit()
    item = retention.plan_purge(DAYS).items[0]
    assert (item.contact_fields, item.files) == (3, 0)
    retention.purge_due(DAYS, store)
    db.session.commit()
    assert db.session.scalars(select(Evidence.original_name)).one() == ""
    assert retention.plan_purge(DAYS).items == []
