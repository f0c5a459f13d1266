"""Load test: consumers filing complaints with evidence plus statistics readers, against gunicorn.

    .venv/bin/python bench/load.py                          # SQLite (make load)
    .venv/bin/python bench/load.py --database postgresql    # a database of its own on 127.0.0.1:5432

A fresh database is migrated and filled with fictional demo complaints; gunicorn (4 workers) serves
it with PROXY_FIX_HOPS=1, so each simulated consumer sends its own X-Forwarded-For address and the
per-address rate limits stay on. Locust runs headless for the given time (users already in a visit
finish it, so no filing is cut off); then every receipt is looked up through POST /status, and the
database is compared with the receipts. Results: bench/results/load-<date>-<db>.{json,md}.
Exit status 1 when any answer was a 5xx, any receipt did not open, or the counts disagree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_client import verify_receipts
from bench.load_server import ROOT, Deployment, database_check, deployment, server_errors

RESULTS = ROOT / "bench" / "results"


class LoadSampler:
    """The machine's 1-minute load average every few seconds (the machine is shared: say how busy it was)."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        values = self.samples or [os.getloadavg()[0]]
        return {"min": min(values), "mean": round(sum(values) / len(values), 2), "max": max(values)}


def run_locust(target: Deployment, args: argparse.Namespace, work: Path) -> float:
    """Run locust headless; return the wall time of the run (its own CSV files stay in `work`)."""
    directory = work / "directory.json"
    directory.write_text(
        json.dumps(
            {"platforms": target.platforms, "platform_ids": target.platform_ids, "year": target.year},
            ensure_ascii=False,
        )
    )
    env = {
        **os.environ,
        "LOAD_DIRECTORY": str(directory),
        "LOAD_RECEIPTS": str(work / "receipts.jsonl"),
        "LOAD_STATUSES": str(work / "answers.json"),
        "LOAD_CONSUMERS": str(args.consumers),
        "LOAD_THINK": args.think,
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "load_locustfile.py"),
        "--headless",
        "-u",
        str(args.consumers + args.readers),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{args.duration}s",
        "--stop-timeout",
        "300",
        "--csv",
        str(work / "locust"),
        "--host",
        target.base_url,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    (work / "locust.out").write_text(done.stdout + done.stderr)
    return wall


def percentile(sorted_values: list[float], q: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1])


def answers(work: Path, wall: float) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    """Per request type: count, throughput, latency percentiles; and answers by status code."""
    raw = json.loads((work / "answers.json").read_text())
    grouped: dict[str, dict[str, int]] = {}
    for key, count in sorted(raw["statuses"].items()):
        name, status = key.rsplit("|", 1)
        grouped.setdefault(name, {})[status] = count
    stats: dict[str, Any] = {}
    everything: list[float] = []
    for name, times in sorted(raw["times_ms"].items()):
        values = sorted(times)
        everything += values
        stats[name] = {
            "requests": len(values),
            "requests_per_s": round(len(values) / wall, 2),
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
            "p99_ms": percentile(values, 99),
            "max_ms": round(values[-1]),
        }
    everything.sort()
    stats["all requests"] = {
        "requests": len(everything),
        "requests_per_s": round(len(everything) / wall, 2),
        "p50_ms": percentile(everything, 50),
        "p95_ms": percentile(everything, 95),
        "p99_ms": percentile(everything, 99),
        "max_ms": round(everything[-1]),
    }
    return stats, grouped


def reencode_baseline(samples: int = 5) -> dict[str, float]:
    """One re-encoding of the load's screenshot by the decoder server, as a filing does (wall time only:
    the CPU is spent in a child of the server, which no rusage of this process counts)."""
    from bench.load_client import evidence_image
    from complaints.intake import evidence

    _name, content, _mime = evidence_image(1)  # a PNG
    pixels = evidence._image_pixels(content, "screenshot")
    evidence._reencode_image(content, "PNG", "screenshot", pixels, evidence.DECODE_SECONDS)  # starts the server
    walls = []
    for _ in range(samples):
        wall = time.perf_counter()
        evidence._reencode_image(content, "PNG", "screenshot", pixels, evidence.DECODE_SECONDS)
        walls.append(time.perf_counter() - wall)
    return {"wall_ms_median": round(sorted(walls)[samples // 2] * 1000, 1)}


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def markdown(result: dict[str, Any]) -> str:
    """The human-readable summary beside the JSON."""
    p = result["parameters"]
    lines = [
        f"# Load test — {result['database']} — {result['date']} (commit {result['commit']})",
        "",
        f"{p['consumers']} consumers filing complaints with one screenshot each, plus {p['readers']} statistics "
        f"readers, {p['duration_s']} s (spawn {p['spawn_rate']}/s, think time {p['think_s']} s) against gunicorn "
        f"with {p['workers']} sync workers on {result['database']} ({p['demo_complaints']:,} fictional demo "
        f"complaints loaded first); rate limits on, counters in {result['ratelimit_storage']}, each consumer "
        "visit from its own X-Forwarded-For address (PROXY_FIX_HOPS=1).",
        "",
        f"Machine: {result['machine']['cpus']} CPUs, shared with other jobs; 1-minute load average during the run "
        f"min {result['load_average']['min']:.1f} / mean {result['load_average']['mean']:.1f} / "
        f"max {result['load_average']['max']:.1f}. Locust ran on the same machine. Baseline: re-encoding the "
        f"screenshot by the decoder server (once per filing) takes "
        f"{result['reencode_baseline']['wall_ms_median']} ms wall here, measured just before the run.",
        "",
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in result["requests"].items():
        lines.append(
            f"| {name} | {s['requests']} | {s['requests_per_s']} | {s['p50_ms']} | {s['p95_ms']} | "
            f"{s['p99_ms']} | {s['max_ms']} |"
        )
    c, v = result["database_check"], result["verification"]
    lines += [
        "",
        f"- Wall time of the locust run (ramp-up, {p['duration_s']} s, visits finishing): {result['wall_s']:.0f} s; "
        f"complaints filed: {c['complaints_in_database']} ({result['filings_per_s']:.2f}/s).",
        f"- Answers by status: {json.dumps(result['statuses'], ensure_ascii=False)}",
        f"- 5xx answers: **{result['server_errors']}**; no answer at all: {result['no_answer']}; tracebacks in the "
        f"server log: {len(result['server_log_errors'])}.",
        f"- Receipts: {c['receipts']}; complaints in the database: {c['complaints_in_database']}; complaints without a "
        f"receipt: {c['complaints_without_receipt']}; receipts without a complaint: {c['receipts_without_complaint']}.",
        f"- Every receipt looked up (POST /status → status page): **{v['opened']} of {c['receipts']} opened**"
        f"{'; failures: ' + json.dumps(v['failures'][:10], ensure_ascii=False) if v['failures'] else ''} "
        f"({v['seconds']:.0f} s).",
        f"- Complaints without evidence: {c['complaints_without_evidence']}; evidence rows {c['evidence_rows']}, "
        f"files on disk {c['evidence_files_on_disk']}.",
        f"- Verdict: **{'PASS' if result['passed'] else 'FAIL'}**",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=None, help="server to create the load database on")
    parser.add_argument("--consumers", type=int, default=200)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", default="1,3", help="min,max seconds a person pauses between pages")
    parser.add_argument("--demo-complaints", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    baseline = reencode_baseline()

    with (
        tempfile.TemporaryDirectory(prefix="cw-locust-") as tmp,
        deployment(
            args.database, workers=args.workers, demo_complaints=args.demo_complaints, postgres_url=args.postgres_url
        ) as target,
    ):
        work = Path(tmp)
        print(f"serving {target.base_url} on {args.database}; rate limits in {target.ratelimit_storage}", flush=True)
        with LoadSampler() as sampler:
            wall = run_locust(target, args, work)
        stats, by_status = answers(work, wall)
        receipts = [tuple(json.loads(line)) for line in (work / "receipts.jsonl").read_text().splitlines() if line]
        started = time.monotonic()
        verification = verify_receipts(target.base_url, receipts)  # type: ignore[arg-type]
        verify_s = time.monotonic() - started
        check = database_check(target, receipts)  # type: ignore[arg-type]
        log_errors = server_errors(target.error_log)

    server_5xx = sum(n for by in by_status.values() for status, n in by.items() if int(status) >= 500)
    no_answer = sum(n for by in by_status.values() for status, n in by.items() if int(status) == 0)
    passed = (
        server_5xx == 0
        and no_answer == 0
        and not log_errors
        and verification.opened == check["receipts"] > 0
        and check["complaints_in_database"] == check["receipts"] == check["distinct_receipt_references"]
        and check["complaints_without_receipt"] == 0
        and check["complaints_without_evidence"] == 0
    )
    today = dt.date.today().isoformat()
    result = {
        "database": args.database,
        "date": today,
        "commit": commit(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "parameters": {
            "consumers": args.consumers,
            "readers": args.readers,
            "spawn_rate": args.spawn_rate,
            "duration_s": args.duration,
            "workers": args.workers,
            "think_s": args.think,
            "demo_complaints": args.demo_complaints,
        },
        "ratelimit_storage": target.ratelimit_storage.split("://")[0],
        "load_average": sampler.summary(),
        "reencode_baseline": baseline,
        "wall_s": round(wall, 1),
        "requests": stats,
        "statuses": by_status,
        "server_errors": server_5xx,
        "no_answer": no_answer,
        "server_log_errors": log_errors[:20],
        "filings_per_s": round(check["complaints_in_database"] / wall, 2) if wall else 0.0,
        "verification": {
            "opened": verification.opened,
            "failures": verification.failures[:50],
            "seconds": round(verify_s, 1),
        },
        "database_check": check,
        "passed": passed,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"load-{today}-{args.database}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    summary = markdown(result)
    stem.with_suffix(".md").write_text(summary)
    print(summary)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
