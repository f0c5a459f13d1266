"""Statistics benchmarks: demo data, pages through gunicorn (cold, warm, 304) against the database alone,
and the complaint-level CSV against `sqlite3 -csv`. Writes bench/results/<date>-<commit>.{json,md}.

Usage: python bench/run.py [--complaints N] [--instance DIR] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT).stdout


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": platform.platform(),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def get(
    conn: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None
) -> tuple[float, int, dict[str, str], int]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "zh-CN", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - start) * 1000, response.status, dict(response.getheaders()), len(body)


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def capture_queries(env: dict[str, str], path: str) -> list[tuple[str, tuple[object, ...]]]:
    """The SQL a page runs (through the test client), to replay against the database alone."""
    code = f"""
import json, sys
from sqlalchemy import event
from complaints import create_app
from complaints.extensions import db
app = create_app()
seen = []
with app.app_context():
    @event.listens_for(db.engine, "before_cursor_execute")
    def grab(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, list(parameters) if isinstance(parameters, (list, tuple)) else parameters))
client = app.test_client()
client.get({path!r}, headers={{"Accept-Language": "zh-CN"}})
json.dump(seen, sys.stdout, default=str)
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", code], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    return [(sql, tuple(params)) for sql, params in json.loads(out.stdout)]


def replay(db_path: Path, queries: list[tuple[str, tuple[object, ...]]], rounds: int) -> dict[str, float]:
    """Run the page's SQL straight through sqlite3: the database engine alone."""
    conn = sqlite3.connect(db_path)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for sql, params in queries:
            if sql.lstrip().upper().startswith("SELECT"):
                conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return summary(samples)


def bench_pages(env: dict[str, str], db_path: Path, rounds: int) -> dict[str, object]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        conn = sqlite3.connect(db_path)
        top = conn.execute(
            "SELECT platform_id FROM stat_counts WHERE platform_id > 0 AND collector_id = 0 AND code = '' "
            "AND dim = '' GROUP BY platform_id ORDER BY SUM(complaints) DESC LIMIT 1"
        ).fetchone()[0]
        year = conn.execute("SELECT MAX(substr(month, 1, 4)) FROM stat_counts").fetchone()[0]
        conn.close()
        pages = {
            "home_all": "/statistics/",
            "home_year": f"/statistics/?period={year}",
            "platform_all": f"/statistics/platform/{top}",
            "api_platforms": "/api/v1/platforms",
            "bare_static": "/static/css/stats.css",
        }
        out: dict[str, object] = {}
        http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name, path in pages.items():
            cold, status, headers, size = get(http_conn, path)
            warm = [get(http_conn, path)[0] for _ in range(rounds)]
            etag = headers.get("ETag", "")
            not_modified = [get(http_conn, path, {"If-None-Match": etag}) for _ in range(rounds)] if etag else []
            statuses = {s for _t, s, _h, _b in not_modified}
            out[name] = {
                "path": path,
                "status": status,
                "bytes": size,
                "cold_ms": round(cold, 2),
                "warm": summary(warm),
                "not_modified": summary([t for t, *_ in not_modified]) if not_modified else None,
                "not_modified_statuses": sorted(statuses),
            }
            if name.startswith(("home", "platform")):
                queries = capture_queries(env, path)
                baseline = replay(db_path, queries, max(5, rounds // 4))
                out[name]["db_alone"] = baseline  # type: ignore[index]
                out[name]["queries"] = len(queries)  # type: ignore[index]
                out[name]["ratio_to_db"] = round(summary(warm)["median_ms"] / max(baseline["median_ms"], 0.01), 2)  # type: ignore[index]
        return out
    finally:
        server.terminate()
        server.wait(10)


CSV_SQL = """
SELECT c.public_id, substr(c.submitted_at, 1, 7), c.province, c.platform_id, p.name_zh, p.name_en, c.collector_id,
       COALESCE(k.name, ''), COALESCE(k.kind, c.collector_kind_reported),
       (SELECT group_concat(code, ' ') FROM (SELECT code FROM complaint_violations v WHERE v.complaint_id = c.id
         ORDER BY v."primary" DESC, code)),
       (SELECT code FROM complaint_violations v WHERE v.complaint_id = c.id AND v."primary"),
       c.channels, c.stage, c.status, COALESCE(c.resolution, ''),
       (SELECT group_concat(regulator_code, ' ') FROM referrals r WHERE r.complaint_id = c.id),
       CAST((julianday(c.accepted_at) - julianday(c.submitted_at)) AS INTEGER),
       CASE WHEN c.consent_publish AND c.publication_status = 'approved' THEN c.narrative_published ELSE '' END
FROM complaints c JOIN platforms p ON p.id = c.platform_id LEFT JOIN collectors k ON k.id = c.collector_id
WHERE c.accepted_at IS NOT NULL AND c.status IN ('accepted', 'closed', 'referred')
  AND (c.resolution IS NULL OR c.resolution IN ('regulator_action', 'resolved', 'unresolved'))
ORDER BY c.id
"""


def bench_csv(env: dict[str, str], db_path: Path) -> dict[str, object]:
    code = """
import resource, sys, time
from complaints import create_app
from complaints.statistics.datasets import COMPLAINT_COLUMNS, COMPLAINT_TEXT_COLUMNS, Filters, complaint_rows
from complaints.statistics.csv_output import csv_lines
app = create_app()
with app.app_context(), open('/dev/null', 'w', encoding='utf-8') as sink:
    start = time.perf_counter(); rows = 0
    def counted():
        global rows
        for row in complaint_rows(Filters()):
            rows += 1
            yield row
    for chunk in csv_lines([c.name for c in COMPLAINT_COLUMNS], counted(), text_columns=COMPLAINT_TEXT_COLUMNS):
        sink.write(chunk)
    elapsed = time.perf_counter() - start
print(rows, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", code], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    rows, elapsed, maxrss = out.stdout.split()
    app = {
        "rows": int(rows),
        "seconds": round(float(elapsed), 2),
        "rows_per_s": round(int(rows) / float(elapsed)),
        "peak_rss_mb": round(int(maxrss) / 1024, 1),
    }
    sqlite_bin = shutil.which("sqlite3")
    baseline: dict[str, object] | None = None
    if sqlite_bin:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sqlite_bin, "-csv", str(db_path), CSV_SQL],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
        baseline = {
            "seconds": round(seconds, 2),
            "rows_per_s": round(int(rows) / seconds),
            "peak_rss_mb": round(int(proc.stderr.strip().splitlines()[-1]) / 1024, 1),
        }
    return {"app": app, "sqlite3_csv": baseline}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=int(os.environ.get("BENCH_COMPLAINTS", "1000000")))
    parser.add_argument("--instance", default=str(RESULTS / "tmp"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database in the instance folder")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    instance = Path(args.instance)
    db_path = instance / "collectwatch.db"
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "FLASK_APP": "wsgi",
        "RATELIMIT_ENABLED": "0",
        "COLLECTWATCH_ENV": "development",
    }
    env.pop("DATABASE_URL", None)
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": sh("git", "rev-parse", "--short", "HEAD").strip(),
        "machine": machine(),
        "complaints": args.complaints,
    }
    if not (args.reuse and db_path.exists()):
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        sh(str(BIN / "flask"), "db", "upgrade", env=env)
        sh(str(BIN / "flask"), "seed-reference", env=env)
        start = time.perf_counter()
        log = sh(str(BIN / "flask"), "demo-data", "--complaints", str(args.complaints), env=env)
        result["demo_data"] = {"seconds": round(time.perf_counter() - start, 1), "log": log.strip()}
        start = time.perf_counter()
        verify = sh(str(BIN / "flask"), "rebuild-stats", "--verify", env=env)
        result["verify"] = {"seconds": round(time.perf_counter() - start, 1), "log": verify.strip()}
    result["pages_sqlite"] = bench_pages(env, db_path, args.rounds)
    result["csv_sqlite"] = bench_csv(env, db_path)
    result["machine"]["load_average_after"] = os.getloadavg()  # type: ignore[index]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{dt.date.today().isoformat()}-{result['commit']}-{args.complaints}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    sys.exit(main())
