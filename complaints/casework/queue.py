"""The triage queue: filters, search, sorting and keyset pagination that stay fast on large tables."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from complaints.casework import platform_loop
from complaints.core.clock import local_today, start_of_local_day
from complaints.core.crypto import current_keyring
from complaints.core.database import matches_like, parse_id
from complaints.extensions import db
from complaints.models import (
    Complaint,
    ComplaintStatus,
    ComplaintViolation,
    Evidence,
    NarrativeTerm,
    Referral,
    ReferralStatus,
)
from complaints.models.base import utcnow
from complaints.models.private import search_form

PAGE_SIZE = 50
#: The queue's platform filters (QueueFilter.platform).
PLATFORM_OVERDUE = "overdue"
PLATFORM_BACK = "back"

#: Referral statuses still waiting for the regulator; past their due date they are overdue.
WAITING_REFERRAL = (ReferralStatus.SENT.value, ReferralStatus.ACKNOWLEDGED.value)
#: Sort keys offered: (column attribute, descending).
SORTS: dict[str, tuple[str, bool]] = {
    "newest": ("submitted_at", True),
    "oldest": ("submitted_at", False),
    "updated": ("updated_at", True),
    #: Only for the overdue platform answers, which all have a deadline: the longest overdue first.
    "deadline": ("platform_answer_due_at", False),
}
_REFERENCE = re.compile(r"^CW-[0-9]{0,4}(-[0-9]{0,6})?$", re.IGNORECASE)
_FULL_REFERENCE = re.compile(r"^CW-[0-9]{4}-[0-9]{6,}$", re.IGNORECASE)
#: A search piece held by fewer complaints than this is looked up directly; a commoner one is probed per row.
RARE_TERM = 2000
#: The longest narrative search; a longer one is refused with a message rather than cut silently.
MAX_SEARCH_CHARACTERS = 100
#: How many of the search's pieces have their postings counted, taken evenly along the text.
COUNTED_PIECES = 8
#: How many of those (the rarest) go into the SQL; the decrypted check then decides exactly.
SQL_PIECES = 3
#: How many candidate complaints one request decrypts and checks before it stops and offers "next".
MAX_EXAMINED = 1000


@dataclass(frozen=True)
class QueueFilter:
    """What the officer asked the queue for; empty values mean "any"."""

    status: str = "open"
    severity: str = ""
    platform_id: int | None = None
    collector_id: int | None = None
    code: str = ""
    assignee_id: int | None = None
    unassigned: bool = False
    overdue: bool = False
    #: "overdue": the platform's answer is past its deadline; "back": disputed or disowned by the platform.
    platform: str = ""
    has_evidence: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    province: str = ""
    search: str = ""
    sort: str = "newest"
    cursor: str = ""


@dataclass
class QueuePage:
    """One page of the queue and what the page needs to mark its rows."""

    complaints: list[Complaint]
    next_cursor: str | None
    #: the search stopped after MAX_EXAMINED candidates; the next page searches on from there
    searched_partly: bool = False
    evidence_counts: dict[int, int] = field(default_factory=dict)
    overdue_ids: set[int] = field(default_factory=set)


def text_search(query: QueueFilter) -> str:
    """The narrative text searched for, in search form; empty when the search is a reference, blank or too long."""
    search = query.search.strip()
    if not search or _FULL_REFERENCE.match(search) or _REFERENCE.match(search) or search_too_long(query):
        return ""
    return search_form(search)


def search_too_long(query: QueueFilter) -> bool:
    """Whether the search is longer than MAX_SEARCH_CHARACTERS: the queue then searches nothing and says so."""
    return len(query.search.strip()) > MAX_SEARCH_CHARACTERS


def search_too_short(query: QueueFilter) -> bool:
    """Whether the narrative search is one character: the bigram index cannot answer it."""
    return len(text_search(query)) == 1


def _counted_pieces(text: str) -> list[str]:
    """At most COUNTED_PIECES distinct two-character pieces of the text, spread evenly from its start to its end."""
    pieces = list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))
    if len(pieces) <= COUNTED_PIECES:
        return pieces
    step = (len(pieces) - 1) / (COUNTED_PIECES - 1)
    return [pieces[round(i * step)] for i in range(COUNTED_PIECES)]


def narrative_candidates(text: str) -> Any:
    """SQL condition: the narrative holds the rarest few two-character pieces of the text (by keyed hash).

    Narratives are encrypted, so the search reads the blind index (narrative_terms, keyed by
    term hash then complaint). Only a bounded sample of the pieces is counted and only the
    rarest SQL_PIECES reach the SQL: one look-up and one EXISTS per piece made a 100-character
    search 99 statements and a 99-way query that PostgreSQL took seconds to plan and JIT-compile.
    The rarest piece decides the plan: when it is rare, its few complaints are the candidates
    (an IN list); when every piece is common, the queue is walked in its own order and each
    complaint is probed. Complaints holding the pieces but not the text, and 32-bit hash
    collisions, pass here; ``matches_search`` removes them. A one-character search has no piece
    and matches no narrative.
    """
    ring = current_keyring()
    codes = sorted({ring.term_code(piece) for piece in _counted_pieces(text)})
    if not codes:
        return Complaint.id.is_(None)
    postings = {
        code: db.session.scalar(
            select(func.count()).select_from(
                select(NarrativeTerm.complaint_id).where(NarrativeTerm.term_hash == code).limit(RARE_TERM).subquery()
            )
        )
        or 0
        for code in codes
    }
    chosen = sorted(codes, key=lambda code: (postings[code], code))[:SQL_PIECES]
    rarest = chosen[0]
    conditions: list[ColumnElement[bool]] = [
        exists().where(NarrativeTerm.complaint_id == Complaint.id, NarrativeTerm.term_hash == code)
        for code in chosen
        if code != rarest or postings[rarest] >= RARE_TERM
    ]
    if postings[rarest] < RARE_TERM:
        conditions.append(Complaint.id.in_(select(NarrativeTerm.complaint_id).where(NarrativeTerm.term_hash == rarest)))
    return and_(*conditions)


def matches_search(complaint: Complaint, text: str) -> bool:
    """Whether a candidate really contains the searched text (decrypted)."""
    return text in search_form(complaint.narrative or "")


def overdue_referral_exists(today: dt.date) -> Any:
    """SQL condition: the complaint has a referral past its follow-up date with no answer yet."""
    return exists().where(
        Referral.complaint_id == Complaint.id,
        Referral.status.in_(WAITING_REFERRAL),
        Referral.due_on < today,
    )


def filtered(query: QueueFilter, today: dt.date | None = None) -> Select[Any]:
    """The SELECT of complaints matching every filter (without order or limit)."""
    today = today or local_today()
    stmt = select(Complaint)
    if query.status == "open":
        # "Not closed" rather than IN (four open statuses): the planner can then walk the
        # submitted_at index newest first and stop after one page, instead of sorting every open row.
        stmt = stmt.where(Complaint.status != ComplaintStatus.CLOSED.value)
    elif query.status in ComplaintStatus.values():
        stmt = stmt.where(Complaint.status == query.status)
    if query.severity:
        stmt = stmt.where(Complaint.severity == query.severity)
    if query.platform_id:
        stmt = stmt.where(Complaint.platform_id == query.platform_id)
    if query.collector_id:
        stmt = stmt.where(Complaint.collector_id == query.collector_id)
    if query.code:
        stmt = stmt.where(
            exists().where(ComplaintViolation.complaint_id == Complaint.id, ComplaintViolation.code == query.code)
        )
    if query.unassigned:
        stmt = stmt.where(Complaint.assignee_id.is_(None))
    elif query.assignee_id:
        stmt = stmt.where(Complaint.assignee_id == query.assignee_id)
    if query.overdue:
        stmt = stmt.where(overdue_referral_exists(today))
    if query.platform == PLATFORM_OVERDUE:
        stmt = stmt.where(platform_loop.overdue_clause(utcnow()))
    elif query.platform == PLATFORM_BACK:
        stmt = stmt.where(Complaint.platform_stage.in_([stage.value for stage in platform_loop.BACK_TO_OFFICER]))
    if query.has_evidence:
        stmt = stmt.where(exists().where(Evidence.complaint_id == Complaint.id, Evidence.purged_at.is_(None)))
    if query.received_from:
        start = start_of_local_day(query.received_from)
        stmt = stmt.where(Complaint.submitted_at >= start)
    if query.received_to:
        end = start_of_local_day(query.received_to + dt.timedelta(days=1))
        stmt = stmt.where(Complaint.submitted_at < end)
    if query.province:
        stmt = stmt.where(Complaint.province == query.province)
    search = query.search.strip()
    if search:
        if _FULL_REFERENCE.match(search):
            # A whole reference is an equality on the unique index.
            stmt = stmt.where(Complaint.reference == search.upper())
        elif _REFERENCE.match(search):
            # The beginning of a reference: a range the unique index serves under any collation
            # (a LIKE prefix alone is not indexed on PostgreSQL databases with a non-C collation).
            prefix = search.upper().rstrip("-")
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            stmt = stmt.where(
                Complaint.reference >= prefix,
                Complaint.reference < upper,
                matches_like(Complaint.reference, search.upper(), prefix=True),
            )
        elif search_too_long(query):
            stmt = stmt.where(Complaint.id.is_(None))
        else:
            # Chinese has no word boundaries: a substring match (of bigrams) finds two-character names too.
            # (A reference always takes one of the branches above, so no OR on the reference here:
            # it made PostgreSQL scan every row instead of walking the queue's index.)
            stmt = stmt.where(narrative_candidates(search_form(search)))
    return stmt


def _encode_cursor(value: dt.datetime, ident: int) -> str:
    return f"{value.astimezone(dt.UTC).isoformat()}~{ident}"


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    try:
        stamp, ident = cursor.rsplit("~", 1)
        value = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    number = parse_id(ident)
    if number is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)), number


def queue_page(query: QueueFilter, page_size: int = PAGE_SIZE, today: dt.date | None = None) -> QueuePage:
    """One page in the chosen order, continuing after the cursor (keyset, so page 1000 costs as page 1)."""
    today = today or local_today()
    column_name, descending = SORTS.get(query.sort, SORTS["newest"])
    column = getattr(Complaint, column_name)
    base = filtered(query, today)
    order = (column.desc(), Complaint.id.desc()) if descending else (column.asc(), Complaint.id.asc())
    # The page shows each complaint's codes and platform: load them in two queries, not one per row.
    base = base.options(selectinload(Complaint.violations), selectinload(Complaint.platform)).order_by(*order)
    text = text_search(query)
    after = _decode_cursor(query.cursor) if query.cursor else None
    rows: list[Complaint] = []
    examined = 0
    partly = False
    while True:
        stmt = base
        if after is not None:
            value, ident = after
            if descending:
                stmt = stmt.where(or_(column < value, and_(column == value, Complaint.id < ident)))
            else:
                stmt = stmt.where(or_(column > value, and_(column == value, Complaint.id > ident)))
        if not text:
            rows = list(db.session.scalars(stmt.limit(page_size + 1)))
            break
        # Blind-index candidates: keep those whose decrypted narrative really holds the text, and
        # read on until the page is full, the candidates run out, or MAX_EXAMINED were checked
        # (a search whose pieces are in every narrative would otherwise decrypt the whole table).
        size = min(page_size + 1, MAX_EXAMINED - examined)
        batch = list(db.session.scalars(stmt.limit(size)))
        examined += len(batch)
        rows.extend(c for c in batch if matches_search(c, text))
        if len(batch) < size or len(rows) > page_size:
            break
        after = (getattr(batch[-1], column_name), batch[-1].id)
        if examined >= MAX_EXAMINED:
            partly = True
            break
    more = len(rows) > page_size
    rows = rows[:page_size]
    if more and rows:
        next_cursor: str | None = _encode_cursor(getattr(rows[-1], column_name), rows[-1].id)
    elif partly and after is not None:
        next_cursor = _encode_cursor(*after)
    else:
        next_cursor = None
    ids = [c.id for c in rows]
    counts: dict[int, int] = {}
    overdue: set[int] = set()
    if ids:
        counts = dict(
            db.session.execute(
                select(Evidence.complaint_id, func.count())
                .where(Evidence.complaint_id.in_(ids), Evidence.purged_at.is_(None))
                .group_by(Evidence.complaint_id)
            ).all()
        )
        # Only the complaint ids go to SQL, so the per-complaint index is used; the test is cheap here.
        overdue = {
            complaint_id
            for complaint_id, status, due_on in db.session.execute(
                select(Referral.complaint_id, Referral.status, Referral.due_on).where(Referral.complaint_id.in_(ids))
            )
            if status in WAITING_REFERRAL and due_on < today
        }
    return QueuePage(
        complaints=rows,
        next_cursor=next_cursor,
        searched_partly=partly,
        evidence_counts=counts,
        overdue_ids=overdue,
    )


_COUNTS_CACHE: dict[str, tuple[float, Any]] = {}


def _reuse(name: str, max_age: float, compute: Callable[[], Any]) -> Any:
    """A whole-table figure computed at most once per ``max_age`` seconds per process and database."""
    key = f"{name}:{db.engine.url}"
    cached = _COUNTS_CACHE.get(key)
    now = time.monotonic()
    if max_age > 0 and cached is not None and now - cached[0] < max_age:
        return cached[1]
    value = compute()
    _COUNTS_CACHE[key] = (now, value)
    return value


def status_counts(max_age: float = 0) -> dict[str, int]:
    """How many complaints are in each status, reused for ``max_age`` seconds.

    Counting is an index-only scan of the status index, but it still touches every row: about
    30 ms per 200,000 complaints on PostgreSQL, so busy queues share one count for a few seconds.
    """

    def compute() -> dict[str, int]:
        counts = {status: 0 for status in ComplaintStatus.values()}
        for status, count in db.session.execute(select(Complaint.status, func.count()).group_by(Complaint.status)):
            counts[status] = count
        return counts

    return dict(_reuse("status_counts", max_age, compute))


def overdue_count(today: dt.date | None = None, max_age: float = 0) -> int:
    """How many complaints have a referral past its follow-up date (reused like the status counts)."""
    day = today or local_today()

    def compute() -> int:
        return int(
            db.session.scalar(
                select(func.count(func.distinct(Referral.complaint_id))).where(
                    Referral.status.in_(WAITING_REFERRAL), Referral.due_on < day
                )
            )
            or 0
        )

    return int(_reuse(f"overdue:{day.isoformat()}", max_age, compute))


def platform_counts(max_age: float = 0) -> dict[str, int]:
    """How many platform answers are overdue, and how many complaints came back from the platform."""

    def compute() -> dict[str, int]:
        back = [stage.value for stage in platform_loop.BACK_TO_OFFICER]
        count = select(func.count()).select_from(Complaint)
        return {
            PLATFORM_OVERDUE: int(db.session.scalar(count.where(platform_loop.overdue_clause(utcnow()))) or 0),
            PLATFORM_BACK: int(db.session.scalar(count.where(Complaint.platform_stage.in_(back))) or 0),
        }

    return dict(_reuse("platform_counts", max_age, compute))


def first_page_of(query: QueueFilter) -> QueueFilter:
    """The same filters from the first page."""
    return replace(query, cursor="")
