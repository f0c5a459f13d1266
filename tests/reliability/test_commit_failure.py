"""The database going away at the commit (after the view ran): a clean 503, and no traceback in the log.

Flask logs an exception raised by an after-request hook (the commit is one) with its traceback
before any error handler runs; the fault check (bench/faults/pg_restart.py) counts tracebacks in
gunicorn's log, and an outage is a passing condition, not a bug, so it is one warning line.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from tests import media
from tests.functional.helpers import post_complaint, valid_form, with_files


def _driver_outage(dialect: str) -> Exception:
    """What the driver raises when the server goes away (or, for SQLite, stays locked) at COMMIT."""
    if dialect == "sqlite":
        return sqlite3.OperationalError("database is locked")
    return psycopg.OperationalError("terminating connection due to administrator command")


@pytest.fixture
def commit_fails(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every COMMIT during the test raises the driver's outage error; counts the attempts."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    attempts: list[int] = []
    dialect = db.engine.dialect
    outage = _driver_outage(dialect.name)

    def refuse(_connection: Any) -> None:
        attempts.append(1)
        raise outage

    monkeypatch.setattr(dialect, "do_commit", refuse)
    return attempts


def logged_tracebacks(records: list[logging.LogRecord]) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in records if r.exc_info]


def test_a_page_whose_commit_fails_is_a_503_logged_without_a_traceback(
    en_client: FlaskClient, commit_fails: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = en_client.get("/complaints/new")

    assert commit_fails, "the request reached its commit"
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "Please wait a few seconds and try again" in response.get_data(as_text=True)
    assert logged_tracebacks(caplog.records) == []
    assert any("database unavailable on GET /complaints/new" in r.getMessage() for r in caplog.records)


def test_a_filing_whose_commit_fails_is_a_503_that_saves_nothing_and_hands_out_no_receipt(
    app: Flask, en_client: FlaskClient, commit_fails: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = post_complaint(en_client, with_files(valid_form(), [(media.png(), "shot.png")]))

    assert commit_fails
    assert response.status_code == 503, "a 303 to a receipt would promise a complaint that was not saved"
    assert "Location" not in response.headers
    assert logged_tracebacks(caplog.records) == []
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_an_unexpected_error_at_the_commit_is_still_logged_with_its_traceback(
    app: Flask, en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(_connection: Any) -> None:
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(db.engine.dialect, "do_commit", broken)
    with caplog.at_level(logging.INFO):
        response = en_client.get("/complaints/new")

    assert response.status_code == 500
    assert len(logged_tracebacks(caplog.records)) == 1, "a bug keeps its traceback, once"
