"""Test setup: one app per run on SQLite or TEST_DATABASE_URL, and a clean database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import Phase, settings
from sqlalchemy import select

from complaints import create_app
from complaints.config import TestConfig
from complaints.directory.reference_data import load_yaml, seed_reference_data
from complaints.extensions import db, limiter
from complaints.models import RoutingRule
from tests.databases import own_database
from tests.mutation_testing import UNDER_MUTATION, order_for_mutant

# Under mutation testing (`make mutation`) a failing example only has to be found, not shrunk, and
# the same examples run for every mutant so scores are comparable between runs.
settings.register_profile(
    "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], derandomize=True, deadline=None
)
if UNDER_MUTATION:
    settings.load_profile("mutation")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under mutation testing, the tests of the mutated module first, so a killed mutant stops early."""
    order_for_mutant(items)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in a temporary folder, or a fresh database on TEST_DATABASE_URL's server."""
    with own_database(tmp_path_factory.mktemp("db") / "test.db") as url:
        yield url


def make_test_app(instance: Path, database_url: str, **overrides: object) -> Flask:
    """An app on a temporary instance folder; tables from the models, reference data loaded."""
    app = create_app(TestConfig(instance, database_url), **overrides)
    with app.app_context():
        db.create_all()
        seed_reference_data()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application under test, shared by the run."""
    application = make_test_app(tmp_path_factory.mktemp("instance"), database_url)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


REFERENCE_TABLES = {"violation_types", "regulators", "routing_rules"}


def _clean_database() -> None:
    """Delete every row but the reference data, children first; restore changed reference data."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    # A routing rule a test added as a supervisor would outlive it (seeding keeps supervisors' rules).
    seeded = {(r["match"], str(r["value"]), r["regulator"]) for r in load_yaml("routing.yaml")["rules"]}
    for rule in db.session.scalars(select(RoutingRule)):
        if (rule.match_type, rule.match_value, rule.regulator_code) not in seeded:
            db.session.delete(rule)
    seed_reference_data()
    db.session.commit()


@pytest.fixture(autouse=True)
def app_context(app: Flask) -> Iterator[None]:
    """Each test runs inside an app context and starts from a clean database and fresh rate limits."""
    limiter.reset()
    with app.app_context():
        yield
        _clean_database()
        db.session.remove()
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    if evidence_dir.exists():
        for path in sorted(evidence_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (CSRF off; tests that prove CSRF use csrf_app)."""
    return app.test_client()


@pytest.fixture
def zh_client(client: FlaskClient) -> FlaskClient:
    """A client whose visitor chose Chinese."""
    client.set_cookie("lang", "zh_Hans")
    return client


@pytest.fixture
def en_client(client: FlaskClient) -> FlaskClient:
    """A client whose visitor chose English."""
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    """CSRF protection on, as in production, for this test only."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
