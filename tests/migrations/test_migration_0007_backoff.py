"""Migration 0007 on a deployment with officers: the account-wide lock goes, accounts stay, and back again."""

from __future__ import annotations

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from complaints.extensions import db
from tests.migrations.test_migrations import empty_app  # noqa: F401  (the fixture)


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_0007_drops_the_account_lock_keeps_the_accounts_and_goes_back(empty_app: Flask) -> None:  # noqa: F811
    with empty_app.app_context():
        upgrade(revision="0006")
        db.session.execute(
            text(
                "INSERT INTO officers (email, display_name, role, password_hash, totp_secret, totp_last_step,"
                " enrolment_token_hash, active, session_version, failed_logins, locked_until, created_at)"
                " VALUES ('locked@example.test', 'locked', 'officer', 'h', 's', 7, '', :yes, 3, 9,"
                " '2026-12-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')"
            ),
            {"yes": True},
        )
        db.session.commit()
        db.session.remove()

        upgrade()
        assert {"failed_logins", "locked_until"}.isdisjoint(_columns("officers"))
        assert _columns("sign_in_backoffs") == {"officer_id", "address", "failures", "last_failed_at", "paused_until"}
        row = db.session.execute(text("SELECT email, totp_last_step, session_version FROM officers")).one()
        assert tuple(row) == ("locked@example.test", 7, 3)
        officer_id = db.session.scalar(text("SELECT id FROM officers"))
        db.session.execute(
            text(
                "INSERT INTO sign_in_backoffs (officer_id, address, failures, last_failed_at)"
                " VALUES (:id, '203.0.113.66', 5, '2026-12-01 10:00:00+00:00')"
            ),
            {"id": officer_id},
        )
        db.session.commit()
        db.session.remove()

        downgrade(revision="0006")
        assert "sign_in_backoffs" not in inspect(db.engine).get_table_names()
        row = db.session.execute(text("SELECT email, failed_logins, locked_until FROM officers")).one()
        assert tuple(row) == ("locked@example.test", 0, None)  # unlocked, as the new rule left it
        db.session.remove()
        upgrade()
        assert "sign_in_backoffs" in inspect(db.engine).get_table_names()
