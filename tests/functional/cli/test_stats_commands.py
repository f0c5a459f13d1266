"""`flask rebuild-stats --verify` notices a rollup that drifted, and a rebuild repairs it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from complaints.extensions import db
from complaints.models import StatCount
from tests.factories_stats import accepted_complaint


def test_verify_passes_on_a_consistent_rollup_and_fails_after_tampering(app: Flask) -> None:
    accepted_complaint()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["rebuild-stats", "--verify"]).exit_code == 0
    db.session.execute(update(StatCount).values(complaints=StatCount.complaints + 1))
    db.session.commit()
    result = runner.invoke(args=["rebuild-stats", "--verify"])
    assert result.exit_code == 1
    assert "differences" in result.output
    assert runner.invoke(args=["rebuild-stats"]).exit_code == 0
    assert runner.invoke(args=["rebuild-stats", "--verify"]).exit_code == 0
