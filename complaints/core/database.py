"""Database settings: per-connection settings (SQLite pragmas, PostgreSQL workers), id bounds, LIKE patterns."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import ColumnElement, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute

from complaints.extensions import db

#: Ids are 32-bit integers in the database: a larger number cannot name a row (and SQLite would overflow).
MAX_ID = 2_147_483_647

#: The escape character of every LIKE pattern built by `like_pattern`.
LIKE_ESCAPE = "\\"


def like_pattern(text: str, *, prefix: bool = False) -> str:
    """A LIKE pattern matching ``text`` literally: anywhere in a value, or at its start if ``prefix``.

    ``%`` and ``_`` typed by a person are characters to find, not wildcards; pair the pattern with
    ``escape=LIKE_ESCAPE`` (or use `matches_like`).
    """
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"{escaped}%" if prefix else f"%{escaped}%"


def matches_like(
    expression: ColumnElement[str] | QueryableAttribute[str], text: str, *, prefix: bool = False
) -> ColumnElement[bool]:
    """SQL condition: ``expression`` contains ``text`` (or starts with it if ``prefix``), wildcards taken literally."""
    return expression.like(like_pattern(text, prefix=prefix), escape=LIKE_ESCAPE)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    """WAL, foreign keys, and how long a writer waits for another's lock (SQLITE_BUSY_TIMEOUT_MS)."""

    def set_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return set_pragmas


def _postgresql_settings(dbapi_connection: Any, connection_record: Any) -> None:
    # Page queries read one page through an index: a parallel worker's start-up (about 15 ms) costs
    # more than it saves (queue filter at 1M rows: 26 ms with a worker, 10 ms without).
    cursor = dbapi_connection.cursor()
    cursor.execute("SET max_parallel_workers_per_gather = 0")
    cursor.close()
    dbapi_connection.commit()


def configure_engine(app: Flask) -> None:
    """Install per-connection settings on the app's engine."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            timeout = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000))
            event.listen(engine, "connect", _sqlite_pragmas(timeout))
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _postgresql_settings)


_ASCII_ID = re.compile(r"[0-9]{1,10}", re.ASCII)


def parse_id(raw: str | None) -> int | None:
    """A row id from outside (a URL, a form): ASCII digits only, 1…MAX_ID; anything else names no row.

    `int()` alone would also read full-width, Arabic-Indic and every other script's digits, signs,
    spaces and underscores.
    """
    if raw is None or not _ASCII_ID.fullmatch(raw):
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None
