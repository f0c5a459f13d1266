"""The public statistics: the rollup and its rebuild, periods, suppression, tables, datasets and CSV writing."""

from __future__ import annotations

from flask import Flask

from complaints.extensions import db
from complaints.statistics import memo, rollup


def init_app(app: Flask) -> None:
    """Keep stat_counts in step with every flush of the app's sessions: without it the rollup goes stale."""
    rollup.install()
    memo.install(db.session)
