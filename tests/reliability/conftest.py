"""Fixtures of the reliability tests."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def app_logs_reach_caplog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's loggers as production has them: a migration test earlier in the run applies
    alembic's fileConfig, which disables every logger that existed then, and caplog sees nothing."""
    for name in ("complaints", "complaints.core.error_pages"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "disabled", False)
        monkeypatch.setattr(logger, "propagate", True)
