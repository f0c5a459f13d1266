"""The statistics rollup: which complaints are public, what each adds to `stat_counts`, and keeping that true.

A complaint is public — counted in every published figure — when it passed triage and still stands:
it has an ``accepted_at``, its status is accepted, referred or closed, it was not closed as a
withdrawal (the consumer took it back) or a duplicate (counted once, under the complaint it duplicates),
it is linked to a directory platform (triage links only verified ones; a complaint whose typed
platform was never linked stays out, whatever its status), and it was not folded into its campaign
(officers judged it agent-filed and it is not its campaign's first agent-filed complaint, which
alone counts for them all: complaints.casework.campaigns).
Rejections cannot follow acceptance, but a rejected complaint would not count either.

Each public complaint contributes one unit to a fixed set of cells (see `contributions`). Any
flush that touches a complaint, its violation codes, its referrals or its platform's answers reads the complaint's facts
from the database just before the flush (what the rollup counts now) and just after it, and
applies new − old to `stat_counts` in the same transaction; ORM bulk UPDATE/DELETE statements are
caught the same way. `rebuild` recomputes the whole rollup in SQL, independently of the Python
`contributions`, and reports every difference (complaints.statistics.rebuild).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, delete, event, false, inspect, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

from complaints.extensions import db
from complaints.models import Complaint, ComplaintViolation, PlatformResponse, Referral, Resolution
from complaints.models.base import utcnow
from complaints.models.stats import ANY, UNLINKED, StatCount, StatVersion
from complaints.statistics import dimensions
from complaints.statistics.dimensions import CODE, COLLECTOR, NOT_REFERRED, PLATFORM

#: Statuses of complaints that passed triage.
PUBLIC_STATUSES = frozenset({"accepted", "referred", "closed"})
#: Resolutions that keep a closed complaint in the public set.
PUBLIC_RESOLUTIONS = frozenset(
    {Resolution.RESOLVED.value, Resolution.REGULATOR_ACTION.value, Resolution.UNRESOLVED.value}
)
#: The ``month`` of the cells that count a complaint for all time (sorts after every ``YYYY-MM``).
ALL_TIME_MONTH = "all"
#: Triage delays above this many days are counted in this bucket.
MAX_TRIAGE_DAYS = 365


class Counts(NamedTuple):
    """A cell of `stat_counts`: public complaints, how many had verified evidence, how many were referred."""

    complaints: int
    verified: int
    referred: int

    def plus(self, other: Counts, sign: int = 1) -> Counts:
        """These counts with `other` added (``sign=-1``: taken away)."""
        return Counts(
            self.complaints + sign * other.complaints,
            self.verified + sign * other.verified,
            self.referred + sign * other.referred,
        )


#: Nothing counted: what a cell that no complaint reaches holds.
NO_COUNTS = Counts(0, 0, 0)

Key = tuple[str, int, int, str, str, str, str]  # month, platform, collector, code, status, dim, value
Cells = dict[Key, Counts]
KEY_COLUMNS = ("month", "platform_id", "collector_id", "code", "status", "dim", "value")
#: Complaint attributes whose change can move a public figure: those of the cells' keys and flags, and
#: those the dimensions read.
WATCHED = tuple(
    dict.fromkeys(
        (
            "status",
            "resolution",
            "accepted_at",
            "submitted_at",
            "platform_id",
            "platform",
            "collector_id",
            "collector",
            "evidence_verified",
            "campaign_folded",
            "violations",
            *(name for d in dimensions.DIMENSIONS for name in d.reads),
        )
    )
)
_CHUNK = 5000


def is_public(
    status: str,
    resolution: str | None,
    accepted_at: dt.datetime | None,
    platform_id: int | None,
    folded: bool = False,
) -> bool:
    """Whether a complaint in this state counts in the public statistics."""
    if accepted_at is None or platform_id is None or status not in PUBLIC_STATUSES or folded:
        return False
    return resolution is None or resolution in PUBLIC_RESOLUTIONS


def public_clause(c: Any = Complaint, *, folded: bool = False) -> ColumnElement[bool]:
    """`is_public` in SQL, on the complaints table or an alias of it.

    ``folded=True`` asks instead for the complaints that would count but were folded into their
    campaign (the figure the pages give beside the counts).
    """
    return and_(
        c.accepted_at.is_not(None),
        c.platform_id.is_not(None),
        c.status.in_(sorted(PUBLIC_STATUSES)),
        or_(c.resolution.is_(None), c.resolution.in_(sorted(PUBLIC_RESOLUTIONS))),
        c.campaign_folded.is_(true()) if folded else c.campaign_folded.is_(false()),
    )


def month_of(moment: dt.datetime) -> str:
    """The ``YYYY-MM`` month (UTC) a timestamp falls in."""
    return f"{moment.year:04d}-{moment.month:02d}"


def triage_days(submitted_at: dt.datetime, accepted_at: dt.datetime) -> int:
    """Whole days between filing and acceptance, capped at MAX_TRIAGE_DAYS."""
    return max(0, min(MAX_TRIAGE_DAYS, int((accepted_at - submitted_at).total_seconds() // 86400)))


def contributions(facts: dict[str, Any] | None) -> Cells:
    """The cells one public complaint adds one to, with its verified and referred flags."""
    if not facts:
        return {}
    m, p, s = facts["month"], facts["platform"], facts["status"]
    k = facts["collector"] if facts["collector"] is not None else UNLINKED
    unit = Counts(1, int(bool(facts["verified"])), int(bool(facts["referred"])))
    # (cuts, status, dim, value) of each registered dimension's values; most are not split by status (no page asks)
    dims = [
        (d.cuts, s if d.by_status else "", d.key, value) for d in dimensions.registered() for value in d.values(facts)
    ]
    keys: list[Key] = [(m, p, ANY, "", s, "", ""), (m, p, k, "", s, "", "")]
    for code in facts["codes"]:
        keys += [(m, p, ANY, code, s, "", ""), (m, ANY, k, code, s, "", "")]
        keys += [(m, ANY, ANY, code, st, d, v) for cuts, st, d, v in dims if CODE in cuts]
    keys += [(m, p, ANY, "", st, d, v) for cuts, st, d, v in dims if PLATFORM in cuts]
    keys += [(m, ANY, k, "", st, d, v) for cuts, st, d, v in dims if COLLECTOR in cuts]
    # The same cells again under the all-time bucket, so the default page reads a few rows, not every month.
    keys += [(ALL_TIME_MONTH, *key[1:]) for key in keys]
    return dict.fromkeys(keys, unit)


def _facts(row: Any, codes: list[str], outcomes: list[str], response: str = "") -> dict[str, Any] | None:
    if not is_public(row.status, row.resolution, row.accepted_at, row.platform_id, row.campaign_folded):
        return None
    return {
        "month": month_of(row.submitted_at),
        "platform": row.platform_id,
        "collector": row.collector_id,
        "status": row.status,
        "codes": sorted(set(codes)),
        "channels": sorted(set(row.channels or [])),
        "province": row.province or "",
        "outcomes": sorted(set(outcomes)) or [NOT_REFERRED],
        "referred": bool(outcomes),
        "days": triage_days(row.submitted_at, row.accepted_at),
        "verified": bool(row.evidence_verified),
        "response": response,
        **{name: getattr(row, name) for name in _EXTRA_COLUMNS},
    }


_FACT_COLUMNS = (
    Complaint.id,
    Complaint.status,
    Complaint.resolution,
    Complaint.accepted_at,
    Complaint.submitted_at,
    Complaint.platform_id,
    Complaint.collector_id,
    Complaint.channels,
    Complaint.province,
    Complaint.evidence_verified,
    Complaint.campaign_folded,
)
#: Complaint columns a dimension reads that the facts do not hold yet: loaded, and kept in the facts under their names.
_EXTRA_COLUMNS = tuple(
    dict.fromkeys(
        name for d in dimensions.DIMENSIONS for name in d.reads if name not in {column.key for column in _FACT_COLUMNS}
    )
)
_COMPLAINT_COLUMNS = (*_FACT_COLUMNS, *(getattr(Complaint, name) for name in _EXTRA_COLUMNS))


def _load_facts(
    connection: Connection, where: ColumnElement[bool], child_where: Any
) -> dict[int, dict[str, Any] | None]:
    """Facts of the complaints matching `where` (children filtered by `child_where(column)`)."""
    rows = connection.execute(select(*_COMPLAINT_COLUMNS).where(where)).all()
    codes: defaultdict[int, list[str]] = defaultdict(list)
    outcomes: defaultdict[int, list[str]] = defaultdict(list)
    latest: dict[int, str] = {}
    if rows:
        cv, rf, pr = ComplaintViolation, Referral, PlatformResponse
        for cid, code in connection.execute(select(cv.complaint_id, cv.code).where(child_where(cv.complaint_id))):
            codes[cid].append(code)
        for cid, status in connection.execute(select(rf.complaint_id, rf.status).where(child_where(rf.complaint_id))):
            outcomes[cid].append(status)
        answers = select(pr.complaint_id, pr.response_type).where(child_where(pr.complaint_id)).order_by(pr.id)
        for cid, response_type in connection.execute(answers):
            latest[cid] = response_type  # the last answer given wins
    return {row.id: _facts(row, codes[row.id], outcomes[row.id], latest.get(row.id, "")) for row in rows}


def facts_for(connection: Connection, ids: Iterable[int]) -> dict[int, dict[str, Any] | None]:
    """Current facts of these complaints (None when not public or gone)."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any] | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(_load_facts(connection, Complaint.id.in_(chunk), lambda column, c=chunk: column.in_(c)))
    return found


def add_cells(total: Cells, cells: Cells, sign: int = 1) -> None:
    """Add (or subtract) a complaint's cells into a running total."""
    for key, counts in cells.items():
        total[key] = total.get(key, NO_COUNTS).plus(counts, sign)


def _insert(connection: Connection) -> Any:
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert


def bump_version(connection: Connection) -> None:
    """Advance the rollup version (ETags) and its change time."""
    now = utcnow()
    done = connection.execute(
        update(StatVersion).where(StatVersion.id == 1).values(version=StatVersion.version + 1, changed_at=now)
    )
    if not done.rowcount:
        connection.execute(StatVersion.__table__.insert().values(id=1, version=1, changed_at=now))


def apply_changes(
    connection: Connection, old_facts: dict[int, dict[str, Any] | None], new_facts: dict[int, dict[str, Any] | None]
) -> int:
    """Move the rollup from the complaints' old facts to their new ones; return how many cells moved."""
    delta: Cells = {}
    for cid in set(old_facts) | set(new_facts):
        before, after = old_facts.get(cid), new_facts.get(cid)
        if before != after:
            add_cells(delta, contributions(before), -1)
            add_cells(delta, contributions(after), 1)
    moves = [
        dict(zip(KEY_COLUMNS, key, strict=True), **counts._asdict())
        for key, counts in delta.items()
        if counts != NO_COUNTS
    ]
    if not moves:
        return 0
    stmt = _insert(connection)(StatCount.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={c: getattr(StatCount.__table__.c, c) + getattr(stmt.excluded, c) for c in Counts._fields},
    )
    connection.execute(stmt, moves)
    # a cell that lost a complaint may now count none: those rows go
    emptied = [
        {f"k_{c}": part for c, part in zip(KEY_COLUMNS, key, strict=True)}
        for key, counts in delta.items()
        if counts.complaints < 0
    ]
    if emptied:
        t = StatCount.__table__
        match = [t.c[c] == bindparam(f"k_{c}") for c in KEY_COLUMNS]
        connection.execute(delete(t).where(*match, t.c.complaints == 0), emptied)
    bump_version(connection)
    return len(moves)


# --- keeping the rollup in step with the session -------------------------------------------------


def _complaint_changed(complaint: Complaint) -> bool:
    state: Any = inspect(complaint)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _touched_ids(session: Session) -> tuple[set[int], list[Any]]:
    """Ids of persistent complaints this flush touches, and objects (new complaints) without an id yet."""
    ids: set[int] = set()
    pending: list[Any] = []

    def note(item: Any) -> None:
        if isinstance(item, int):
            ids.add(item)
        elif item is not None:
            identity = inspect(item).identity
            ids.add(identity[0]) if identity else pending.append(item)

    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Complaint):
            if obj in session.new or obj in session.deleted or _complaint_changed(obj):
                note(obj)
        elif isinstance(obj, ComplaintViolation | Referral | PlatformResponse):
            # an answer is always written with its complaint's id (it has no relationship to follow)
            owner = obj.complaint_id if isinstance(obj, PlatformResponse) else None
            note(owner or (obj.complaint if obj.complaint_id is None else obj.complaint_id))
            history: Any = inspect(obj).attrs.complaint_id.history
            for cid in history.deleted or ():
                note(cid)
    return ids, pending


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Read what the rollup counts now for every complaint this flush touches (the database is still unchanged)."""
    ids, pending = _touched_ids(session)
    if ids or pending:
        old = facts_for(session.connection(), ids) if ids else {}
        session.info["stat_pending"] = (old, pending)


def _after_flush(session: Session, flush_context: Any) -> None:
    """Read the same complaints again, after the flush, and apply the difference in the same transaction."""
    old, pending = session.info.pop("stat_pending", ({}, []))
    ids = set(old)
    for item in pending:
        identity = inspect(item).identity
        if identity:
            ids.add(identity[0])
    if ids:
        connection = session.connection()
        apply_changes(connection, old, facts_for(connection, ids))


def _forget(session: Session, previous_transaction: Any = None) -> None:
    """A rolled-back flush leaves nothing to apply."""
    session.info.pop("stat_pending", None)


def _bulk_statement(state: ORMExecuteState) -> Any:
    """Catch ORM bulk UPDATE/DELETE of complaints, codes, referrals or answers (e.g. a platform merge)."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    entity = state.bind_mapper.class_
    if entity not in (Complaint, ComplaintViolation, Referral, PlatformResponse):
        return None
    column = Complaint.id if entity is Complaint else entity.complaint_id
    where = getattr(state.statement, "whereclause", None)
    query = select(column) if where is None else select(column).where(where)
    connection = state.session.connection()
    ids = set(connection.execute(query).scalars())
    old = facts_for(connection, ids) if ids else {}
    result = state.invoke_statement()
    if ids:
        apply_changes(connection, old, facts_for(connection, ids))
    return result


def install() -> None:
    """Listen to every session of the app (idempotent)."""
    target = db.session
    for name, handler in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("do_orm_execute", _bulk_statement),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(target, name, handler):
            event.listen(target, name, handler)
