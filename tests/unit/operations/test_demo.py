"""Demo data: fictional, unique references, counters past them, and a rollup that verifies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.intake import filing as intake
from complaints.intake.access import next_reference
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import Complaint, Platform, ReferenceCounter
from complaints.operations.demo import generate
from complaints.statistics import recompute
from tests.unit.intake.test_intake import submission


def test_demo_data_is_fictional_unique_and_counted() -> None:
    report = generate(600, seed=3, batch=250)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 600
    references = db.session.scalars(select(Complaint.reference)).all()
    assert len(set(references)) == 600
    assert all(
        name.startswith(("虚构", "示例", "演示", "假想", "样本"))
        for name in db.session.scalars(select(Platform.name_zh))
    )
    assert report.public > 0
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    latest = max(db.session.scalars(select(ReferenceCounter)), key=lambda c: c.year)
    fresh = next_reference(dt.datetime(latest.year, 6, 1, tzinfo=dt.UTC))
    assert fresh not in references


def test_a_complaint_filed_after_the_demo_data_gets_a_fresh_id() -> None:
    generate(50, seed=4, batch=20)
    db.session.commit()
    newest = db.session.scalar(select(func.max(Complaint.id)))
    receipt = intake.file_complaint(submission(), [], LocalEvidenceStore(Path(current_app.config["EVIDENCE_DIR"])))
    db.session.commit()
    assert receipt.complaint.id > newest
