"""A full disk while filing: a clear message in the consumer's language, and nothing saved.

The evidence store failing with ENOSPC re-shows the form (what was typed stays); the database
itself being full gives a plain 507 page, never a 500. The last test fills a real tiny tmpfs.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from complaints.extensions import db
from complaints.intake import evidence_store
from complaints.models import CaseEvent, Complaint, Evidence
from tests import media
from tests.functional.helpers import post_complaint, valid_form, with_files

NARRATIVE = "催收员连续三天在深夜打电话，并把我的欠款告诉了我的同事。"
FILES = [(media.png("red"), "a.png"), (media.pdf(), "b.pdf")]


def nothing_saved(evidence_dir: Path) -> None:
    db.session.rollback()
    for model in (Complaint, Evidence, CaseEvent):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    leftovers = [p for p in evidence_dir.rglob("*") if p.is_file()] if evidence_dir.exists() else []
    assert leftovers == []


@pytest.fixture
def full_evidence_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The evidence store's writes fail as on a full disk (after the first file went through)."""
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(evidence_store.os, "fsync", fsync)


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "our storage is full. Nothing was saved."), ("zh_Hans", "我们的存储空间已满，暂时无法保存文件")],
)
def test_a_full_evidence_disk_reshows_the_form_with_a_clear_message_and_saves_nothing(
    app: Flask, client: FlaskClient, full_evidence_disk: None, language: str, message: str
) -> None:
    client.set_cookie("lang", language)
    response = post_complaint(client, with_files(valid_form(narrative=NARRATIVE), FILES))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert NARRATIVE in page, "the form keeps what the consumer typed"
    nothing_saved(Path(app.config["EVIDENCE_DIR"]))


def _disk_full_error() -> Exception:
    if db.engine.dialect.name == "postgresql":
        import psycopg

        return psycopg.errors.DiskFull("could not extend file: No space left on device")
    return sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def full_database_on_insert() -> Iterator[None]:
    """The database refuses to grow when the complaint row is written."""

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO COMPLAINTS"):
            raise _disk_full_error()

    event.listen(db.engine, "before_cursor_execute", refuse)
    yield
    event.remove(db.engine, "before_cursor_execute", refuse)


@pytest.fixture
def full_database_on_commit() -> Iterator[None]:
    """The database refuses the commit (SQLite most often finds the disk full when writing the WAL)."""
    armed = {"on": True}

    def refuse(conn: Any) -> None:
        if armed["on"]:
            armed["on"] = False
            raise _disk_full_error()

    event.listen(db.engine, "commit", refuse)
    yield
    event.remove(db.engine, "commit", refuse)


@pytest.mark.parametrize(("language", "title"), [("en", "Our storage is full"), ("zh_Hans", "我们的存储空间已满")])
@pytest.mark.parametrize("when", ["full_database_on_insert", "full_database_on_commit"])
def test_a_full_database_gives_a_clear_error_page_not_a_500(
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    when: str,
    language: str,
    title: str,
) -> None:
    # As in production: a failure outside the view (the commit) reaches the error pages instead of the test.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    request.getfixturevalue(when)
    client.set_cookie("lang", language)
    response = post_complaint(client, with_files(valid_form(narrative=NARRATIVE), FILES))
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert title in page and "Traceback" not in page and NARRATIVE not in page
    nothing_saved(Path(app.config["EVIDENCE_DIR"]))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, nearly full; skipped where mounting is not permitted (needs root)."""
    mount_point = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the ENOSPC tests above simulate the full disk instead")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the simulated ENOSPC tests stand")
    try:
        free = os.statvfs(mount_point).f_bavail * os.statvfs(mount_point).f_frsize
        (mount_point / "filler").write_bytes(b"\0" * (free - 64 * 1024))
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_really_full_disk_saves_nothing_and_says_so(
    app: Flask, en_client: FlaskClient, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence_dir = tiny_disk / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", evidence_dir)
    small = media.pdf()
    big = small[:-6] + b"%" + os.urandom(256 * 1024).hex().encode()[: 256 * 1024] + b"\n" + small[-6:]
    files = [(media.png("red"), "a.png"), (big, "big.pdf")]
    response = post_complaint(en_client, with_files(valid_form(narrative=NARRATIVE), files))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "our storage is full" in page and NARRATIVE in page
    nothing_saved(evidence_dir)
    assert [p.name for p in tiny_disk.iterdir() if p.is_file()] == ["filler"]
