"""The costliest single requests we can find, through gunicorn: wall time and the worker's peak memory.

Seeds N fictional complaints with `flask demo-data`, starts gunicorn with one worker (so the worker is
known), signs an officer in over HTTP, and for each request: resets the worker's peak resident memory
(VmHWM, via /proc/<pid>/clear_refs), sends the request once cold and then ``--repeat`` more times,
and reads VmHWM again. The home page is the baseline of the same run.

The requests are the heaviest of each kind that the code allows an anonymous visitor or an officer:
statistics pages (default, a whole year, the platform search at its longest, hostile digits),
the downloads (complaint-level CSV unfiltered, counts per month, the JSON API), and the officer
search (a 100-character search of rare characters; a search whose pieces are in every narrative of one
demo text but whose text is in none, so a request decrypts its whole bound of candidates; a 101-character
search, which is refused). Uploads are measured in a fresh process by `bench/evidence_decode.py`.

Usage: python bench/worst_request.py [--complaints N] [--database-url URL] [--instance DIR] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queue_server import BIN, RESULTS, ROOT, create_officer, gunicorn, seed, short_commit, sign_in

#: Rare characters (none is in a demo narrative), 100 of them: the longest search allowed.
RARE_100 = "".join(chr(0x4E00 + 37 * i) for i in range(100))
#: Every two-character piece is in the demo text "对方冒充律师，发来所谓律师函。", which holds 律师 twice,
#: so this walks round that loop: the text itself is in no narrative (the demo text has 所谓律师函).
EVERY_PIECE_NO_TEXT = "所谓律师，发来所谓律师，发来所谓律师"


def cases(platform_id: int, year: int) -> dict[str, tuple[str, str]]:
    """name -> (kind, path) of every request measured; the first is the baseline."""
    long_query = urllib.parse.quote("平台" * 50)
    return {
        "baseline: home page": ("baseline", "/"),
        "statistics: platforms, all time": ("statistics", "/statistics/"),
        f"statistics: platforms, year {year}": ("statistics", f"/statistics/?period={year}"),
        "statistics: platform search of 100 characters": ("statistics", f"/statistics/?q={long_query}"),
        "statistics: full-width digits in period (finding 1)": (
            "statistics",
            "/statistics/?period=" + urllib.parse.quote("２０２６"),
        ),
        "statistics: largest platform page": ("statistics", f"/statistics/platform/{platform_id}"),
        "CSV: complaint-level, unfiltered": ("CSV", "/statistics/data/complaints.csv"),
        "CSV: counts per platform per month": ("CSV", "/statistics/data/counts-platform.csv?every=month"),
        "CSV: counts per collector per month": ("CSV", "/statistics/data/counts-collector.csv?every=month"),
        "JSON: platforms": ("JSON", "/api/v1/platforms"),
        "officer: queue first page": ("officer search", "/officer/"),
        "officer search: 100 rare characters": (
            "officer search",
            "/officer/?status=all&q=" + urllib.parse.quote(RARE_100),
        ),
        "officer search: pieces everywhere, text nowhere (bound of 1,000 decrypted)": (
            "officer search",
            "/officer/?status=all&q=" + urllib.parse.quote(EVERY_PIECE_NO_TEXT),
        ),
        "officer search: 101 characters (refused)": (
            "officer search",
            "/officer/?status=all&q=" + urllib.parse.quote(RARE_100 + "丁"),
        ),
    }


def worker_of(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _status_mb(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    line = next(line for line in status if line.startswith(field + ":"))
    return round(int(line.split()[1]) / 1024, 1)


def peak_mb(pid: int) -> float:
    """The worker's peak resident memory since the last reset."""
    return _status_mb(pid, "VmHWM")


def resident_mb(pid: int) -> float:
    """The worker's resident memory now."""
    return _status_mb(pid, "VmRSS")


#: What a page says that tells how the request ended (the opener reads English).
SIGNS = {
    "searched part of the queue": "Only part of the queue was searched",
    "search refused as too long": "Search for at most 100 characters",
    "no complaint matches": "No complaints match.",
}


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def fetch(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    try:
        response = opener.open(url, timeout=120)
        body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return (time.perf_counter() - start) * 1000, status, body


def measure(opener: urllib.request.OpenerDirector, pid: int, url: str, repeat: int) -> dict[str, object]:
    reset_peak(pid)
    before = resident_mb(pid)
    cold_ms, status, body = fetch(opener, url)
    warm = [fetch(opener, url)[0] for _ in range(repeat)]
    text = body.decode("utf-8", "replace")
    return {
        "status": status,
        "bytes": len(body),
        "cold_ms": round(cold_ms, 1),
        "warm_median_ms": round(statistics.median(warm), 1),
        "warm_max_ms": round(max(warm), 1),
        "rss_before_mb": before,
        "peak_mb": peak_mb(pid),
        "page_said": [sign for sign, words in SIGNS.items() if words in text],
    }


def largest_platform(env: dict[str, str]) -> tuple[int, int]:
    code = """
from sqlalchemy import func, select
from complaints import create_app
from complaints.extensions import db
from complaints.models import Complaint
app = create_app()
with app.app_context():
    pid = db.session.execute(select(Complaint.platform_id, func.count()).group_by(Complaint.platform_id)
        .order_by(func.count().desc()).limit(1)).first()[0]
    year = db.session.scalar(select(func.max(Complaint.submitted_at))).year
    print(pid, year)
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", code], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    platform_id, year = out.stdout.split()[-2:]
    return int(platform_id), int(year)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--instance", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded instance")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    instance = Path(args.instance or tempfile.mkdtemp(prefix="cw-worst-bench-"))
    env = {**os.environ, "INSTANCE_PATH": str(instance), "FLASK_APP": "wsgi", "RATELIMIT_ENABLED": "0"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    engine = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    if not args.reuse:
        seed(env, args.complaints)
    create_officer(env)
    platform_id, year = largest_platform(env)

    with gunicorn(env, "--workers", "1", "--timeout", "120") as (server, base):
        worker = worker_of(server.pid)
        opener = sign_in(base)
        opener.open(base + "/language/en?next=/").read()
        results = {}
        for name, (kind, path) in cases(platform_id, year).items():
            results[name] = {"kind": kind, "path": path, **measure(opener, worker, base + path, args.repeat)}
            print(name, results[name], flush=True)
    commit = short_commit()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "database": engine,
        "complaints": args.complaints,
        "machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()},
        "server": "gunicorn, 1 worker",
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"worst-request-{dt.date.today().isoformat()}-{commit}-{engine}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lines = [
        f"# Worst requests through gunicorn — {engine}, {args.complaints:,} complaints, {report['date']}, {commit}",
        "",
        "| request | status | bytes | cold ms | warm median ms | warm max ms | worker RSS → peak MB | page said |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['status']} | {r['bytes']:,} | {r['cold_ms']} | {r['warm_median_ms']} | "
            f"{r['warm_max_ms']} | {r['rss_before_mb']} → {r['peak_mb']} | {', '.join(r['page_said']) or '—'} |"
        )
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not args.instance:
        shutil.rmtree(instance, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
