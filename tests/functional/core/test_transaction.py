"""One commit per request: it saves unless it raised or was marked failed; a refusal undoes only itself.

The status code never decides: a redirect after a refused action saves no more of that action
than a 422 would, and a 422 that counted a sign-in failure keeps the count.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, abort, redirect
from sqlalchemy import select

from complaints.core.transaction import mark_failed, savepoint
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore, delete_after_commit, track_new_file
from complaints.models import Platform
from tests.conftest import make_test_app


def _names() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(select(Platform.name_zh)))


def _add(name: str) -> None:
    db.session.add(Platform(name_zh=name, kind="lending_app"))
    db.session.flush()


@pytest.fixture(scope="module")
def routes_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app with a few routes that change data and then answer in different ways."""
    app = make_test_app(tmp_path_factory.mktemp("transaction"), database_url)

    @app.post("/t/refused-then-redirect")
    def refused_then_redirect() -> object:
        _add("请求本身")
        try:
            with savepoint():
                _add("被拒绝的操作")
                raise DomainError("refused")
        except DomainError:
            return redirect("/", code=303)

    @app.post("/t/accepted-in-savepoint")
    def accepted_in_savepoint() -> object:
        with savepoint():
            _add("保存点内")
        return "ok"

    @app.post("/t/marked-failed")
    def marked_failed() -> object:
        _add("标记失败")
        mark_failed()
        return "ok"

    @app.post("/t/error-after-flush")
    def error_after_flush() -> object:
        _add("错误之前")
        abort(404)

    @app.post("/t/unprocessable")
    def unprocessable() -> object:
        _add("四二二")
        return "shown again", 422

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _post(app: Flask, path: str) -> int:
    with app.test_client() as client:
        return client.post(path).status_code


def test_a_refused_action_is_undone_and_the_rest_of_the_request_commits(routes_app: Flask) -> None:
    assert _post(routes_app, "/t/refused-then-redirect") == 303
    names = _names()
    assert "请求本身" in names
    assert "被拒绝的操作" not in names


def test_an_action_that_succeeds_in_its_savepoint_commits(routes_app: Flask) -> None:
    assert _post(routes_app, "/t/accepted-in-savepoint") == 200
    assert "保存点内" in _names()


def test_a_request_marked_failed_saves_nothing(routes_app: Flask) -> None:
    assert _post(routes_app, "/t/marked-failed") == 200
    assert "标记失败" not in _names()


def test_an_error_page_saves_nothing_the_view_flushed(routes_app: Flask) -> None:
    assert _post(routes_app, "/t/error-after-flush") == 404
    assert "错误之前" not in _names()


def test_the_status_code_alone_does_not_decide(routes_app: Flask) -> None:
    assert _post(routes_app, "/t/unprocessable") == 422
    assert "四二二" in _names()


def test_releasing_a_savepoint_does_not_commit_the_transaction(app: Flask, tmp_path: Path) -> None:
    # pysqlite opens its transaction only before the first write: a SAVEPOINT issued first would
    # start one of SQLite's own, and its RELEASE would commit what a later rollback must undo.
    db.session.rollback()
    db.session.execute(select(Platform.id)).all()
    with savepoint():
        _add("尚未提交")
    db.session.rollback()
    assert "尚未提交" not in _names()


def test_a_savepoint_undoes_only_what_ran_inside_it(app: Flask) -> None:
    _add("之前")
    with pytest.raises(DomainError), savepoint():
        _add("之内")
        raise DomainError("refused")
    db.session.commit()
    names = _names()
    assert "之前" in names
    assert "之内" not in names


def test_a_failed_request_does_not_fail_the_next_one_in_the_same_app_context(routes_app: Flask) -> None:
    # Tests and CLI tools serve several requests from one app context, so one ``g`` for all of them.
    with routes_app.app_context(), routes_app.test_client() as client:
        assert client.post("/t/marked-failed").status_code == 200
        assert client.post("/t/accepted-in-savepoint").status_code == 200
    assert "保存点内" in _names()


def _store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def _write(store: LocalEvidenceStore, data: bytes) -> str:
    key, _new = store.put(data)
    track_new_file(db.session, store, key)
    return key


def test_a_file_written_in_a_released_savepoint_goes_when_the_transaction_rolls_back(
    app: Flask, tmp_path: Path
) -> None:
    # Releasing a savepoint is not the end of the transaction: the file must wait for the real commit.
    store = _store(tmp_path)
    with savepoint():
        key = _write(store, b"evidence in a savepoint")
    assert store.exists(key)
    db.session.rollback()
    assert not store.exists(key)


def test_a_refused_savepoint_deletes_only_its_own_files(app: Flask, tmp_path: Path) -> None:
    store = _store(tmp_path)
    before = _write(store, b"written before")
    with pytest.raises(DomainError), savepoint():
        inside = _write(store, b"written inside")
        raise DomainError("refused")
    assert not store.exists(inside)
    assert store.exists(before)
    db.session.commit()
    assert store.exists(before)


def test_a_file_given_up_inside_a_refused_savepoint_stays(app: Flask, tmp_path: Path) -> None:
    store = _store(tmp_path)
    key = _write(store, b"kept")
    db.session.commit()
    with pytest.raises(DomainError), savepoint():
        delete_after_commit(db.session, store, key)
        raise DomainError("refused")
    db.session.commit()
    assert store.exists(key)
