"""The researchers' datasets: one row per public complaint, and the aggregate counts, with their dictionary.

The complaint-level rows never carry the reference, contact details, names, phone numbers, loan
references, evidence or access codes; the narrative appears only in its redacted form, and only
when the consumer consented to publication and a supervisor approved the redacted text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, Text, and_, case, cast, exists, func, literal_column, or_, select

from complaints.extensions import db
from complaints.models import (
    Channel,
    CollectionStage,
    Collector,
    CollectorKind,
    Complaint,
    ComplaintStatus,
    ComplaintViolation,
    Platform,
    Referral,
    Resolution,
)
from complaints.publication.review import published_clause
from complaints.statistics import dimensions
from complaints.statistics.periods import Period
from complaints.statistics.recompute import month_and_days_sql
from complaints.statistics.rollup import PUBLIC_RESOLUTIONS, PUBLIC_STATUSES

CHUNK = 10_000


@dataclass(frozen=True)
class Column:
    """One column of a dataset, as the data dictionary and datapackage.json describe it."""

    name: str
    type: str  # Frictionless type: string, integer, number, date, yearmonth
    #: A lazy string (the reader's language); ``%(k)s`` and ``%(below)s`` stand for the suppression
    #: threshold STATS_MIN_CELL and the largest hidden count, filled in by `meaning`.
    description: Any
    allowed: tuple[str, ...] = ()

    def meaning(self, k: int) -> str:
        """The description in the current language, with the suppression threshold written out."""
        text = str(self.description)
        return text % {"k": k, "below": k - 1} if "%(" in text else text


def _values(enum_cls: Any) -> tuple[str, ...]:
    return tuple(enum_cls.values())


COMPLAINT_COLUMNS = (
    Column("public_id", "string", _l("Random identifier of the complaint in the public data (not its reference).")),
    Column("month_received", "yearmonth", _l("Month the complaint was filed (UTC), YYYY-MM.")),
    Column("province", "string", _l("Province code (GB/T 2260 two-digit prefix), empty when not given.")),
    Column("platform_id", "integer", _l("Identifier of the platform the debt is owed to.")),
    Column("platform", "string", _l("Platform name in Chinese.")),
    Column("platform_en", "string", _l("Platform name in English, when known.")),
    Column("collector_id", "integer", _l("Identifier of the canonical collector, empty when none is linked yet.")),
    Column("collector", "string", _l("Canonical collector name, empty when none is linked yet.")),
    Column(
        "collector_kind",
        "string",
        _l("Kind of collector (the linked collector's, else as reported)."),
        _values(CollectorKind),
    ),
    Column("violation_codes", "string", _l("Every violation code on the complaint, space-separated, primary first.")),
    Column("primary_code", "string", _l("The primary violation code.")),
    Column("channels", "string", _l("Channels the collector used, space-separated."), _values(Channel)),
    Column("stage", "string", _l("Collection stage as the consumer saw it."), _values(CollectionStage)),
    Column("status", "string", _l("Status of the complaint."), tuple(sorted(PUBLIC_STATUSES))),
    Column(
        "resolution", "string", _l("How a closed complaint ended; empty while open."), tuple(sorted(PUBLIC_RESOLUTIONS))
    ),
    Column("referred_to", "string", _l("Regulators the complaint was referred to, space-separated codes.")),
    Column("days_to_triage", "integer", _l("Whole days between filing and acceptance at triage.")),
    Column(
        "narrative_redacted",
        "string",
        _l(
            "The consumer's account with personal details removed; only where the consumer consented and a "
            "supervisor approved the redacted text, else empty."
        ),
    ),
)

_PERIOD = Column("period", "string", _l("The fixed period: all, YYYY, YYYY-Qn or YYYY-MM."))
_CODE = Column("violation_code", "string", _l("Violation code."))
_COUNT = Column(
    "complaints",
    "string",
    _l("Public complaints with the code; “<%(k)s” (1–%(below)s complaints) or “—” where a count is hidden."),
)

COUNT_COLUMNS = {
    "platform": (
        _PERIOD,
        Column("platform_id", "integer", _l("Identifier of the platform.")),
        Column("platform", "string", _l("Platform name in Chinese.")),
        _CODE,
        _COUNT,
    ),
    "collector": (
        _PERIOD,
        Column(
            "collector_id", "integer", _l("Identifier of the collector; -1 for complaints with no collector linked.")
        ),
        Column("collector", "string", _l("Collector name.")),
        _CODE,
        _COUNT,
    ),
    # one per registered dimension with an aggregate dataset (province)
    **{d.key: (_PERIOD, Column(d.key, "string", d.dataset), _CODE, _COUNT) for d in dimensions.with_dataset()},
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
    return and_(
        Complaint.accepted_at.is_not(None),
        Complaint.status.in_(sorted(PUBLIC_STATUSES)),
        or_(Complaint.resolution.is_(None), Complaint.resolution.in_(sorted(PUBLIC_RESOLUTIONS))),
    )


def _month_start(month: str) -> dt.datetime:
    return dt.datetime(int(month[:4]), int(month[5:]), 1, tzinfo=dt.UTC)


def _filter_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions = [public_condition()]
    period = filters.period
    if period is not None and period.kind != "all":
        year, month = int(period.last[:4]), int(period.last[5:])
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
        conditions += [Complaint.submitted_at >= _month_start(period.first), Complaint.submitted_at < end]
    if filters.platform_id is not None:
        conditions.append(Complaint.platform_id == filters.platform_id)
    if filters.collector_id is not None:
        conditions.append(Complaint.collector_id == filters.collector_id)
    if filters.status:
        conditions.append(Complaint.status == filters.status)
    if filters.code:
        cv = ComplaintViolation
        conditions.append(exists().where(cv.complaint_id == Complaint.id, cv.code == filters.code))
    return conditions


#: Indexes of the COMPLAINT_COLUMNS that hold free text (names, the narrative): the only cells that can
#: begin with a formula character. The others are ids, codes, months, enum values and day counts.
COMPLAINT_TEXT_COLUMNS = frozenset({4, 5, 7, 17})


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


def complaint_rows(filters: Filters) -> Iterator[list[object]]:
    """One list per public complaint, in COMPLAINT_COLUMNS order, read in id ranges (flat memory)."""
    c = Complaint
    conditions = _filter_conditions(filters)
    connection = db.session.connection()  # Core rows: no ORM bookkeeping per row
    top = connection.execute(select(func.max(c.id))).scalar() or 0
    month_sql, days_sql = month_and_days_sql(connection.dialect.name, Complaint.__tablename__)
    query = (
        select(
            # month and days by the database, with the rollup's own expressions: plain values, nothing to parse
            c.id,
            c.public_id,
            literal_column(month_sql, Text()),
            literal_column(days_sql, Integer()),
            c.province,
            c.platform_id,
            Platform.name_zh,
            Platform.name_en,
            c.collector_id,
            func.coalesce(Collector.name, ""),
            func.coalesce(Collector.kind, c.collector_kind_reported),
            # the JSON text, decoded once per distinct value below rather than once per row
            cast(c.channels, Text),
            c.stage,
            c.status,
            func.coalesce(c.resolution, ""),
            # The one rule for public narratives lives in services.publication.
            # narrative_published is the approved text in clear (the draft, narrative_redacted, is encrypted).
            case((published_clause(), c.narrative_published), else_=""),
        )
        .join(Platform, Platform.id == c.platform_id)
        .outerjoin(Collector, Collector.id == c.collector_id)
    )
    channel_text: dict[str | None, str] = {}
    for low in range(0, top + 1, CHUNK):
        high = low + CHUNK - 1
        rows = _plain_rows(connection, query.where(c.id.between(low, high), *conditions).order_by(c.id))
        if not rows:
            continue
        ordered, primary = _codes_by_complaint(connection, low, high)
        referred = _referred_by_complaint(connection, low, high)
        for (
            cid,
            public_id,
            month,
            days,
            province,
            platform_id,
            name_zh,
            name_en,
            collector_id,
            collector,
            kind,
            channels,
            stage,
            status,
            resolution,
            published,
        ) in rows:
            channels_text = channel_text.get(channels)
            if channels_text is None:
                channels_text = channel_text[channels] = (
                    " ".join(sorted(json.loads(channels) or ())) if channels else ""
                )
            yield [
                public_id,
                month,
                province,
                platform_id,
                name_zh,
                name_en,
                collector_id,
                collector,
                kind,
                ordered.get(cid, ""),
                primary.get(cid, ""),
                channels_text,
                stage,
                status,
                resolution,
                referred.get(cid, ""),
                days,
                published,
            ]


STATUS_VALUES = (ComplaintStatus.ACCEPTED.value, ComplaintStatus.REFERRED.value, ComplaintStatus.CLOSED.value)
RESOLUTION_VALUES = _values(Resolution)
