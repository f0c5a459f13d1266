"""A memo of rollup reads (sums, masters, known months), valid for the rollup version it was built at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from complaints.extensions import db
from complaints.models.stats import StatVersion

#: Sums and masters already computed, for the rollup version they were computed at. A change of the
#: rollup bumps its version, so a stale entry is never served; each worker process keeps its own.
_MEMO: dict[Any, Any] = {}
_MEMO_LIMIT = 4000
#: Values too costly to build again while the version stands (the complaint dataset's generalisation):
#: never dropped for room, only when the version moves on.
_LASTING: dict[Any, Any] = {}
#: Where a session keeps the version it read, until its next flush or the end of its transaction.
_SEEN = "collectwatch_stat_version"


def rollup_version() -> tuple[int, Any]:
    """The rollup's version counter and change time (ETag and Last-Modified)."""
    row = db.session.get(StatVersion, 1)
    return (row.version, row.changed_at) if row else (0, None)


def _version() -> Any:
    """The rollup version, read once per transaction of the session (a flush may move it on)."""
    info = db.session.info
    if _SEEN not in info:
        info[_SEEN] = rollup_version()
    return info[_SEEN]


def memoised(key: Any, build: Any, *, lasting: bool = False, current: Any = None) -> Any:
    """The value for key at the current rollup version, building it once.

    ``lasting``: kept until the version changes, even when the memo of cheaper reads is cleared for room.
    ``current(value)``: false when the value went stale without a rollup change (time passed): built again.
    """
    version = _version()
    if _MEMO.get("__version__") != version:
        _MEMO.clear()
        _MEMO["__version__"] = version
        _LASTING.clear()
    if lasting:
        if key not in _LASTING or (current is not None and not current(_LASTING[key])):
            _LASTING[key] = build()
        return _LASTING[key]
    if key not in _MEMO:
        if len(_MEMO) > _MEMO_LIMIT:
            _MEMO.clear()
            _MEMO["__version__"] = version
        _MEMO[key] = build()
    return _MEMO[key]


def _forget_version(session: Session, *_args: object) -> None:
    session.info.pop(_SEEN, None)


def install(target: scoped_session[Any]) -> None:
    """Read the version again after each flush, commit or rollback of ``target``'s sessions (idempotent)."""
    for name in ("after_flush", "after_commit", "after_soft_rollback"):
        if not event.contains(target, name, _forget_version):
            event.listen(target, name, _forget_version)
