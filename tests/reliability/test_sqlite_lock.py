"""SQLite lock contention reaches the visitor as "busy, try again" (503), never as a 500 or a half complaint."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from complaints.core.error_pages import database_unavailable
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Evidence
from tests import media
from tests.conftest import make_test_app
from tests.functional.helpers import post_complaint, receipt_codes, valid_form, with_files

BUSY_TIMEOUT_MS = 600


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a SQLite file of its own (whatever TEST_DATABASE_URL says), with a short busy timeout."""
    instance = tmp_path_factory.mktemp("lock")
    app = make_test_app(instance, f"sqlite:///{instance / 'lock.db'}", SQLITE_BUSY_TIMEOUT_MS=BUSY_TIMEOUT_MS)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def database_file(app: Flask) -> str:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).removeprefix("sqlite:///")


def write_lock(app: Flask) -> sqlite3.Connection:
    """Another process's writer: a connection holding SQLite's write lock (BEGIN IMMEDIATE)."""
    holder = sqlite3.connect(database_file(app), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def saved(app: Flask) -> tuple[int, int, int, list[Path]]:
    with app.app_context():
        models = (Complaint, Evidence, CaseEvent)
        counts = tuple(db.session.scalar(select(func.count()).select_from(model)) or 0 for model in models)
    root = Path(app.config["EVIDENCE_DIR"])
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return counts[0], counts[1], counts[2], files


@pytest.mark.parametrize(
    ("language", "busy_words"),
    [("zh_Hans", "请等几秒钟再试"), ("en", "Please wait a few seconds and try again")],
)
def test_a_lock_held_past_the_busy_timeout_gives_a_503_with_the_form_kept_and_saves_nothing(
    sqlite_app: Flask, language: str, busy_words: str
) -> None:
    client = sqlite_app.test_client()
    client.set_cookie("lang", language)
    holder = write_lock(sqlite_app)
    try:
        response = post_complaint(client, with_files(valid_form(), [(media.png(), "shot.png")]))
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert busy_words in page
    assert "停止骚扰我的家人" in page, "the form keeps what was typed"
    assert 'name="narrative"' in page
    assert saved(sqlite_app) == (0, 0, 0, [])


def test_a_lock_shorter_than_the_busy_timeout_only_delays_the_filing(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    holder = write_lock(sqlite_app)
    release = threading.Timer(BUSY_TIMEOUT_MS / 4000, holder.rollback)
    release.start()
    try:
        response = post_complaint(client, with_files(valid_form(), [(media.png(), "shot.png")]))
    finally:
        release.join()
        holder.close()

    assert response.status_code == 303
    reference, _code = receipt_codes(client)
    complaints, evidence, events, files = saved(sqlite_app)
    assert (complaints, evidence, len(files)) == (1, 1, 1) and events >= 1
    with sqlite_app.app_context():
        assert db.session.scalars(select(Complaint.reference)).one() == reference


def test_only_passing_database_conditions_count_as_unavailable() -> None:
    def wrapped(orig: Exception) -> OperationalError:
        return OperationalError("SELECT 1", {}, orig)

    assert database_unavailable(wrapped(sqlite3.OperationalError("database is locked")))
    assert database_unavailable(wrapped(psycopg.OperationalError("server closed the connection unexpectedly")))
    assert not database_unavailable(wrapped(sqlite3.OperationalError("no such table: complaints")))
    assert not database_unavailable(wrapped(psycopg.OperationalError("could not extend file: No space left on device")))
    assert not database_unavailable(wrapped(sqlite3.OperationalError("database or disk is full")))
    assert not database_unavailable(ValueError("database is locked"))
