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


def test_demo_platform_answers_follow_the_loops_rules() -> None:
    """Every demo exchange is one the loop could have produced: stages, deadlines, "in time" and who answered."""
    from complaints.models import Officer, PlatformResponse
    from complaints.models.response import ANSWER_DAYS, FINAL_ANSWER_DAYS

    generate(800, seed=5, batch=300)
    db.session.commit()
    complaints = {c.id: c for c in db.session.scalars(select(Complaint))}
    responders = {o.id: o for o in db.session.scalars(select(Officer).where(Officer.role == "responder"))}
    answers: dict[int, list[PlatformResponse]] = {}
    for response in db.session.scalars(select(PlatformResponse).order_by(PlatformResponse.created_at)):
        answers.setdefault(response.complaint_id, []).append(response)
    stages = {c.platform_stage for c in complaints.values()}
    assert {"not_sent", "withheld", "awaiting", "answered", "settled", "disputed"} <= stages
    for complaint in complaints.values():
        given = answers.get(complaint.id, [])
        if complaint.accepted_at is None:
            assert complaint.platform_stage == "not_sent" and not given
            continue
        if complaint.platform_stage in ("not_sent", "withheld"):
            assert complaint.sent_to_platform_at is None and not given
            continue
        sent = complaint.sent_to_platform_at
        assert sent is not None
        for response in given:
            assert response.platform_id == complaint.platform_id
            assert responders[response.responder_id].platform_id == complaint.platform_id
            assert response.created_at >= sent
        final = [r for r in given if r.response_type != "in_progress"]
        if complaint.platform_stage in ("awaiting", "in_progress"):
            assert not final and complaint.platform_answer_due_at is not None
            limit = FINAL_ANSWER_DAYS if complaint.platform_stage == "in_progress" else ANSWER_DAYS
            assert complaint.platform_answer_due_at == sent + dt.timedelta(days=limit)
        else:
            assert len(final) == 1 and complaint.platform_answered_at == final[0].created_at
            in_time = given[0].created_at <= sent + dt.timedelta(days=ANSWER_DAYS) and (
                final[0].created_at <= sent + dt.timedelta(days=FINAL_ANSWER_DAYS)
            )
            assert complaint.platform_timely is in_time
        if complaint.consumer_review:
            assert complaint.platform_stage == complaint.consumer_review
            assert complaint.consumer_reviewed_at is not None and complaint.platform_answered_at is not None
            assert complaint.consumer_reviewed_at <= complaint.platform_answered_at + dt.timedelta(days=30)
