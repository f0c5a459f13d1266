"""Fictional demo data at any scale: invented platforms and collectors, realistic spreads of complaints.

Rows go in through Core bulk inserts in large batches (no ORM objects, no per-row rollup work);
the statistics rollup is rebuilt once at the end. Nothing here resembles a real person or company.
Private columns are written encrypted and the narrative search index is filled, as filing would.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Table, func, insert, select
from sqlalchemy.engine import Connection

from complaints.core import resemblance
from complaints.core.clock import local_date, utc_now
from complaints.core.crypto import KeyRing, current_keyring
from complaints.directory.reference_data import provinces, seed_reference_data
from complaints.extensions import db
from complaints.intake.access import hash_access_code
from complaints.models import (
    Collector,
    Complaint,
    ComplaintViolation,
    NarrativeBand,
    NarrativeTerm,
    Officer,
    Platform,
    PlatformResponse,
    ReferenceCounter,
    Referral,
    Role,
    ViolationType,
)
from complaints.models.base import UTCDateTime
from complaints.models.private import EncryptedText, narrative_fingerprint, seal, term_codes
from complaints.statistics.recompute import rebuild

PLATFORM_STEMS = ["速贷", "分期", "花朵宝", "借条通", "易借", "快钱", "优品商城", "租机宝", "信用购", "金融"]
PLATFORM_PREFIXES = ["虚构", "示例", "演示", "假想", "样本"]
PLATFORM_KINDS = [
    "lending_app",
    "installment_mall",
    "consumer_finance",
    "bank_card",
    "microlender",
    "phone_rental",
    "bnpl",
    "other",
]
COLLECTOR_KINDS = ["agency", "agency", "law_firm", "in_house"]
CODE_WEIGHTS = {
    "ABU-01": 30,
    "TP-01": 25,
    "FRQ-01": 22,
    "THR-02": 15,
    "TP-02": 14,
    "THR-03": 12,
    "IMP-02": 8,
    "ID-01": 8,
    "TIM-01": 7,
    "AMT-01": 7,
    "TP-03": 6,
    "FRQ-02": 5,
    "THR-01": 4,
    "IMP-01": 4,
    "IMP-03": 3,
    "AMT-02": 3,
    "PAY-01": 3,
    "ABU-02": 2,
    "TP-04": 2,
    "VIS-01": 2,
    "PRP-01": 1,
    "OTH-01": 2,
}
CHANNELS = ["call", "sms", "messaging_app", "email", "visit", "social_media", "letter", "third_party"]
CHANNEL_WEIGHTS = [40, 25, 15, 2, 3, 5, 3, 7]
REGULATORS = ["NFRA", "LFRB", "PBOC", "NIFA", "SAMR", "CAC", "POLICE"]
REFERRAL_STATUSES = ["sent", "acknowledged", "action_taken", "declined", "no_response"]
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_NARRATIVES = [
    "催收人员每天多次打电话，语气恶劣。",
    "对方冒充律师，发来所谓律师函。",
    "他们联系了我的家人和同事。",
    "晚上十一点以后还在打电话。",
    "威胁要把我的欠款发到通讯录。",
]


@dataclass
class DemoReport:
    """How much was generated, and the rollup rebuild's size."""

    platforms: int
    collectors: int
    complaints: int
    violations: int
    referrals: int
    public: int
    #: wall seconds per phase: generating and inserting rows, building the indexes, rebuilding the rollup
    seconds: dict[str, float] = field(default_factory=dict)


def _public_id(n: int) -> str:
    """A unique, random-looking public id: a bijection of n over 32^11 values."""
    value = (n * 0x5DEECE66D + 0xB) % (32**11)
    chars = []
    for _ in range(11):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "P" + "".join(chars)


def _directory(rng: random.Random) -> tuple[list[tuple[int, str]], list[int]]:
    """Create fictional platforms and collectors (or reuse those made by an earlier run)."""
    existing = db.session.execute(select(Platform.id, Platform.kind).where(Platform.name_zh.like("虚构%"))).all()
    if not existing:
        rows = []
        for i, (prefix, stem) in enumerate((p, s) for p in PLATFORM_PREFIXES for s in PLATFORM_STEMS):
            name = f"{prefix}{stem}" if i < 50 else f"{prefix}{stem}{i}"
            rows.append(
                {
                    "name_zh": name,
                    "name_en": f"Fictional {stem} {i}",
                    "kind": PLATFORM_KINDS[i % 8],
                    "operating_company": "",
                    "verified": True,
                    "search_text": name.lower(),
                    "created_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                }
            )
        rows[0]["name_zh"] = "虚构速贷"
        db.session.execute(insert(Platform), rows)
        db.session.execute(
            insert(Collector),
            [
                {
                    "name": f"虚构催收{i}号公司" if i % 4 else f"示例律师事务所{i}",
                    "kind": COLLECTOR_KINDS[i % 4],
                    "notes": "",
                    "created_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                }
                for i in range(30)
            ],
        )
    platforms = [(r.id, r.kind) for r in db.session.execute(select(Platform.id, Platform.kind))]
    collectors = list(db.session.scalars(select(Collector.id)))
    return platforms, collectors


def _responders(platforms: list[tuple[int, str]]) -> dict[int, int]:
    """One fictional, not enrolled responder account per platform (who signed the demo's answers); their ids."""
    have = dict(
        db.session.execute(select(Officer.platform_id, Officer.id).where(Officer.role == Role.RESPONDER.value)).all()
    )
    missing = [platform_id for platform_id, _kind in platforms if platform_id not in have]
    if missing:
        db.session.execute(
            insert(Officer),
            [
                {
                    "email": f"responder{platform_id}@demo.example.org",
                    "display_name": f"Demo responder {platform_id}",
                    "role": Role.RESPONDER.value,
                    "platform_id": platform_id,
                    "active": True,
                    "created_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                }
                for platform_id in missing
            ],
        )
        have = dict(
            db.session.execute(
                select(Officer.platform_id, Officer.id).where(Officer.role == Role.RESPONDER.value)
            ).all()
        )
    return {int(k): int(v) for k, v in have.items() if k is not None}


#: What a demo platform answers (a few fixed, fictional texts).
_ANSWERS = {
    "monetary_relief": "经核实，已退还您的服务费和罚息，共计一千二百元。",
    "non_monetary_relief": "已停止该催收机构的所有催收，并就不当言行向您道歉。",
    "explanation": "经核实，您的借款已逾期，我们的催收符合协议约定。",
    "in_progress": "我们正在调查此事，将在六十天内给出最终答复。",
    "not_our_customer": "经查询，我方没有您的借款记录。",
}


@dataclass(frozen=True)
class PlatformFacts:
    """Where a demo complaint stands with its platform, and the answers it got (type, when)."""

    columns: dict[str, Any]
    answers: list[tuple[str, dt.datetime]]


def _platform_facts(rng: random.Random, accepted: dt.datetime | None, now: dt.datetime) -> PlatformFacts:
    """A plausible platform exchange for an accepted complaint: most are sent and answered, some late."""
    columns: dict[str, Any] = {
        "platform_stage": "not_sent",
        "sent_to_platform_at": None,
        "platform_answer_due_at": None,
        "platform_answered_at": None,
        "platform_timely": None,
        "consumer_review": "",
        "consumer_reviewed_at": None,
    }
    if accepted is None:
        return PlatformFacts(columns, [])
    if rng.random() < 0.1:
        columns["platform_stage"] = "withheld"
        return PlatformFacts(columns, [])
    sent = accepted
    columns.update(
        sent_to_platform_at=sent, platform_stage="awaiting", platform_answer_due_at=sent + dt.timedelta(days=15)
    )
    roll = rng.random()
    if roll < 0.15:
        return PlatformFacts(columns, [])
    first = sent + dt.timedelta(hours=rng.expovariate(1 / (8 * 24)))
    if first > now:
        return PlatformFacts(columns, [])
    if roll < 0.25:  # "in progress", and perhaps a final answer later
        final = first + dt.timedelta(hours=rng.expovariate(1 / (20 * 24)))
        timely_first = first <= sent + dt.timedelta(days=15)
        answers = [("in_progress", first)]
        if final > now:
            columns.update(
                platform_stage="in_progress",
                platform_answer_due_at=sent + dt.timedelta(days=60),
                platform_timely=None if timely_first else False,
            )
            return PlatformFacts(columns, answers)
        kind = rng.choice(["monetary_relief", "non_monetary_relief", "explanation"])
        answers.append((kind, final))
        timely = timely_first and final <= sent + dt.timedelta(days=60)
        return PlatformFacts(_answered(rng, columns, final, timely, now), answers)
    if roll < 0.3:
        columns.update(
            platform_stage="not_our_customer",
            platform_answer_due_at=None,
            platform_answered_at=first,
            platform_timely=first <= sent + dt.timedelta(days=15),
        )
        return PlatformFacts(columns, [("not_our_customer", first)])
    kind = rng.choices(["monetary_relief", "non_monetary_relief", "explanation"], cum_weights=[15, 55, 100])[0]
    return PlatformFacts(_answered(rng, columns, first, first <= sent + dt.timedelta(days=15), now), [(kind, first)])


def _answered(
    rng: random.Random, columns: dict[str, Any], final: dt.datetime, timely: bool, now: dt.datetime
) -> dict[str, Any]:
    columns.update(
        platform_stage="answered", platform_answer_due_at=None, platform_answered_at=final, platform_timely=timely
    )
    review = rng.random()
    reviewed = final + dt.timedelta(hours=rng.expovariate(1 / (5 * 24)))
    if review < 0.5 and reviewed <= min(now, final + dt.timedelta(days=30)):
        verdict = "settled" if review < 0.3 else "disputed"
        columns.update(platform_stage=verdict, consumer_review=verdict, consumer_reviewed_at=reviewed)
    return columns


DemoRow = tuple[dict[str, Any], list[str], str, str | None, list[tuple[str, dt.datetime]]]


def _complaint_rows(
    n: int,
    start: int,
    rng: random.Random,
    platforms: list[tuple[int, str]],
    collectors: list[int],
    now: dt.datetime,
    counters: dict[int, int],
    code_hash: str,
) -> Iterator[DemoRow]:
    # cumulative weights computed once: random.choices would accumulate them on every call (same draws)
    codes, code_cum = list(CODE_WEIGHTS), list(accumulate(CODE_WEIGHTS.values()))
    severity_cum, resolution_cum, channel_cum = [80, 96, 100], [30, 45, 80, 92, 100], list(accumulate(CHANNEL_WEIGHTS))
    choice, choices, random_, randrange = rng.choice, rng.choices, rng.random, rng.randrange
    timedelta = dt.timedelta
    province_codes = [p.code for p in provinces()]
    # a long tail: a few platforms draw most complaints
    platform_weights = [1 / (i + 1) ** 0.9 for i in range(len(platforms))]
    platform_choices = choices(platforms, platform_weights, k=n)
    for i in range(n):
        submitted = now - timedelta(seconds=randrange(730 * 86400))
        year = local_date(submitted).year  # the consumer's year, as filing numbers it
        counters[year] = counters.get(year, 0) + 1
        roll = random_()
        status, resolution, accepted, closed = "submitted", None, None, None
        triage = timedelta(hours=rng.expovariate(1 / 96))
        if roll < 0.12:
            pass
        elif roll < 0.15:
            status = "needs_info"
        elif roll < 0.20:
            status, resolution = (
                "closed",
                choice(["rejected_out_of_scope", "rejected_insufficient", "rejected_spam"]),
            )
        else:
            accepted = submitted + triage
            sub = random_()
            if sub < 0.35:
                status = "accepted"
            elif sub < 0.65:
                status = "referred"
            else:
                status = "closed"
                resolution = choices(
                    ["resolved", "regulator_action", "unresolved", "withdrawn", "duplicate"], cum_weights=resolution_cum
                )[0]
                closed = accepted + timedelta(days=randrange(5, 120))
            if accepted > now:
                accepted = now
        if status == "closed" and closed is None:
            closed = submitted + triage
        platform = _platform_facts(rng, accepted, now)
        chosen = sorted(set(choices(codes, cum_weights=code_cum, k=choice([1, 1, 2, 2, 3]))))
        platform_id, _kind = platform_choices[i]
        consent = random_() < 0.2
        publication = "not_consented"
        if consent:
            publication = choice(["pending", "approved", "approved", "withheld"])
        narrative = choice(_NARRATIVES)
        last = max(x for x in (submitted, accepted, closed) if x is not None)
        row = {
            "reference": f"CW-{year}-{counters[year]:06d}",
            "public_id": _public_id(start + i),
            "access_code_hash": code_hash,
            "status": status,
            "resolution": resolution,
            "severity": choices(["normal", "high", "urgent"], cum_weights=severity_cum)[0],
            "platform_id": platform_id,
            "platform_name_reported": "",
            "collector_id": choice(collectors) if collectors and random_() < 0.6 else None,
            "collector_kind_reported": choice([*COLLECTOR_KINDS, "unknown"]),
            "collector_name_reported": "",
            "amount_owed": None,
            "days_overdue": randrange(0, 400),
            "loan_reference": "",
            "stage": choice(["reminder", "in_house", "outsourced", "outsourced", "legal"]),
            "first_incident_on": None,
            "last_incident_on": None,
            "channels": sorted(set(choices(CHANNELS, cum_weights=channel_cum, k=rng.randint(1, 3)))),
            "third_parties": [],
            "calls_per_day": randrange(0, 40),
            "narrative": narrative,
            "desired_outcome": "",
            "province": choice(province_codes) if random_() < 0.9 else "",
            "language": "zh_Hans",
            "consent_share_identity": random_() < 0.5,
            "consent_publish": consent,
            "consent_contact": False,
            "consent_share_with_platform": False,
            "fears_retaliation": False,
            "platform_overdue_notified_at": None,
            **platform.columns,
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
            "contact_email_hash": "",
            "contact_phone_hash": "",
            "contact_fingerprint": "",
            "narrative_fingerprint": "",
            "narrative_redacted": narrative if publication == "approved" else "",
            "publication_status": publication,
            "narrative_published": narrative if publication == "approved" else "",
            "assignee_id": None,
            "evidence_verified": accepted is not None and random_() < 0.4,
            "duplicate_of_id": None,
            "submitted_at": submitted,
            "accepted_at": accepted,
            "closed_at": closed,
            "updated_at": last,
        }
        referred_to = choice(REGULATORS) if status == "referred" or resolution == "regulator_action" else None
        yield row, chosen, narrative, referred_to, platform.answers


def _sqlite_datetime(value: dt.datetime) -> str:
    """A timestamp as SQLAlchemy stores it on SQLite: naive UTC text with microseconds."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _sealer(ring: KeyRing, context: str) -> Callable[[Any], Any]:
    """Encrypt a value as the column's type would (the raw SQLite path bypasses it)."""

    def convert(value: Any) -> Any:
        return seal(ring, value, context)

    return convert


def _sqlite_converters(table: Table, names: list[str]) -> list[tuple[int, Callable[[Any], Any]]]:
    """For each column needing one, its position and how SQLAlchemy itself would store a value there on SQLite."""
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for position, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, EncryptedText):
            converters.append((position, _sealer(current_keyring(), column_type.context)))
        elif isinstance(column_type, UTCDateTime | DateTime):
            converters.append((position, _sqlite_datetime))
        elif isinstance(column_type, Date):
            converters.append((position, dt.date.isoformat))
        elif isinstance(column_type, JSON):
            converters.append((position, json.dumps))
        elif isinstance(column_type, Boolean):
            converters.append((position, int))
    return converters


def bulk_insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany in one statement; on SQLite straight through the driver (five times faster for a million rows)."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"  # noqa: S608  # names from the model  # nosec B608
    converters = _sqlite_converters(table, names)
    pick = itemgetter(*names)
    values = []
    for row in rows:
        cells = list(pick(row))
        for position, convert in converters:
            cell = cells[position]
            if cell is not None:
                cells[position] = convert(cell)
        values.append(cells)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(sql, values)
    cursor.close()


def _drop_secondary_indexes(connection: Connection) -> list[Index]:
    """On an empty SQLite database, build the non-unique indexes once after loading instead of row by row."""
    if connection.dialect.name != "sqlite":
        return []
    dropped = []
    tables = (Complaint, ComplaintViolation, Referral, NarrativeTerm, NarrativeBand)
    for table in (model.__table__ for model in tables):
        for index in table.indexes:
            if not index.unique:
                index.drop(connection)
                dropped.append(index)
    return dropped


def generate(n: int, *, seed: int = 2026, batch: int = 20_000) -> DemoReport:
    """Insert n fictional complaints with codes and referrals, set the reference counters, rebuild the rollup."""
    rng = random.Random(seed)  # noqa: S311  # fictional demo data, not secrets  # nosec B311
    if db.session.scalar(select(func.count()).select_from(ViolationType)) == 0:
        seed_reference_data()
    platforms, collectors = _directory(rng)
    now = utc_now().replace(microsecond=0)
    counters = {c.year: c.last_value for c in db.session.scalars(select(ReferenceCounter))}
    first_id = (db.session.scalar(select(func.max(Complaint.id))) or 0) + 1
    start = first_id + rng.randrange(10**6)
    connection = db.session.connection()
    code_hash = hash_access_code("DEMO-DEMO-DEMO-DEMO")
    rows: list[dict[str, Any]] = []
    extras: list[tuple[list[str], str | None, dt.datetime]] = []
    answers: list[list[tuple[str, dt.datetime]]] = []
    responders = _responders(platforms)
    violations = referrals = 0
    next_id = first_id
    ring = current_keyring()
    # The demo tells a handful of stories: their keyed hashes are computed once, not once per row.
    fingerprints = {text: narrative_fingerprint(ring, text) for text in _NARRATIVES}
    codes_of = {text: sorted(term_codes(ring, text)) for text in _NARRATIVES}
    bands_of = {text: sorted(resemblance.band_codes(ring, text)) for text in _NARRATIVES}

    def flush() -> None:
        nonlocal violations, referrals, next_id
        for row, offset in zip(rows, range(len(rows)), strict=True):
            row["id"] = next_id + offset
        for row in rows:
            row["narrative_fingerprint"] = fingerprints[row["narrative"]]
        bulk_insert(connection, Complaint.__table__, rows)
        term_rows = [
            {"term_hash": code, "complaint_id": row["id"]} for row in rows for code in codes_of[row["narrative"]]
        ]
        bulk_insert(connection, NarrativeTerm.__table__, term_rows)
        band_rows = [
            {"band_hash": code, "complaint_id": row["id"]} for row in rows for code in bands_of[row["narrative"]]
        ]
        bulk_insert(connection, NarrativeBand.__table__, band_rows)
        cv_rows = [
            {"complaint_id": row["id"], "code": code, "primary": j == 0, "evidence_id": None}
            for row, (codes, _r, _s) in zip(rows, extras, strict=True)
            for j, code in enumerate(codes)
        ]
        bulk_insert(connection, ComplaintViolation.__table__, cv_rows)
        ref_rows = [
            {
                "complaint_id": row["id"],
                "regulator_code": regulator,
                "officer_id": None,
                "channel": "hotline",
                "sent_on": local_date(sent),
                "regulator_reference": "",
                "due_on": local_date(sent) + dt.timedelta(days=30),
                "status": rng.choice(REFERRAL_STATUSES),
                "outcome_notes": "",
                "identity_shared": False,
                "created_at": sent,
                "updated_at": sent,
            }
            for row, (_c, regulator, sent) in zip(rows, extras, strict=True)
            if regulator
        ]
        if ref_rows:
            bulk_insert(connection, Referral.__table__, ref_rows)
        response_rows = [
            {
                "complaint_id": row["id"],
                "platform_id": row["platform_id"],
                "responder_id": responders[row["platform_id"]],
                "response_type": kind,
                "text": _ANSWERS[kind],
                "created_at": at,
            }
            for row, given in zip(rows, answers, strict=True)
            for kind, at in given
        ]
        if response_rows:
            bulk_insert(connection, PlatformResponse.__table__, response_rows)
        violations += len(cv_rows)
        referrals += len(ref_rows)
        next_id += len(rows)
        rows.clear()
        extras.clear()
        answers.clear()

    started = time.perf_counter()
    deferred = _drop_secondary_indexes(connection) if first_id == 1 else []
    for row, codes, _narrative, regulator, given in _complaint_rows(
        n, start, rng, platforms, collectors, now, counters, code_hash
    ):
        rows.append(row)
        extras.append((codes, regulator, row["accepted_at"] or row["submitted_at"]))
        answers.append(given)
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    if connection.dialect.name == "postgresql":
        # The rows carry their own ids: move the id sequence past them, or the next complaint filed
        # through the form collides with a demo id (every filing on a demo database was a 500).
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('complaints', 'id'), (SELECT MAX(id) FROM complaints))"
        )
    inserted = time.perf_counter()
    for index in deferred:
        index.create(connection)
    indexed = time.perf_counter()
    for year, last in counters.items():
        existing = db.session.get(ReferenceCounter, year)
        if existing is None:
            db.session.add(ReferenceCounter(year=year, last_value=last))
        else:
            existing.last_value = max(existing.last_value, last)
    db.session.flush()
    report = rebuild(connection, compare=False)
    seconds = {"insert": inserted - started, "indexes": indexed - inserted, "rollup": time.perf_counter() - indexed}
    return DemoReport(len(platforms), len(collectors), n, violations, referrals, report.complaints, seconds)
