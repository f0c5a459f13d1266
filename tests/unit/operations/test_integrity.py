"""The integrity check's rules: which files are orphans, which rows lack files, what repair may delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models.base import utcnow
from complaints.operations.integrity import check_integrity
from tests import media
from tests.factories import ComplaintFactory, EvidenceFactory
from tests.personal_data import with_personal_data

LATER = utcnow() + dt.timedelta(days=1)  # every file is then older than the grace period


class DamagedStore(LocalEvidenceStore):
    """A store that cannot open one file (as when it was encrypted with a lost key)."""

    def read(self, key: str) -> bytes:
        raise ValueError("cannot decrypt")


@pytest.fixture
def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


def test_a_file_held_by_a_purged_row_and_a_live_row_is_neither_orphan_nor_missing(store: LocalEvidenceStore) -> None:
    live = with_personal_data(ComplaintFactory(), store, "red")
    key = live.evidence[0].storage_key
    EvidenceFactory(storage_key=key, sha256=key, purged_at=utcnow())
    report = check_integrity(store, repair=True, now=LATER)
    assert report.problems == 0 and report.removed_orphans == [] and store.exists(key)


def test_a_file_only_purged_rows_refer_to_is_an_orphan_that_repair_deletes(store: LocalEvidenceStore) -> None:
    key, _ = store.put(media.png("green"))
    EvidenceFactory(storage_key=key, sha256=key, purged_at=utcnow())
    assert check_integrity(store, now=LATER).orphan_files == [key]
    assert check_integrity(store, repair=True, now=LATER).removed_orphans == [key]
    assert not store.exists(key)


def test_a_file_the_store_cannot_open_is_reported_unless_contents_are_skipped(
    store: LocalEvidenceStore,
) -> None:
    complaint = with_personal_data(ComplaintFactory(), store, "red")
    damaged = DamagedStore(store.root)
    report = check_integrity(damaged, now=LATER)
    assert report.unreadable_files == [complaint.evidence[0].storage_key] and report.problems == 1
    assert check_integrity(damaged, read_contents=False, now=LATER).problems == 0
    db.session.rollback()
