"""Fault check: restarting PostgreSQL in the middle of a load costs only the requests in flight.

    .venv/bin/python bench/faults/pg_restart.py                # 30 consumers, 30 s, restart at 10 s
    .venv/bin/python bench/faults/pg_restart.py --seconds 8 --restart-at 3   # the short version in .ci/run

Consumers file complaints with evidence against gunicorn (4 workers) on a PostgreSQL database of
its own; in the middle, `pg_ctlcluster <version> main restart` (fast shutdown: every session is
cut) runs. Then: the server answers again within seconds (pool_pre_ping replaces dead
connections), the only failed answers are clean 503 pages in the restart's window (no 500, no
dropped connection), every receipt handed out opens its status page, and the database holds no
complaint without a receipt or without its evidence. Results: bench/results/pg-restart-<date>.{json,md}.

CAUTION: this restarts the machine's PostgreSQL server, which breaks any other test run using it
at that moment. Never put it in the pytest suite; run it alone (or last in .ci/run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load_client import file_complaints, verify_receipts
from bench.load_server import ROOT, database_check, deployment, server_errors

RESULTS = ROOT / "bench" / "results"
WINDOW_AFTER_S = 10.0


def cluster_version() -> str:
    """The installed PostgreSQL cluster version (the one folder under /etc/postgresql)."""
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    if len(versions) != 1:
        raise SystemExit(f"expected one PostgreSQL version under /etc/postgresql, found {versions}")
    return versions[0]


def restart_postgres(version: str) -> tuple[float, float, str]:
    """Restart the cluster (fast shutdown); return monotonic start and end, and what pg_ctlcluster said."""
    started = time.monotonic()
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        capture_output=True,
        text=True,
        check=False,
    )
    ended = time.monotonic()
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctlcluster restart failed: {done.stdout}{done.stderr}")
    return started, ended, (done.stdout + done.stderr).strip()


def cut_connections(database_url: str, outage_s: float = 3.0) -> tuple[float, float, str]:
    """Rehearsal without a restart: the load's own database refuses connections for a few seconds
    and loses every session it had, as during a restart; no other database is touched."""
    started = time.monotonic()
    name = make_url(database_url).database
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        ended_sessions = connection.scalar(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
        time.sleep(outage_s)
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    admin.dispose()
    said = f"{name} refused connections for {outage_s:.0f} s, {ended_sessions} sessions ended"
    return started, time.monotonic(), said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--consumers", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--restart-at", type=float, default=10, help="seconds into the load")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--terminate-only",
        action="store_true",
        help="rehearsal: end the load database's own sessions instead of restarting the server",
    )
    args = parser.parse_args()
    version = cluster_version()

    restart: dict[str, Any] = {}

    def restart_later(origin: float, database_url: str) -> None:
        time.sleep(args.restart_at)
        try:
            begun, ended, said = cut_connections(database_url) if args.terminate_only else restart_postgres(version)
            restart.update(begun=begun - origin, ended=ended - origin, said=said)
        except Exception as error:  # reported in the result, and the check fails
            restart.update(error=repr(error))

    with deployment("postgresql", workers=4, demo_complaints=500, postgres_url=args.postgres_url) as target:
        origin = time.monotonic()
        restarter = threading.Thread(target=restart_later, args=(origin, target.database_url))
        restarter.start()
        run = file_complaints(target.base_url, args.consumers, args.seconds, target.platforms, think=0.3)
        restarter.join()
        verification = verify_receipts(target.base_url, run.receipts)
        check = database_check(target, run.receipts)
        log_errors = server_errors(target.error_log)

    failed = [(t - origin, name, status) for t, name, status in run.answers if status == 0 or status >= 400]
    statuses_5xx = sorted({status for _t, _n, status in failed})
    window = (restart.get("begun", 0.0) - 1.0, restart.get("ended", 0.0) + WINDOW_AFTER_S)
    outside = [f for f in failed if not window[0] <= f[0] <= window[1]]
    successes_after = [
        t - origin for t, name, status in run.answers if status == 303 and t - origin > restart.get("ended", 0)
    ]
    recovered_after = (
        round(successes_after[0] - restart["ended"], 2) if successes_after and "ended" in restart else None
    )
    passed = (
        "error" not in restart
        and all(status == 503 for _t, _n, status in failed)
        and not outside
        and recovered_after is not None
        and recovered_after <= WINDOW_AFTER_S
        and verification.opened == len(run.receipts) > 0
        and check["receipts_without_complaint"] == 0
        and check["complaints_without_receipt"] == 0
        and check["complaints_without_evidence"] == 0
        and not log_errors
    )
    today = dt.date.today().isoformat()
    fault = (
        "the load's own database closed to connections for 3 s and its sessions ended (rehearsal)"
        if args.terminate_only
        else f"`pg_ctlcluster {version} main restart`"
    )
    result = {
        "fault": fault,
        "date": today,
        "time_utc": dt.datetime.now(dt.UTC).strftime("%H:%M:%S"),
        "postgresql": version,
        "parameters": {"consumers": args.consumers, "seconds": args.seconds, "restart_at_s": args.restart_at},
        "restart": {k: (round(v, 2) if isinstance(v, float) else v) for k, v in restart.items()},
        "answers": {name: {str(s): n for s, n in sorted(by.items())} for name, by in sorted(run.statuses.items())},
        "failed_answers": [(round(t, 2), name, status) for t, name, status in failed],
        "failed_statuses": statuses_5xx,
        "failed_outside_restart_window": len(outside),
        "first_filing_after_restart_s": recovered_after,
        "receipts": len(run.receipts),
        "receipts_opened": verification.opened,
        "verification_failures": verification.failures[:20],
        "database_check": check,
        "server_log_errors": log_errors[:20],
        "load_average_1min": os.getloadavg()[0],
        "passed": passed,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"pg-{'terminate' if args.terminate_only else 'restart'}-{today}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    summary = "\n".join(
        [
            f"# PostgreSQL {'sessions ended' if args.terminate_only else 'restart'} during load — "
            f"{today} {result['time_utc']} UTC",
            "",
            f"{args.consumers} consumers filing complaints with evidence for {args.seconds:.0f} s against gunicorn "
            f"(4 workers) on PostgreSQL {version}; {fault} at {restart.get('begun', float('nan')):.1f} s, "
            f"done at {restart.get('ended', float('nan')):.1f} s ({restart.get('said') or restart.get('error')}).",
            "",
            f"- Answers: {json.dumps(result['answers'], ensure_ascii=False)}",
            f"- Failed answers: {len(failed)}, statuses {statuses_5xx or '—'}, all within the restart window: "
            f"{'yes' if not outside else f'no ({len(outside)} outside)'}.",
            f"- First successful filing {recovered_after} s after the restart finished.",
            f"- Receipts {len(run.receipts)}, opened {verification.opened}; complaints without a receipt "
            f"{check['complaints_without_receipt']}; without evidence {check['complaints_without_evidence']}; "
            f"tracebacks in the server log {len(log_errors)}.",
            f"- Verdict: **{'PASS' if passed else 'FAIL'}**",
            "",
        ]
    )
    stem.with_suffix(".md").write_text(summary)
    print(summary)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
