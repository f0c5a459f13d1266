"""`flask purge` and `flask check-integrity` as an operator runs them, and withdrawal that deletes evidence."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import CaseEvent, Complaint, ComplaintViolation, Evidence
from tests import media
from tests.factories import TEST_ACCESS_CODE, ComplaintFactory
from tests.functional.helpers import post_complaint, receipt_codes, valid_form, with_files
from tests.personal_data import closed, with_personal_data


@pytest.fixture
def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


def files_on_disk(app: Flask) -> list[str]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def age(store: LocalEvidenceStore, key: str, hours: float) -> None:
    """Make a stored file look written `hours` ago."""
    path = next(Path(store.root).glob(f"*/*/{key}"))
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_dry_run_lists_what_would_go_and_changes_nothing(app: Flask, store: LocalEvidenceStore) -> None:
    old = closed(400, store, "red")
    recent = closed(10, store, "green")
    with_personal_data(ComplaintFactory(), store, "blue")
    before = (files_on_disk(app), db.session.scalar(select(func.count()).select_from(CaseEvent)))

    result = app.test_cli_runner().invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert old.reference in result.output and recent.reference not in result.output
    assert "1 complaint(s)" in result.output and "3 contact field(s)" in result.output
    assert "1 evidence file(s)" in result.output and "nothing was changed" in result.output
    assert "王小测" not in result.output, "the listing names no complainant"

    db.session.expire_all()
    assert (files_on_disk(app), db.session.scalar(select(func.count()).select_from(CaseEvent))) == before
    assert db.session.get(Complaint, old.id).contact_phone == "+8613800000001"  # type: ignore[union-attr]


def test_purge_deletes_files_after_commit_and_a_second_run_purges_nothing(
    app: Flask, store: LocalEvidenceStore
) -> None:
    old = closed(400, store, "red")
    closed(10, store, "green")
    old_key = old.evidence[0].storage_key
    runner = app.test_cli_runner()

    first = runner.invoke(args=["purge"])
    assert first.exit_code == 0, first.output
    assert "purged 1 complaint(s)" in first.output and "1 evidence file(s)" in first.output
    assert old_key not in files_on_disk(app) and len(files_on_disk(app)) == 1
    db.session.expire_all()
    assert db.session.get(Complaint, old.id).contact_email == ""  # type: ignore[union-attr]

    second = runner.invoke(args=["purge"])
    assert second.exit_code == 0 and "purged 0 complaint(s)" in second.output
    assert runner.invoke(args=["verify-audit"]).exit_code == 0


def test_retention_days_come_from_the_configuration(
    app: Flask, store: LocalEvidenceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    recent = closed(10, store, "green")
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 7)
    result = app.test_cli_runner().invoke(args=["purge", "--dry-run"])
    assert recent.reference in result.output
    assert recent.reference not in app.test_cli_runner().invoke(args=["purge", "--dry-run", "--days", "30"]).output


def test_withdrawal_through_the_form_with_deletion_removes_the_files(app: Flask, en_client: FlaskClient) -> None:
    files = [(media.png("red"), "a.png"), (media.pdf(), "b.pdf")]
    response = post_complaint(en_client, with_files(valid_form(), files))
    assert response.status_code == 303
    reference, code = receipt_codes(en_client)
    assert len(files_on_disk(app)) == 2
    en_client.post("/status", data={"reference": reference, "access_code": code})
    done = en_client.post("/status/complaint/withdraw", data={"confirm": "y", "delete_evidence": "y"})
    assert done.status_code == 303
    assert files_on_disk(app) == []
    db.session.expire_all()
    rows = db.session.scalars(select(Evidence)).all()
    assert len(rows) == 2 and all(row.purged_at is not None for row in rows)


def test_withdrawal_without_deletion_keeps_the_files(app: Flask, en_client: FlaskClient) -> None:
    complaint = with_personal_data(ComplaintFactory(), LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"])), "red")
    en_client.post("/status", data={"reference": complaint.reference, "access_code": TEST_ACCESS_CODE})
    assert en_client.post("/status/complaint/withdraw", data={"confirm": "y"}).status_code == 303
    assert len(files_on_disk(app)) == 1


def check(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["check-integrity", *args])
    return result.exit_code, result.output


def test_a_consistent_store_passes(app: Flask, store: LocalEvidenceStore) -> None:
    with_personal_data(ComplaintFactory(), store, "red")
    assert check(app) == (0, "integrity check passed\n")


def test_an_old_orphan_file_is_found_and_repair_removes_it(app: Flask, store: LocalEvidenceStore) -> None:
    with_personal_data(ComplaintFactory(), store, "red")
    orphan, _ = store.put(media.png("green"))
    age(store, orphan, hours=2)
    code, output = check(app)
    assert code == 1 and f"orphan file (no evidence row refers to it): {orphan}" in output
    code, output = check(app, "--repair")
    assert code == 0 and f"removed orphan file {orphan}" in output
    assert not store.exists(orphan) and len(store.keys()) == 1


def test_a_recent_unreferenced_file_is_left_alone(app: Flask, store: LocalEvidenceStore) -> None:
    young, _ = store.put(media.png("green"))
    code, output = check(app, "--repair")
    assert code == 0 and "within the grace period" in output and store.exists(young)
    assert check(app, "--repair", "--grace-minutes", "0")[0] == 0
    assert not store.exists(young)


def test_a_crashed_write_is_swept_by_repair(app: Flask, store: LocalEvidenceStore) -> None:
    key, _ = store.put(media.png("green"))
    partial = next(Path(store.root).glob(f"*/*/{key}")).parent / ".upload-crashed"
    partial.write_bytes(b"half a file")
    store.delete(key)
    then = time.time() - 7200
    os.utime(partial, (then, then))
    code, output = check(app, "--repair")
    assert code == 0 and "1 partial upload(s)" in output and not partial.exists()


def test_a_missing_or_altered_file_is_reported(app: Flask, store: LocalEvidenceStore) -> None:
    missing = with_personal_data(ComplaintFactory(), store, "red")
    altered = with_personal_data(ComplaintFactory(), store, "green")
    store.delete(missing.evidence[0].storage_key)
    altered_key = altered.evidence[0].storage_key
    next(Path(store.root).glob(f"*/*/{altered_key}")).write_bytes(b"not the evidence")
    code, output = check(app)
    assert code == 1
    assert f"of {missing.reference}" in output
    # Clear files fail the digest; once files are encrypted at rest, altered ones fail to decrypt.
    assert f"does not match its SHA-256: {altered_key}" in output or f"cannot be read: {altered_key}" in output
    assert altered_key not in check(app, "--skip-contents")[1]


def test_a_purged_file_is_not_missing(app: Flask, store: LocalEvidenceStore) -> None:
    closed(400, store, "red")
    assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    assert check(app)[0] == 0


def test_a_complaint_without_a_primary_code_and_a_broken_audit_chain_are_reported(app: Flask) -> None:
    complaint = ComplaintFactory()
    db.session.execute(update(ComplaintViolation).values(primary=False))
    db.session.commit()
    code, output = check(app)
    assert code == 1 and f"without exactly one primary violation: {complaint.reference}" in output

    closed(10, LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"])), "red")
    event_id = db.session.scalars(select(CaseEvent.id).order_by(CaseEvent.id)).first()
    db.session.execute(update(CaseEvent).where(CaseEvent.id == event_id).values(kind="tampered"))
    db.session.commit()
    assert f"audit chain broken at 1 record(s): {event_id}" in check(app)[1]


def test_purge_masks_the_consumer_in_the_platforms_answers_and_empties_old_mail(app: Flask) -> None:
    """A platform told who complains may name them; old mail holds addresses: both go with the retention."""
    import datetime as dt

    from complaints.mail import messages, outbox
    from complaints.models import Complaint, OutboxMessage, PlatformResponse
    from complaints.models.base import utcnow
    from tests.factories import ComplaintFactory
    from tests.factories_officer import make_responder

    closed = utcnow() - dt.timedelta(days=400)
    complaint = ComplaintFactory(
        status="closed",
        resolution="resolved",
        accepted_at=closed - dt.timedelta(days=30),
        closed_at=closed,
        contact_name="林虚构",
        contact_phone="+8613912345678",
        platform_stage="answered",
        sent_to_platform_at=closed - dt.timedelta(days=20),
    )
    assert complaint.platform_id is not None
    responder = make_responder(complaint.platform_id)
    db.session.add(
        PlatformResponse(
            complaint_id=complaint.id,
            platform_id=complaint.platform_id,
            responder_id=responder.id,
            response_type="explanation",
            text="林虚构先生（电话 139 1234 5678）的借款已结清。",
            created_at=closed - dt.timedelta(days=10),
        )
    )
    old = outbox.enqueue(
        messages.consumer_answered(
            recipient="old@example.org", language="zh_Hans", reference="CW-2025-000001", link="x"
        )
    )
    old.created_at = closed
    outbox.enqueue(
        messages.consumer_answered(
            recipient="new@example.org", language="zh_Hans", reference="CW-2026-000002", link="x"
        )
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge", "--days", "365"])
    assert result.exit_code == 0, result.output
    assert "1 outbox message(s)" in result.output
    db.session.expire_all()
    [answer] = db.session.scalars(select(PlatformResponse)).all()
    assert "林虚构" not in answer.text and "5678" not in answer.text and "的借款已结清" in answer.text
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == ["new@example.org"]
    assert db.session.get(Complaint, complaint.id).contact_name == ""  # type: ignore[union-attr]
