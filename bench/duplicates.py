"""Issue 14's scale goal: a new complaint's duplicate candidates at N complaints, worst case and realistic.

Two populations of N complaints each:

- ``demo``: `flask demo-data` as it is. It tells five stories, so each of the 21 LSH bands of a new
  complaint is a bucket shared by a fifth of all complaints: the worst case.
- ``varied``: a copy of that database whose narratives are rewritten by bench/varied_narratives.py
  (each tells its own story), with 20 agents' batches of 100 template copies among them, the
  agents' contact numbers and screenshots, and one reported collector's number for half of the
  complaints (shared by about 25 each). Its band rows are computed with resemblance.band_codes and
  loaded in bulk, sorted.

For each population, NEW complaints are filed through the ORM (so `refresh_blind_indexes` writes
their bands, as a filing does) and, one at a time from a fresh session as the case page would,
`narrative_candidates` and the whole `suggest_duplicates` are timed, with the band look-up's own SQL
replayed through the bare driver as the database-alone baseline of the same run. Template copies
must find their batch (a look-up that finds nothing fails the run); the query plans of every
statement are recorded. Writes bench/results/duplicates-<date>-<commit>-<db>-<N>.json/md.

Usage: python bench/duplicates.py [--complaints N] [--new 240] [--database-url URL] [--instance DIR] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform as host
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Column, Integer, MetaData, Table, bindparam, delete, event, select, text, update  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from sqlalchemy.sql.dml import Update  # noqa: E402

from bench.varied_narratives import Campaign, story  # noqa: E402
from complaints import create_app  # noqa: E402
from complaints.casework import duplicates  # noqa: E402
from complaints.core import resemblance  # noqa: E402
from complaints.core.crypto import KeyRing, current_keyring  # noqa: E402
from complaints.extensions import db  # noqa: E402
from complaints.models import Complaint, Evidence, NarrativeBand, Platform, ReportedPhone  # noqa: E402
from complaints.models.private import narrative_fingerprint, phone_hash, seal  # noqa: E402
from complaints.operations.demo import _NARRATIVES as DEMO_STORIES  # noqa: E402
from complaints.operations.demo import bulk_insert  # noqa: E402

BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
CAMPAIGNS, COPIES = 20, 100
#: Collectors' numbers the varied population reports: each is named by about 25 complaints at a million.
COLLECTOR_NUMBERS = 20_000
BATCH = 20_000
STAGING = Table("bench_bands", MetaData(), Column("band_hash", Integer), Column("complaint_id", Integer))


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, cwd=ROOT)


def seed(env: dict[str, str], complaints: int) -> float:
    """Migrate, load the reference data and `complaints` demo complaints; the demo's seconds."""
    run([str(BIN / "flask"), "db", "upgrade"], env)
    run([str(BIN / "flask"), "seed-reference"], env)
    start = time.perf_counter()
    run([str(BIN / "flask"), "demo-data", "--complaints", str(complaints)], env)
    return round(time.perf_counter() - start, 1)


@contextmanager
def app_context(instance: Path, database_url: str) -> Iterator[None]:
    """The app of this instance (its database and key ring), in context."""
    os.environ["INSTANCE_PATH"] = str(instance)
    os.environ["RATELIMIT_ENABLED"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    app = create_app()
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()


def copy_database(source: Path, target: Path, database_url: str) -> str:
    """A copy of the seeded instance (its key ring too) for the varied population; the copy's URL."""
    if target.exists():
        shutil.rmtree(target)
    if not database_url:
        shutil.copytree(source, target)
        return ""
    import psycopg

    target.mkdir(parents=True)
    shutil.copy2(source / "data_keys.json", target / "data_keys.json")
    base, name = database_url.rsplit("/", 1)
    copy = f"{name}_varied"
    with psycopg.connect(base.replace("+psycopg", "") + "/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        server.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return f"{base}/{copy}"


# --- the varied population ---------------------------------------------------------------------


def _narrate(job: tuple[int, list[int], dict[int, int], bytes]) -> list[tuple[int, str, str, list[int]]]:
    """Narratives of a batch of ids with their fingerprints and band codes (in a worker process)."""
    number, ids, members, index_key = job
    ring = KeyRing(keys={}, current="", index_key=index_key)
    rng = random.Random(number)
    campaigns = [Campaign.invent(random.Random(c), c) for c in range(CAMPAIGNS)]
    out = []
    for complaint_id in ids:
        campaign = members.get(complaint_id)
        narrative = story(rng) if campaign is None else campaigns[campaign].copy(rng)
        bands = sorted(resemblance.band_codes(ring, narrative))
        out.append((complaint_id, narrative, narrative_fingerprint(ring, narrative), bands))
    return out


def vary_population(seed_value: int = 14) -> dict[str, Any]:
    """Rewrite every narrative as its own story, with template batches; reload the bands sorted."""
    started = time.perf_counter()
    connection = db.session.connection()
    ring = current_keyring()
    rng = random.Random(seed_value)
    ids = list(db.session.scalars(select(Complaint.id).order_by(Complaint.id)))
    chosen = rng.sample(ids, CAMPAIGNS * COPIES)
    members = {complaint_id: n % CAMPAIGNS for n, complaint_id in enumerate(chosen)}
    campaigns = [Campaign.invent(random.Random(c), c) for c in range(CAMPAIGNS)]
    if connection.dialect.name == "sqlite":
        # As flask demo-data does: a benchmark copy, so no fsync per page, and a page cache for the index updates.
        connection.exec_driver_sql("PRAGMA synchronous = OFF")
        connection.exec_driver_sql("PRAGMA cache_size = -524288")
    STAGING.drop(connection, checkfirst=True)
    STAGING.create(connection)
    set_story = (
        update(Complaint.__table__)
        .where(Complaint.__table__.c.id == bindparam("b_id"))
        .values(
            narrative=bindparam("b_narrative"),
            narrative_fingerprint=bindparam("b_fingerprint"),
            contact_phone=bindparam("b_phone"),
            contact_phone_hash=bindparam("b_phone_hash"),
        )
    )
    batches = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    jobs = [
        (n, batch, {i: members[i] for i in batch if i in members}, ring.index_key) for n, batch in enumerate(batches)
    ]
    evidence = phones = 0
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for rows in pool.imap(_narrate, jobs):
            updates, band_rows, phone_rows, evidence_rows = [], [], [], []
            for complaint_id, narrative, fingerprint, bands in rows:
                campaign = campaigns[members[complaint_id]] if complaint_id in members else None
                contact = ""
                if campaign is not None and rng.random() < 0.5:
                    contact = campaign.agent_phone  # agents give their own number for every client
                elif campaign is None and rng.random() < 0.3:
                    contact = f"+86157{complaint_id:08d}"
                updates.append(
                    {
                        "b_id": complaint_id,
                        "b_narrative": narrative,
                        "b_fingerprint": fingerprint,
                        "b_phone": contact,
                        "b_phone_hash": phone_hash(ring, contact),
                    }
                )
                band_rows += [{"band_hash": code, "complaint_id": complaint_id} for code in bands]
                if campaign is not None:
                    collector = campaign.collector_phone
                elif rng.random() < 0.5:
                    collector = f"+86158{rng.randrange(COLLECTOR_NUMBERS):08d}"
                else:
                    collector = ""
                if collector:
                    phone_rows.append({"complaint_id": complaint_id, "phone": collector, "normalised": True})
                sha = ""
                if campaign is not None and rng.random() < 0.5:
                    sha = campaign.screenshot_sha256  # the batch's screenshot
                elif campaign is None and rng.random() < 0.2:
                    sha = f"{complaint_id:064x}"
                if sha:
                    evidence_rows.append(evidence_row(complaint_id, sha))
            rewrite(connection, set_story, updates)
            bulk_insert(connection, STAGING, band_rows)
            bulk_insert(connection, ReportedPhone.__table__, phone_rows)
            bulk_insert(connection, Evidence.__table__, evidence_rows)
            phones += len(phone_rows)
            evidence += len(evidence_rows)
    rewritten = time.perf_counter()
    bands_table = NarrativeBand.__table__
    for index in bands_table.indexes:
        index.drop(connection)
    connection.execute(bands_table.delete())
    connection.exec_driver_sql(
        "INSERT INTO narrative_bands (band_hash, complaint_id) "
        "SELECT band_hash, complaint_id FROM bench_bands ORDER BY band_hash, complaint_id"
    )
    for index in bands_table.indexes:
        index.create(connection)
    STAGING.drop(connection)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as fresh:
        if fresh.dialect.name == "postgresql":
            # The rewrite left every old row version dead: without this the sizes are twice the real ones.
            fresh.exec_driver_sql("VACUUM (FULL, ANALYZE) narrative_bands")
            fresh.exec_driver_sql("VACUUM (FULL, ANALYZE) complaints")
        fresh.exec_driver_sql("ANALYZE")
    return {
        "campaigns": CAMPAIGNS,
        "copies_per_campaign": COPIES,
        "reported_phones": phones,
        "evidence_rows": evidence,
        "seconds": {"narratives": round(rewritten - started, 1), "bands": round(time.perf_counter() - rewritten, 1)},
    }


def rewrite(connection: Connection, statement: Update, rows: list[dict[str, Any]]) -> None:
    """The UPDATE of each row; on SQLite sealed here and sent straight through the driver, like bulk_insert."""
    if connection.dialect.name != "sqlite":
        connection.execute(statement, rows)
        return
    ring = current_keyring()
    values = [
        (
            seal(ring, row["b_narrative"], "complaints.narrative"),
            row["b_fingerprint"],
            seal(ring, row["b_phone"], "complaints.contact_phone"),
            row["b_phone_hash"],
            row["b_id"],
        )
        for row in rows
    ]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        "UPDATE complaints SET narrative = ?, narrative_fingerprint = ?, contact_phone = ?, contact_phone_hash = ? "
        "WHERE id = ?",
        values,
    )
    cursor.close()


def evidence_row(complaint_id: int, sha: str) -> dict[str, Any]:
    """An evidence row as filing writes it (the file itself is not needed to compare digests)."""
    return {
        "complaint_id": complaint_id,
        "sha256": sha,
        "size_bytes": 48_213,
        "mime_type": "image/png",
        "kind": "image",
        "original_name": "screenshot.png",
        "storage_key": sha,
        "verified": False,
        "uploaded_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        "purged_at": None,
    }


# --- the look-ups ------------------------------------------------------------------------------


@dataclass
class Filing:
    """A new complaint to look up: its narrative, the batch it copies, and whether its story was told before."""

    narrative: str
    campaign: int | None = None
    told_before: bool = False
    contact: str = ""
    collector: str = ""
    id: int = 0


def demo_filings(count: int, rng: random.Random) -> list[Filing]:
    """New complaints telling the demo's stories word for word: every band and the fingerprint are hot."""
    return [
        Filing(rng.choice(DEMO_STORIES), told_before=True, contact=f"+86159{n:08d}", collector="+86158000001")
        for n in range(count)
    ]


def varied_filings(count: int, rng: random.Random) -> list[Filing]:
    """A quarter copies of the batches' templates, the rest new stories of their own."""
    campaigns = [Campaign.invent(random.Random(c), c) for c in range(CAMPAIGNS)]
    filings = []
    for n in range(count):
        collector = f"+86158{rng.randrange(COLLECTOR_NUMBERS):08d}"
        if n % 4 == 0:
            campaign = campaigns[n // 4 % CAMPAIGNS]
            batch = n // 4 % CAMPAIGNS
            filings.append(Filing(campaign.copy(rng), batch, True, campaign.agent_phone, campaign.collector_phone))
        else:
            filings.append(Filing(story(rng), contact=f"+86159{n:08d}", collector=collector))
    return filings


def file_one(filing: Filing, reference: str, platform_id: int | None) -> int:
    """File one new complaint through the ORM, so its bands are written as filing writes them; its id."""
    complaint = Complaint(
        reference=reference,
        public_id="B" + reference[-15:],
        access_code_hash="bench",
        status="submitted",
        platform_id=platform_id,
        platform_name_reported="",
        collector_kind_reported="agency",
        narrative=filing.narrative,
        stage="outsourced",
        channels=["call"],
        third_parties=[],
        province="44",
        contact_phone=filing.contact,
    )
    if filing.collector:
        complaint.reported_phones = [ReportedPhone(phone=filing.collector)]
    if filing.campaign is not None:
        sha = Campaign.invent(random.Random(filing.campaign), filing.campaign).screenshot_sha256
        complaint.evidence = [Evidence(**evidence_row(0, sha) | {"complaint_id": None})]
    db.session.add(complaint)
    db.session.commit()
    return complaint.id


def withdraw(complaint_id: int) -> None:
    """Remove a new complaint again (its bands, phones and evidence cascade): the next one finds only the population."""
    db.session.remove()
    db.session.execute(delete(Complaint.__table__).where(Complaint.__table__.c.id == complaint_id))
    db.session.commit()


@contextmanager
def capturing() -> Iterator[list[tuple[str, Any]]]:
    """The statements the engine runs meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def timed(call: Callable[[Complaint], Any], complaint_id: int) -> tuple[float, Any]:
    """Milliseconds of one call on the complaint loaded afresh, as a request would load it; the result."""
    db.session.remove()
    complaint = db.session.get(Complaint, complaint_id)
    assert complaint is not None
    start = time.perf_counter()
    result = call(complaint)
    return (time.perf_counter() - start) * 1000, result


def bare(statement: str, parameters: Any) -> tuple[float, int]:
    """The statement through the bare driver connection: milliseconds and rows."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        start = time.perf_counter()
        cursor.execute(statement, parameters)
        rows = cursor.fetchall()
        return (time.perf_counter() - start) * 1000, len(rows)
    finally:
        raw.close()


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def plans(statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (QUERY PLAN) of each SELECT, as the database answers it."""
    found = []
    postgres = db.engine.dialect.name == "postgresql"
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters)
            lines = [row[0] if postgres else row[3] for row in cursor.fetchall()]
            found.append({"sql": " ".join(statement.split())[:300], "plan": lines})
    finally:
        raw.close()
    return found


def measure(filings: list[Filing], members: dict[int, set[int]], label: str) -> dict[str, Any]:
    """Time both look-ups for each new complaint, filed alone; check that a story told before is found."""
    platform_id = db.session.scalar(select(Platform.id).order_by(Platform.id).limit(1))
    for n, filing in enumerate(filings[:5]):  # warm-up: the first look-ups read the index pages from disk
        complaint_id = file_one(filing, f"CW-{label}W{n:05d}", platform_id)
        timed(duplicates.suggest_duplicates, complaint_id)
        withdraw(complaint_id)
    candidates, suggestions, baseline, rows_read, found_counts = [], [], [], [], []
    missed, false_candidates, statements = 0, 0, []
    for n, filing in enumerate(filings):
        complaint_id = file_one(filing, f"CW-{label}N{n:05d}", platform_id)
        try:
            with capturing() as seen:
                ms, found = timed(duplicates.narrative_candidates, complaint_id)
            candidates.append(ms)
            db_ms, n_rows = bare(*next(s for s in seen if "narrative_bands" in s[0]))
            baseline.append(db_ms)
            rows_read.append(n_rows)
            with capturing() as seen:
                ms, suggested = timed(duplicates.suggest_duplicates, complaint_id)
            suggestions.append(ms)
            if filing.campaign is not None and not statements:
                statements = plans(seen)  # a batch copy's look-up runs every statement
        finally:
            withdraw(complaint_id)
        found_ids = {other.id for other, _score in found}
        linked = {s.complaint.id for s in suggested if "narrative" in s.reasons}
        found_counts.append(len(found_ids))
        if filing.campaign is not None:
            missed += not (found_ids & members[filing.campaign] and linked & members[filing.campaign])
        elif filing.told_before:
            missed += not (found_ids and linked)
        elif found_ids:
            false_candidates += 1
    ordered = sorted(rows_read)
    return {
        "new_complaints": len(filings),
        "narrative_candidates": summary(candidates),
        "suggest_duplicates": summary(suggestions),
        "database_alone_band_query": summary(baseline),
        "ratio_candidates_to_database": round(
            statistics.median(candidates) / max(statistics.median(baseline), 1e-6), 2
        ),
        "band_rows_read": {"median": statistics.median(ordered), "p95": ordered[int(len(ordered) * 0.95) - 1]},
        "told_before": sum(1 for f in filings if f.told_before),
        "told_before_but_not_found": missed,
        "own_stories_with_a_candidate": false_candidates,
        "candidates_found_median": statistics.median(found_counts),
        "plans": statements or plans(seen),
    }


def table_figures() -> dict[str, Any]:
    """Band rows, buckets and sizes of the database and of narrative_bands."""
    conn = db.session.connection()
    rows = conn.scalar(text("SELECT count(*) FROM narrative_bands"))
    buckets = conn.execute(
        text("SELECT count(*), max(n) FROM (SELECT count(*) AS n FROM narrative_bands GROUP BY band_hash) b")
    ).one()
    complaints = conn.scalar(text("SELECT count(*) FROM complaints"))
    figures: dict[str, Any] = {
        "complaints": complaints,
        "band_rows": rows,
        "distinct_bands": buckets[0],
        "largest_bucket": buckets[1],
    }
    if conn.dialect.name == "sqlite":
        page = conn.scalar(text("PRAGMA page_size"))
        used = conn.scalar(text("PRAGMA page_count")) - conn.scalar(text("PRAGMA freelist_count"))
        figures["database_mb"] = round(used * page / 2**20, 1)
        sizes = conn.execute(
            text(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name IN "
                "('narrative_bands', 'ix_narrative_bands_complaint_id', 'complaints') GROUP BY name"
            )
        ).all()
        figures["table_mb"] = {name: round(size / 2**20, 1) for name, size in sizes}
    else:
        figures["database_mb"] = round(conn.scalar(text("SELECT pg_database_size(current_database())")) / 2**20, 1)
        figures["table_mb"] = {
            name: round(conn.scalar(text(f"SELECT pg_total_relation_size('{name}')")) / 2**20, 1)
            for name in ("narrative_bands", "complaints")
        }
    return figures


def population(label: str, filings: list[Filing], members: dict[int, set[int]]) -> dict[str, Any]:
    """Measure the look-ups of the new complaints, and describe the table."""
    result = measure(filings, members, label)
    result["tables"] = table_figures()
    return result


def batch_members() -> dict[int, set[int]]:
    """Complaints of each batch in the varied population, by their contact number's or screenshot's batch."""
    campaigns = [Campaign.invent(random.Random(c), c) for c in range(CAMPAIGNS)]
    members: dict[int, set[int]] = {}
    for n, campaign in enumerate(campaigns):
        sharing = select(ReportedPhone.complaint_id).where(ReportedPhone.phone == campaign.collector_phone)
        members[n] = set(db.session.scalars(sharing))
    return members


def short_commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()


def write_report(report: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = (
        RESULTS
        / f"duplicates-{dt.date.today().isoformat()}-{report['commit']}-{report['database']}-{report['complaints']}"
    )
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lines = [
        f"# Duplicate candidates of a new complaint — {report['database']}, {report['complaints']:,} complaints, "
        f"{report['date']}",
        "",
        "| population | look-up | median ms | p95 ms | max ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, result in report["populations"].items():
        for what in ("database_alone_band_query", "narrative_candidates", "suggest_duplicates"):
            r = result[what]
            lines.append(f"| {name} | {what} | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} |")
    lines.append("")
    for name, result in report["populations"].items():
        t = result["tables"]
        lines.append(
            f"- {name}: {t['band_rows']:,} band rows, {t['distinct_bands']:,} distinct bands, largest bucket "
            f"{t['largest_bucket']:,}; database {t['database_mb']} MB, tables {t['table_mb']}; band rows read per "
            f"look-up {result['band_rows_read']}; stories told before {result['told_before']}, not found "
            f"{result['told_before_but_not_found']}; own stories with a candidate "
            f"{result['own_stories_with_a_candidate']}"
        )
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return stem


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=240, help="new complaints looked up per population")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--instance", default="")
    parser.add_argument("--reuse", action="store_true", help="keep what an earlier run seeded and varied")
    args = parser.parse_args()

    base = Path(args.instance or tempfile.mkdtemp(prefix="cw-dup-bench-"))
    demo_instance, varied_instance = base / "demo", base / "varied"
    env = {**os.environ, "INSTANCE_PATH": str(demo_instance), "FLASK_APP": "wsgi", "RATELIMIT_ENABLED": "0"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    engine = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    load_before = os.getloadavg()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": short_commit(),
        "database": engine,
        "complaints": args.complaints,
        "machine": {
            "cores": os.cpu_count(),
            "python": host.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "load_average_before": load_before,
        },
        "settings": {"per_band": duplicates.PER_BAND, "checked": duplicates.CHECKED, "bands": resemblance.BANDS},
        "populations": {},
    }
    rng = random.Random(2026)
    # Each step leaves its figures in the instance, so --reuse does only the steps still missing.
    seeded, varied = demo_instance / "bench-seed.json", varied_instance / "bench-varied.json"
    if not (args.reuse and seeded.exists()):
        seeded.parent.mkdir(parents=True, exist_ok=True)
        seeded.write_text(json.dumps({"demo_data_seconds": seed(env, args.complaints)}))
    report["seed"] = json.loads(seeded.read_text())
    varied_url = f"{args.database_url}_varied" if args.database_url else ""
    if not (args.reuse and varied.exists()):
        varied_url = copy_database(demo_instance, varied_instance, args.database_url)
        with app_context(varied_instance, varied_url):
            figures = vary_population()
        varied.write_text(json.dumps(figures))
    report["varied_population"] = json.loads(varied.read_text())
    label = f"{time.time_ns() % 10**6:06d}"
    with app_context(demo_instance, args.database_url):
        report["populations"]["demo (five stories, hot buckets)"] = population(
            "D" + label, demo_filings(args.new, rng), {}
        )
    with app_context(varied_instance, varied_url):
        report["populations"]["varied (own stories, 20 batches of 100)"] = population(
            "V" + label, varied_filings(args.new, rng), batch_members()
        )
    report["machine"]["load_average_after"] = os.getloadavg()
    write_report(report)
    failed = [name for name, r in report["populations"].items() if r["told_before_but_not_found"]]
    if failed:
        print(
            f"FAIL: a story told before (a template copy: its batch) was not found in {', '.join(failed)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
