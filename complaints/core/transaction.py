"""The request boundary: one commit per request, unless it raised or was marked failed.

Services only flush. A view that calls a service which may refuse (a ``DomainError``) runs it in
``savepoint()``: the refusal undoes exactly what the service did, and what the request did
besides (a sign-in failure counted, an audit record of the attempt) still commits. A view that
must save nothing at all calls ``mark_failed()``. No view commits or rolls back by hand, and a
status code never decides: a redirect after a refusal saves no more than a 422 does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, request

from complaints.extensions import db

#: Set in the request's environ when the request must save nothing. Not on ``g``: where one app
#: context serves several requests (tests, CLI tools), ``g`` outlives the request that marked it.
_FAILED = "collectwatch.request_failed"


def mark_failed() -> None:
    """This request saves nothing: its changes are rolled back when the response goes out."""
    request.environ[_FAILED] = True


def request_failed() -> bool:
    """Whether the request was marked failed (by a view, or by an error page)."""
    return bool(request.environ.get(_FAILED, False))


def _begin_on_sqlite() -> None:
    """Open the SQLite transaction before a SAVEPOINT, so releasing the savepoint does not commit.

    pysqlite begins a transaction only before its first INSERT/UPDATE/DELETE; a SAVEPOINT issued
    before that starts one of SQLite's own, which RELEASE then commits at once. IMMEDIATE takes the
    write lock now (waiting up to the busy timeout): a deferred BEGIN would read from a snapshot
    that another writer's commit can make stale, and SQLite then refuses the write at once
    ("database is locked") instead of waiting. So nothing slow (a password hash) belongs in a
    savepoint on the consumer's side: a refused filing marks its request failed instead.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver: Any = connection.connection.dbapi_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def hold_write_lock() -> None:
    """Make this request the database's writer now, before it reads what it will change.

    SQLite has no row locks: ``FOR UPDATE`` is ignored, and a read before the first write may be
    stale by the time the write lock comes. Taking the lock first (``BEGIN IMMEDIATE``, waiting up
    to the busy timeout) makes every later read current until the commit. On PostgreSQL this does
    nothing: lock the rows themselves with ``with_for_update``.
    """
    _begin_on_sqlite()


@contextmanager
def savepoint() -> Iterator[None]:
    """Run one service call so that an exception undoes what it did, and only that, then propagates."""
    _begin_on_sqlite()
    with db.session.begin_nested():
        yield


def init_app(app: Flask) -> None:
    """Commit once when the response goes out; roll back a failed request or one that raised."""

    @app.after_request
    def commit_session(response: Response) -> Response:
        if request_failed():
            db.session.rollback()
        else:
            db.session.commit()
        return response

    @app.teardown_request
    def rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
