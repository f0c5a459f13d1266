"""`flask backup` and `flask restore`: a round trip gives back every row and evidence byte; tampering is refused.

Runs on the suite's database: SQLite (online backup API) or, with TEST_DATABASE_URL, PostgreSQL
(pg_dump/pg_restore, skipped when the client tools are missing).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.audit.events import verify_chain
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Evidence
from complaints.operations import backup
from tests import media
from tests.functional.helpers import post_complaint, receipt_codes, valid_form, with_files


@pytest.fixture(autouse=True)
def _tools_for_the_database(app: Flask) -> None:
    if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed: the PostgreSQL backup needs the client tools")


def evidence_bytes(app: Flask) -> dict[str, bytes]:
    """Every stored file as it is on disk (encrypted or not), by its path under EVIDENCE_DIR."""
    root = Path(app.config["EVIDENCE_DIR"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def evidence_times(app: Flask) -> dict[str, int]:
    root = Path(app.config["EVIDENCE_DIR"])
    return {p.name: int(p.stat().st_mtime) for p in root.rglob("*") if p.is_file()}


def snapshot() -> list[tuple[object, ...]]:
    db.session.expire_all()
    complaints = [
        (c.reference, c.narrative, c.contact_email, c.contact_phone, c.status, tuple(c.codes))
        for c in db.session.scalars(select(Complaint).order_by(Complaint.id))
    ]
    rows = db.session.scalars(select(Evidence).order_by(Evidence.id))
    evidence = [(e.sha256, e.size_bytes, e.original_name) for e in rows]
    events = list(db.session.scalars(select(CaseEvent.hash).order_by(CaseEvent.id)))
    db.session.rollback()
    return [tuple(complaints), tuple(evidence), tuple(events)]


def file_one(client: FlaskClient) -> str:
    form = valid_form(contact_email="backup.person@example.org", consent_contact="y")
    response = post_complaint(client, with_files(form, [(media.png("red"), "a.png"), (media.pdf(), "b.pdf")]))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return receipt_codes(client)[0]


def wipe(app: Flask) -> None:
    """Lose the database and the evidence folder."""
    db.session.remove()
    db.drop_all()
    shutil.rmtree(app.config["EVIDENCE_DIR"])


def test_a_backup_restores_every_row_and_evidence_byte(app: Flask, en_client: FlaskClient, tmp_path: Path) -> None:
    reference = file_one(en_client)
    for path in Path(app.config["EVIDENCE_DIR"]).rglob("*"):
        if path.is_file():
            os.utime(path, (time.time() - 7200, time.time() - 7200))
    before, files, times = snapshot(), evidence_bytes(app), evidence_times(app)
    assert len(files) == 2
    archive = tmp_path / "cw.tar.gz"
    runner = app.test_cli_runner()

    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "2 evidence file(s)" in made.output and "archive sha256:" in made.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["data_keys_included"] is False
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert not any("data_keys" in name or "secret_key" in name for name in names)

    wipe(app)
    restored = runner.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "2 evidence file(s)" in restored.output
    assert snapshot() == before and before[0][0][0] == reference
    assert evidence_bytes(app) == files
    assert evidence_times(app) == times, "restored files keep their age (the integrity grace period reads it)"
    assert verify_chain() == []
    db.session.rollback()


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    app: Flask, en_client: FlaskClient, tmp_path: Path
) -> None:
    file_one(en_client)
    archive = tmp_path / "cw.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    before = snapshot()
    file_one(en_client)

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "--force" in refused.output and "Nothing was restored" in refused.output
    assert len(snapshot()[0]) == 2

    forced = runner.invoke(args=["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    assert snapshot() == before


def tampered_copy(archive: Path, target: Path, member_prefix: str) -> None:
    """The same archive with one member's bytes changed and the manifest left as it was."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        changed = False
        for info in source.getmembers():
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if not changed and info.name.startswith(member_prefix):
                data = data[:-1] + bytes([data[-1] ^ 1])
                changed = True
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        assert changed


@pytest.mark.parametrize("member", ["evidence/", "database/"])
def test_a_tampered_archive_is_refused_before_anything_changes(
    app: Flask, en_client: FlaskClient, tmp_path: Path, member: str
) -> None:
    file_one(en_client)
    archive, bad = tmp_path / "cw.tar.gz", tmp_path / "bad.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    tampered_copy(archive, bad, member)
    wipe(app)
    db.create_all()

    result = runner.invoke(args=["restore", str(bad)])
    assert result.exit_code != 0
    assert "checksum mismatch" in result.output and "Nothing was restored" in result.output
    assert snapshot()[0] == () and evidence_bytes(app) == {}


def test_a_damaged_or_foreign_file_is_refused_with_a_message(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(gzip.compress(b"not a tar archive at all" * 100)[:50])
    assert "damaged or not a backup" in runner.invoke(args=["restore", str(truncated)]).output
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    assert "no manifest.json" in runner.invoke(args=["restore", str(foreign)]).output
    assert "does not exist" in runner.invoke(args=["restore", str(tmp_path / "none.tar.gz")]).output


def test_a_member_outside_the_manifest_or_with_a_path_escape_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "escape.tar.gz"
    manifest = json.dumps({"format": backup.FORMAT, "members": {}}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("evidence/../../etc/passwd")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(backup.BackupError, match="unexpected member"):
        backup.verify_archive(archive)


def test_backup_never_overwrites_an_existing_file(app: Flask, tmp_path: Path) -> None:
    existing = tmp_path / "keep.tar.gz"
    existing.write_bytes(b"precious")
    result = app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert existing.read_bytes() == b"precious"
