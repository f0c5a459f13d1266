"""The researchers' datasets: one row per public complaint, and the aggregate counts, with their dictionary.

The complaint-level rows never carry the reference, contact details, names, phone numbers, loan
references, evidence or access codes; the narrative appears only in its redacted form, and only
when the consumer consented to publication and a supervisor approved the redacted text.
"""

from __future__ import annotations

import bisect
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, Text, case, cast, func, literal_column, select

from complaints.extensions import db
from complaints.models import (
    Channel,
    CollectionStage,
    Collector,
    CollectorKind,
    Complaint,
    ComplaintStatus,
    ComplaintViolation,
    ConsumerReview,
    Platform,
    PlatformResponse,
    Referral,
    Resolution,
    ResponseType,
)
from complaints.publication import boundary
from complaints.publication.review import published_clause
from complaints.statistics import anonymity, answers, dimensions
from complaints.statistics.memo import memoised
from complaints.statistics.periods import Period
from complaints.statistics.recompute import month_and_days_sql
from complaints.statistics.rollup import PUBLIC_RESOLUTIONS, PUBLIC_STATUSES, public_clause
from complaints.statistics.suppression import min_cell

CHUNK = 10_000
#: Days to triage above this are published as this many ("this many or more"): long delays are rare.
TRIAGE_DAYS_CAP = 30


@dataclass(frozen=True)
class Column:
    """One column of a dataset, as the data dictionary and datapackage.json describe it."""

    name: str
    type: str  # Frictionless type: string, integer, number, date, yearmonth
    #: A lazy string (the reader's language); ``%(k)s`` and ``%(below)s`` stand for the suppression
    #: threshold STATS_MIN_CELL and the largest hidden count, ``%(cap)s`` for TRIAGE_DAYS_CAP, filled in
    #: by `meaning`.
    description: Any
    allowed: tuple[str, ...] = ()

    def meaning(self, k: int) -> str:
        """The description in the current language, with the suppression threshold written out."""
        text = str(self.description)
        return text % {"k": k, "below": k - 1, "cap": TRIAGE_DAYS_CAP} if "%(" in text else text


def _values(enum_cls: Any) -> tuple[str, ...]:
    return tuple(enum_cls.values())


COMPLAINT_COLUMNS = (
    Column("public_id", "string", _l("Random identifier of the complaint in the public data (not its reference).")),
    Column(
        "month_received",
        "string",
        _l(
            "Month the complaint was filed (UTC), YYYY-MM; its quarter (YYYY-Qn) or its year (YYYY) where "
            "the month would single it out."
        ),
    ),
    Column(
        "province",
        "string",
        _l(
            "Province code (GB/T 2260 two-digit prefix); its region (north, northeast, east, central, south, "
            "southwest, northwest) or “*” (withheld) where the province would single it out; empty when not given."
        ),
    ),
    Column("platform_id", "integer", _l("Identifier of the platform the debt is owed to; “*” where withheld.")),
    Column("platform", "string", _l("Platform name in Chinese; “*” where withheld.")),
    Column("platform_en", "string", _l("Platform name in English, when known; “*” where withheld.")),
    Column(
        "collector_id",
        "integer",
        _l("Identifier of the canonical collector, empty when none is linked yet; “*” where withheld."),
    ),
    Column("collector", "string", _l("Canonical collector name, empty when none is linked yet; “*” where withheld.")),
    Column(
        "collector_kind",
        "string",
        _l("Kind of collector (the linked collector's, else as reported); “*” where withheld."),
        _values(CollectorKind),
    ),
    Column(
        "violation_codes",
        "string",
        _l(
            "Every violation code on the complaint, space-separated, primary first; the primary code alone "
            "where the combination is rare; “*” where withheld."
        ),
    ),
    Column("primary_code", "string", _l("The primary violation code; “*” where withheld.")),
    Column(
        "channels", "string", _l("Channels the collector used, space-separated; “*” where withheld."), _values(Channel)
    ),
    Column(
        "stage",
        "string",
        _l("Collection stage as the consumer saw it; “*” where withheld."),
        _values(CollectionStage),
    ),
    Column("status", "string", _l("Status of the complaint; “*” where withheld."), tuple(sorted(PUBLIC_STATUSES))),
    Column(
        "resolution",
        "string",
        _l("How a closed complaint ended; empty while open; “*” where the status is withheld."),
        tuple(sorted(PUBLIC_RESOLUTIONS)),
    ),
    Column("referred_to", "string", _l("Regulators the complaint was referred to, space-separated codes.")),
    Column(
        "days_to_triage",
        "integer",
        _l("Whole days between filing and acceptance at triage; %(cap)s stands for %(cap)s or more."),
    ),
    Column(
        "platform_response",
        "string",
        _l(
            "How the platform answered, when the complaint was sent to it: its final answer's type, or "
            "in_progress while it owes one; empty when not sent or not answered yet; “*” where withheld."
        ),
        (*_values(ResponseType), anonymity.WITHHELD),
    ),
    Column(
        "timely_response",
        "string",
        _l(
            "Whether the platform answered in time (within 15 days of sending, or 60 after saying in_progress): "
            "yes; no (a late answer, or the deadline passed without one); empty when not sent or not due yet; "
            "“*” where withheld."
        ),
        ("yes", "no", anonymity.WITHHELD),
    ),
    Column(
        "consumer_review",
        "string",
        _l(
            "What the consumer said of the platform's final answer: settled or disputed; empty when not said; "
            "“*” where withheld. A reply is not a resolution."
        ),
        (*_values(ConsumerReview), anonymity.WITHHELD),
    ),
    Column(
        "narrative_redacted",
        "string",
        _l(
            "The consumer's account with personal details removed; only where the consumer consented and a "
            "supervisor approved the redacted text, and the platform is not withheld (a narrative names it), "
            "else empty."
        ),
    ),
)
#: The dataset columns that hold the quasi-identifiers (what a collector knows of his own victims).
QUASI_IDENTIFIER_COLUMNS = tuple(ladder.column for ladder in anonymity.LADDERS)
#: The names of the rungs of generalisation, for the data dictionary.
RUNG_LABELS = {
    "withheld": _l("withheld"),
    "year": _l("year only"),
    "quarter": _l("quarter only"),
    "region": _l("region only"),
    "primary_only": _l("primary code only"),
}

_PERIOD = Column("period", "string", _l("The fixed period: all, YYYY, YYYY-Qn or YYYY-MM."))
_CODE = Column("violation_code", "string", _l("Violation code."))
_COUNT = Column(
    "complaints",
    "string",
    _l("Public complaints with the code; “<%(k)s” (1–%(below)s complaints) or “—” where a count is hidden."),
)
_EVIDENCE = Column(
    "complaints_evidence_verified",
    "string",
    _l(
        "Of those, complaints whose evidence an officer verified, hidden by the same rules as the complaint "
        "count (“<%(k)s”, “—”)."
    ),
)

COUNT_COLUMNS = {
    "platform": (
        _PERIOD,
        Column("platform_id", "integer", _l("Identifier of the platform.")),
        Column("platform", "string", _l("Platform name in Chinese.")),
        _CODE,
        _COUNT,
        _EVIDENCE,
    ),
    "collector": (
        _PERIOD,
        Column(
            "collector_id", "integer", _l("Identifier of the collector; -1 for complaints with no collector linked.")
        ),
        Column("collector", "string", _l("Collector name.")),
        _CODE,
        _COUNT,
        _EVIDENCE,
    ),
    # one per registered dimension with an aggregate dataset (province)
    **{
        d.key: (_PERIOD, Column(d.key, "string", d.dataset), _CODE, _COUNT, _EVIDENCE)
        for d in dimensions.with_dataset()
    },
}


@dataclass(frozen=True)
class Filters:
    """What a researcher narrowed the complaint-level dataset to."""

    period: Period | None = None
    platform_id: int | None = None
    collector_id: int | None = None
    code: str | None = None
    status: str | None = None


def public_condition() -> ColumnElement[bool]:
    """SQL for "this complaint counts in the public statistics" (the same rule as the rollup)."""
    return public_clause(Complaint)


#: Indexes of the COMPLAINT_COLUMNS that hold free text (names, the narrative): the only cells that can
#: begin with a formula character. The others are ids, codes, months, enum values and day counts.
COMPLAINT_TEXT_COLUMNS = frozenset(
    i
    for i, column in enumerate(COMPLAINT_COLUMNS)
    if column.name in {"platform", "platform_en", "collector", "narrative_redacted"}
)
#: Days to triage above this are published as this many ("this many or more"): long delays are rare.
TRIAGE_DAYS_CAP = 30


def _plain_rows(connection: Any, query: Any) -> list[tuple[Any, ...]]:
    """The driver's own tuples, for queries of plain integers, strings and booleans (no Row objects to build)."""
    result = connection.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _codes_by_complaint(connection: Any, low: int, high: int) -> tuple[dict[int, str], dict[int, str]]:
    """Each complaint's codes (primary first, then alphabetical, space-separated) and its primary code."""
    cv = ComplaintViolation
    # byte order, as Python sorts: PostgreSQL's default collation may ignore the dash in a code
    code = cv.code.collate("C") if connection.dialect.name == "postgresql" else cv.code
    query = (
        select(cv.complaint_id, cv.code, cv.primary)
        .where(cv.complaint_id.between(low, high))
        .order_by(cv.complaint_id, cv.primary.desc(), code)
    )
    ordered: dict[int, str] = {}
    primary: dict[int, str] = {}
    previous = None
    for cid, code_value, is_primary in _plain_rows(connection, query):
        if cid == previous:
            ordered[cid] += " " + code_value
        else:
            ordered[cid] = code_value
            primary[cid] = code_value if is_primary else ""
            previous = cid
    return ordered, primary


def _referred_by_complaint(connection: Any, low: int, high: int) -> dict[int, str]:
    """Each referred complaint's distinct regulator codes, sorted and space-separated."""
    found: dict[int, set[str]] = {}
    for cid, regulator in _plain_rows(
        connection,
        select(Referral.complaint_id, Referral.regulator_code).where(Referral.complaint_id.between(low, high)),
    ):
        found.setdefault(cid, set()).add(regulator)
    return {cid: " ".join(sorted(codes)) for cid, codes in found.items()}


def read_facts(connection: Any, moment: Any = None) -> dict[anonymity.Facts, list[int]]:
    """The exact quasi-identifiers of every public complaint, as the ids of each distinct combination.

    Read in id ranges as plain tuples (no ORM objects); equal strings are stored once. Only complaints
    linked to a platform are public (the inner join), as in the rollup.
    """
    c = Complaint
    moment = moment or answers.as_of()
    top = connection.execute(select(func.max(c.id))).scalar() or 0
    month_sql, _days_sql = month_and_days_sql(connection.dialect.name, Complaint.__tablename__)
    query = (
        select(
            c.id,
            c.platform_id,
            literal_column(month_sql, Text()),
            c.status,
            c.province,
            func.coalesce(Collector.kind, c.collector_kind_reported),
            c.collector_id,
            c.stage,
            # the JSON text, decoded once per distinct value
            cast(c.channels, Text),
        )
        .join(Platform, Platform.id == c.platform_id)
        .outerjoin(Collector, Collector.id == c.collector_id)
        .where(public_condition())
    )
    groups: dict[anonymity.Facts, list[int]] = {}
    channel_text: dict[str | None, str] = {}
    strings: dict[str, str] = {}
    for low in range(0, top + 1, CHUNK):
        high = low + CHUNK - 1
        rows = _plain_rows(connection, query.where(c.id.between(low, high)))
        if not rows:
            continue
        ordered, primary = _codes_by_complaint(connection, low, high)
        answered = _answers_by_complaint(connection, low, high, moment)
        for cid, platform_id, month, status, province, kind, collector_id, stage, channels in rows:
            text = channel_text.get(channels)
            if text is None:
                text = channel_text[channels] = " ".join(sorted(json.loads(channels) or ())) if channels else ""
            codes = ordered.get(cid, "")
            facts = anonymity.Facts(
                platform_id,
                month,
                strings.setdefault(codes, codes),
                primary.get(cid, ""),
                status,
                province or "",
                kind,
                collector_id,
                stage,
                text,
                *answered.get(cid, NOT_SENT),
            )
            groups.setdefault(facts, []).append(cid)
    return groups


#: The platform_response, timely_response and consumer_review of a complaint never sent to its platform.
NOT_SENT = ("", "", "")


def _answers_by_complaint(connection: Any, low: int, high: int, moment: Any) -> dict[int, tuple[str, str, str]]:
    """platform_response, timely_response and consumer_review of the sent complaints among ids low…high.

    Only sent complaints are read (typed rows: their timestamps come back as UTC datetimes), with the
    latest answer of each.
    """
    c, pr = Complaint, PlatformResponse
    sent = connection.execute(
        select(
            c.id,
            c.platform_stage,
            c.sent_to_platform_at,
            c.platform_answered_at,
            c.platform_timely,
            c.platform_answer_due_at,
            c.closed_at,
            c.consumer_review,
        ).where(c.id.between(low, high), c.sent_to_platform_at.is_not(None))
    ).all()
    if not sent:
        return {}
    latest = dict(
        _plain_rows(
            connection,
            select(pr.complaint_id, pr.response_type).where(pr.complaint_id.between(low, high)).order_by(pr.id),
        )
    )  # the last answer of each complaint wins
    out: dict[int, tuple[str, str, str]] = {}
    for row in sent:
        facts = {
            "platform_stage": row.platform_stage,
            "sent_to_platform_at": row.sent_to_platform_at,
            "platform_answered_at": row.platform_answered_at,
            "platform_timely": row.platform_timely,
            "consumer_review": row.consumer_review,
            "response": latest.get(row.id, ""),
        }
        out[row.id] = answers.dataset_values(facts, row.platform_answer_due_at, row.closed_at, moment)
    return out


def complaint_plan() -> anonymity.Plan:
    """The generalised quasi-identifiers of the whole public set, computed once per statistics version.

    Every download (filtered or not, the pages' and `flask build-datasets`') reads the same plan, so a
    filtered download is always a union of whole classes of the one published table.
    """
    k, moment = min_cell(), answers.as_of()

    def build() -> anonymity.Plan:
        started = time.perf_counter()
        groups = read_facts(db.session.connection(), moment)
        read = time.perf_counter() - started
        plan = anonymity.generalise(groups, k)
        plan.report.read_seconds = read
        plan.as_of = moment
        return plan

    # a deadline passing turns a timely_response to "no" without a write: built again in a new hour
    return memoised(("complaint_plan", k), build, lasting=True, current=lambda plan: plan.as_of == moment)


def selects(key: anonymity.Key, filters: Filters) -> bool:
    """Whether a published row answers the filters, by its published values only (a withheld value
    answers no filter on it; a quarter or year answers a period only when it lies wholly inside it)."""
    period = filters.period
    within = (
        period is None
        or period.kind == "all"
        or anonymity.month_within(key[anonymity.MONTH], period.first, period.last)
    )
    if not within:
        return False
    if filters.platform_id is not None and key[anonymity.PLATFORM] != filters.platform_id:
        return False
    if filters.collector_id is not None and key[anonymity.COLLECTOR] != filters.collector_id:
        return False
    if filters.status and key[anonymity.STATUS] != filters.status:
        return False
    return not filters.code or filters.code in key[anonymity.CODES][0].split(" ")


def _names(connection: Any) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Names of the platforms and collectors the public may see (`publication.boundary`)."""
    platforms = select(Platform.id, Platform.name_zh, Platform.name_en).where(boundary.platform_is_public())
    collectors = select(Collector.id, Collector.name).where(boundary.collector_is_public())
    return (
        {pid: (zh, en) for pid, zh, en in _plain_rows(connection, platforms)},
        {cid: name for cid, name in _plain_rows(connection, collectors)},
    )


def complaint_rows(filters: Filters) -> Iterator[list[object]]:
    """One list per published complaint that answers the filters, in COMPLAINT_COLUMNS order.

    The quasi-identifiers come from the plan (`complaint_plan`), never from the live row; the other
    columns are read in id ranges (flat memory). A withheld quasi-identifier reads ``*``.
    """
    plan = complaint_plan()
    wanted = sorted(cid for cid, key in plan.published.items() if selects(key, filters))
    if not wanted:
        return
    c = Complaint
    connection = db.session.connection()  # Core rows: no ORM bookkeeping per row
    platforms, collectors = _names(connection)
    _month_sql, days_sql = month_and_days_sql(connection.dialect.name, Complaint.__tablename__)
    query = select(
        c.id,
        c.public_id,
        literal_column(days_sql, Integer()),
        func.coalesce(c.resolution, ""),
        # The one rule for public narratives lives in services.publication.
        # narrative_published is the approved text in clear (the draft, narrative_redacted, is encrypted).
        case((published_clause(), c.narrative_published), else_=""),
    ).where(public_condition())
    position = 0
    while position < len(wanted):
        low = wanted[position]
        high = low + CHUNK - 1
        end = bisect.bisect_right(wanted, high, position)
        chunk = wanted[position:end]
        position = end
        rows = {row[0]: row for row in _plain_rows(connection, query.where(c.id.between(low, high)))}
        referred = _referred_by_complaint(connection, low, high)
        for cid in chunk:
            row = rows.get(cid)
            if row is None:  # no longer public since the plan was made: not published
                continue
            yield _published_row(plan.published[cid], row, referred.get(cid, ""), platforms, collectors)


def _published_row(
    key: anonymity.Key,
    row: tuple[Any, ...],
    referred: str,
    platforms: dict[int, tuple[str, str]],
    collectors: dict[int, str],
) -> list[object]:
    """A dataset row: the published quasi-identifiers with the complaint's other columns."""
    w = anonymity.WITHHELD
    platform_id, month, (codes, primary), status, province, kind, collector_id, stage, channels, *loop = key
    response, timely, review = loop
    _cid, public_id, days, resolution, narrative = row
    name_zh, name_en = (w, w) if platform_id == w else platforms.get(platform_id, ("", ""))
    collector = w if collector_id == w else collectors.get(collector_id, "") if collector_id is not None else ""
    return [
        public_id,
        month,
        province,
        platform_id,
        name_zh,
        name_en,
        collector_id,
        collector,
        kind,
        codes,
        primary,
        channels,
        stage,
        status,
        w if status == w else resolution,  # a resolution would tell a withheld status
        referred,
        min(days, TRIAGE_DAYS_CAP),
        response,
        timely,
        review,
        # a narrative names its platform, and would undo its withholding
        "" if platform_id == w else narrative,
    ]


STATUS_VALUES = (ComplaintStatus.ACCEPTED.value, ComplaintStatus.REFERRED.value, ComplaintStatus.CLOSED.value)
RESOLUTION_VALUES = _values(Resolution)
