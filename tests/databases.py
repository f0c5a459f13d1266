"""Databases of a test's own: a SQLite file, or a scratch database on TEST_DATABASE_URL's PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from complaints.config import normalise_database_url


@contextmanager
def own_database(sqlite_file: Path, prefix: str = "cw_test") -> Iterator[str]:
    """The URL of a database nobody else uses; a PostgreSQL one is dropped (sessions and all) afterwards.

    Without TEST_DATABASE_URL it is the SQLite file given; with it, a fresh database on that server,
    so runs never see each other's rows.
    """
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{sqlite_file}"
        return
    admin_url = normalise_database_url(server)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
