"""Filing creates the whole complaint or nothing; consumer actions follow the lifecycle."""

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from complaints.audit.events import verify_chain
from complaints.casework.lifecycle import Action, apply_transition
from complaints.core.phones import ReportedNumber
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db
from complaints.intake import filing as intake
from complaints.intake.evidence import UploadedFile, UploadLimits, check_files
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import CaseEvent, Complaint, Evidence
from tests import media

LIMITS = UploadLimits(max_files=10, max_file_bytes=5 * 2**20, max_total_bytes=20 * 2**20)


@pytest.fixture
def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


def submission(**overrides: object) -> intake.ComplaintSubmission:
    values: dict[str, object] = {
        "platform": "虚构速贷",
        "violations": ["THR-01", "TP-01"],
        "primary_violation": "THR-01",
        "narrative": "对方威胁要上门，并给我通讯录里的亲友打电话。",
        "collector_phones": [ReportedNumber("+8613800138000", True)],
    }
    values.update(overrides)
    return intake.ComplaintSubmission(**values)  # type: ignore[arg-type]


def test_filing_stores_the_complaint_codes_numbers_evidence_and_an_event(store: LocalEvidenceStore) -> None:
    files = check_files([UploadedFile("a.jpg", media.jpeg_with_gps()), UploadedFile("c.amr", media.amr())], LIMITS)
    receipt = intake.file_complaint(submission(), files, store)
    db.session.commit()
    complaint = db.session.get(Complaint, receipt.complaint.id)
    assert complaint is not None
    assert complaint.reference.startswith("CW-")
    assert complaint.primary_code == "THR-01" and set(complaint.codes) == {"THR-01", "TP-01"}
    assert [p.phone for p in complaint.reported_phones] == ["+8613800138000"]
    assert len(complaint.evidence) == 2 and all(store.exists(e.storage_key) for e in complaint.evidence)
    assert complaint.access_code_hash != receipt.access_code
    assert complaint.platform is None and complaint.platform_name_reported == "虚构速贷"  # never a directory entry
    assert verify_chain() == []


def test_a_database_failure_after_files_were_written_leaves_no_orphan_file(store: LocalEvidenceStore) -> None:
    files = check_files([UploadedFile("a.png", media.png("green"))], LIMITS)
    intake.file_complaint(submission(), files, store)
    assert len(store.keys()) == 1
    db.session.rollback()
    assert store.keys() == []
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_an_unticked_primary_code_is_refused_on_the_forms_field(store: LocalEvidenceStore) -> None:
    with pytest.raises(DomainError) as refused:
        intake.file_complaint(submission(primary_violation="ABU-01"), [], store)
    assert refused.value.field == "primary_violation"
    db.session.rollback()


def test_answering_a_request_for_information_returns_the_complaint_to_review(store: LocalEvidenceStore) -> None:
    complaint = intake.file_complaint(submission(), [], store).complaint
    apply_transition(complaint, Action.REQUEST_INFO, public_message="请提供通话截图。")
    intake.add_information(complaint, "截图已上传。", check_files([UploadedFile("s.png", media.png())], LIMITS), store)
    assert complaint.status == "submitted"
    kinds = [e.kind for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert kinds == ["submitted", "status_changed", "information_added", "status_changed"]


def test_withdrawal_with_deletion_removes_the_files_after_commit(store: LocalEvidenceStore) -> None:
    files = check_files([UploadedFile("a.png", media.png("red"))], LIMITS)
    complaint = intake.file_complaint(submission(consent_publish=True), files, store).complaint
    db.session.commit()
    intake.withdraw_complaint(complaint, delete_evidence=True, store=store)
    assert len(store.keys()) == 1, "files stay until the withdrawal is committed"
    db.session.commit()
    assert store.keys() == []
    evidence = db.session.scalars(select(Evidence)).one()
    assert evidence.purged_at is not None and evidence.sha256
    assert (complaint.status, complaint.resolution, complaint.consent_publish) == ("closed", "withdrawn", False)
    with pytest.raises(InvalidTransition):
        intake.withdraw_complaint(complaint, delete_evidence=False, store=store)
