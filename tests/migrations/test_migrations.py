"""The migrations build exactly the models' schema, and go down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from complaints import create_app
from complaints.config import TestConfig
from complaints.extensions import db
from tests.databases import own_database


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own (not the suite's shared one)."""
    with own_database(tmp_path / "migrations.db", prefix="cw_mig") as url:
        app = create_app(TestConfig(tmp_path, url))
        yield app
        with app.app_context():
            db.engine.dispose()


def schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, db.metadata))


def test_upgrade_head_gives_exactly_the_models_schema(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        assert schema_differences() == []


def test_downgrade_to_base_and_upgrade_again_works(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_differences() == []
        assert "complaints" in inspect(db.engine).get_table_names()


def test_no_migration_imports_the_live_code() -> None:
    """An old migration must keep doing what it did: it carries its own copies, frozen at its revision."""
    migrations = sorted((Path(__file__).parents[2] / "migrations" / "versions").glob("*.py"))
    assert migrations
    offenders = []
    for path in migrations:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "complaints"]
    assert offenders == []


def test_migrating_leaves_the_apps_loggers_on(empty_app: Flask) -> None:
    """`flask db upgrade` runs in the app's process: alembic's logging set-up must not silence the
    app (fileConfig disables every existing logger by default, and later log lines then vanish)."""
    names = ("complaints", "complaints.core.error_pages", "complaints.core.security")
    with empty_app.app_context():
        upgrade()
    assert {name: logging.getLogger(name).disabled for name in names} == dict.fromkeys(names, False)
