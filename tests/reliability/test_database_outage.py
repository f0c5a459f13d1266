"""A PostgreSQL connection lost in the middle of a filing: a clean 503, nothing saved, the next filing works.

Only the app's own session is ended (pg_terminate_backend on its backend), so other runs on the same
server are untouched; the restart of the whole server is bench/faults/pg_restart.py, never pytest.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, func, select, text

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Evidence
from tests import media
from tests.functional.helpers import post_complaint, valid_form, with_files
from tests.reliability.test_commit_failure import logged_tracebacks

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"),
]


@contextmanager
def own_session_ended(app: Flask, engine_event: str, backend_to_end: Callable[..., int | None]) -> Iterator[list[int]]:
    """End the app's own PostgreSQL session (only it: other runs on the server go on) the first time
    ``backend_to_end``, listening to the engine's ``engine_event``, names its backend; yields the pid ended."""
    admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    cut: list[int] = []

    def end_it(*args: Any) -> None:
        pid = None if cut else backend_to_end(*args)
        if pid is not None:
            cut.append(pid)
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    event.listen(db.engine, engine_event, end_it)
    try:
        yield cut
    finally:
        event.remove(db.engine, engine_event, end_it)
        admin.dispose()


def test_a_connection_cut_during_a_filing_gives_a_503_saves_nothing_and_the_next_filing_works(
    app: Flask, en_client: FlaskClient
) -> None:
    def at_the_insert(_conn: Any, cursor: Any, statement: str, *_: Any) -> int | None:
        return cursor.connection.info.backend_pid if statement.startswith("INSERT INTO complaints") else None

    with own_session_ended(app, "before_cursor_execute", at_the_insert) as cut:
        response = post_complaint(en_client, with_files(valid_form(), [(media.png(), "shot.png")]))

    assert cut, "the filing reached the INSERT"
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert "Please wait a few seconds and try again" in page
    assert "停止骚扰我的家人" in page, "the form keeps what was typed"
    db.session.expire_all()
    for model in (Complaint, Evidence, CaseEvent):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))

    again = post_complaint(en_client, with_files(valid_form(), [(media.png(), "shot.png")]))
    assert again.status_code == 303


def test_a_connection_cut_at_the_commit_gives_a_503_and_no_traceback_in_the_log(
    app: Flask,
    en_client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What bench/faults/pg_restart.py met in CI: the server went away between the view and COMMIT."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production

    def at_the_commit(conn: Any) -> int:
        return int(conn.connection.dbapi_connection.info.backend_pid)

    with own_session_ended(app, "commit", at_the_commit) as cut, caplog.at_level(logging.INFO):
        response = post_complaint(en_client, with_files(valid_form(), [(media.png(), "shot.png")]))

    assert cut, "the filing reached its commit"
    assert response.status_code == 503
    assert logged_tracebacks(caplog.records) == []
    assert any("database unavailable on POST" in r.getMessage() for r in caplog.records), "the outage is logged"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0
    assert post_complaint(en_client, with_files(valid_form(), [(media.png(), "shot.png")])).status_code == 303
