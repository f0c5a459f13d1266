"""Officer queue and responder portal through the real server: first and filtered pages at N complaints.

Seeds N fictional complaints with `flask demo-data` (which answers most accepted ones as their
platforms would), signs an officer and the busiest platform's responder in with password and TOTP
over HTTP, then times the queue and portal pages through gunicorn, with the home page (a bare
template render) as the baseline measured in the same run. Writes
bench/results/queue-<date>-<commit>-<db>.json/md.

Usage: python bench/queue_server.py [--complaints N] [--database-url URL] [--instance DIR] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-password-long-enough-42"  # noqa: S105 - a throwaway benchmark account
SECRET = pyotp.random_base32()


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


RESPONDER = "bench-responder@example.org"


#: Run in the served app's environment: the accounts, and one waiting complaint of the responder's.
CREATE_ACCOUNTS = """
import os
from sqlalchemy import func, select
from complaints import create_app
from complaints.extensions import db
from complaints.models import Complaint, Officer, Role
from complaints.accounts.officers import hash_password
app = create_app()
with app.app_context():
    busiest = db.session.execute(
        select(Complaint.platform_id, func.count()).where(Complaint.sent_to_platform_at.is_not(None))
        .group_by(Complaint.platform_id).order_by(func.count().desc()).limit(1)
    ).first()
    accounts = (("bench@example.test", Role.ADMIN, None), (os.environ["BENCH_RESPONDER"], Role.RESPONDER, busiest[0]))
    for email, role, platform in accounts:
        officer = db.session.query(Officer).filter_by(email=email).first() or Officer(email=email)
        officer.role = role.value
        officer.platform_id = platform
        officer.password_hash = hash_password(os.environ["BENCH_PASSWORD"])
        officer.totp_secret = os.environ["BENCH_SECRET"]
        officer.totp_last_step = 0
        db.session.add(officer)
    db.session.commit()
    waiting = select(Complaint.reference).where(
        Complaint.platform_id == busiest[0], Complaint.platform_stage == "awaiting"
    )
    print(db.session.scalar(waiting.order_by(Complaint.sent_to_platform_at.desc()).limit(1)))
"""


def create_officer(env: dict[str, str]) -> str:
    """A supervisor and a responder of the platform with the most sent complaints; a reference of theirs."""
    env = {**env, "BENCH_RESPONDER": RESPONDER, "BENCH_PASSWORD": PASSWORD, "BENCH_SECRET": SECRET}
    code = CREATE_ACCOUNTS
    done = subprocess.run(
        [str(BIN / "python"), "-c", code], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def seed(env: dict[str, str], complaints: int) -> float:
    """Migrate, load the reference data and `complaints` demo complaints; the demo's seconds."""
    run([str(BIN / "flask"), "db", "upgrade"], env)
    run([str(BIN / "flask"), "seed-reference"], env)
    start = time.perf_counter()
    run([str(BIN / "flask"), "demo-data", "--complaints", str(complaints)], env)
    return round(time.perf_counter() - start, 1)


@contextmanager
def gunicorn(env: dict[str, str], *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """gunicorn serving the app with these options, once it answers; its process and base URL."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *options, "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        env=env,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def short_commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()


def sign_in(base: str, email: str = "bench@example.test", step: int = 0) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/officer/sign-in").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    totp = pyotp.TOTP(SECRET)
    code = totp.generate_otp(totp.timecode(dt.datetime.now(dt.UTC)) + step)
    fields = {"email": email, "password": PASSWORD, "code": code}
    if token:
        fields["csrf_token"] = token.group(1)
    response = opener.open(base + "/officer/sign-in", data=urllib.parse.urlencode(fields).encode())
    if "/officer/sign-in" in response.geturl():
        raise RuntimeError("sign-in failed")
    return opener


def timed(opener: urllib.request.OpenerDirector, url: str, n: int) -> dict[str, float]:
    for _ in range(5):
        opener.open(url).read()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = opener.open(url)
        response.read()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status == 200
    ordered = sorted(samples)
    return {
        "n": n,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(n * 0.95) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--instance", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded instance")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    instance = Path(args.instance or tempfile.mkdtemp(prefix="cw-queue-bench-"))
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "FLASK_APP": "wsgi",
        "RATELIMIT_ENABLED": "0",
        "QUEUE_COUNTS_SECONDS": "15",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    engine = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    seed_seconds = None if args.reuse else seed(env, args.complaints)
    reference = create_officer(env)

    with gunicorn(env, "--workers", "2") as (_server, base):
        opener = sign_in(base)
        # Both accounts share one TOTP secret, and a code works once: the responder takes the previous step's.
        responder = sign_in(base, RESPONDER, step=-1)
        pages = {
            "baseline: home page (bare template)": (opener, "/"),
            "queue first page (open complaints, newest first)": (opener, "/officer/"),
            "filtered: status submitted + platform": (opener, "/officer/?status=submitted&platform=3"),
            "filtered: violation THR-01 + province 44": (opener, "/officer/?status=all&code=THR-01&province=44"),
            "filtered: urgent, unassigned": (opener, "/officer/?severity=urgent&assignee=none"),
            "queue tab: platform answers overdue": (opener, "/officer/?answers=overdue"),
            "queue tab: back from the platform (disputed, disowned)": (opener, "/officer/?answers=back"),
            "portal: waiting for an answer (soonest deadline first)": (responder, "/respond/complaints"),
            "portal: overdue": (responder, "/respond/complaints?show=overdue"),
            "portal: answered": (responder, "/respond/complaints?show=answered"),
            "portal: all, page 20": (responder, "/respond/complaints?show=all&page=20"),
            "portal: one complaint (redacted narrative)": (responder, f"/respond/complaints/{reference}"),
        }
        results = {name: timed(who, base + path, args.requests) for name, (who, path) in pages.items()}
    baseline = results["baseline: home page (bare template)"]["median_ms"]
    commit = short_commit()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "database": engine,
        "complaints": args.complaints,
        "seed_seconds": seed_seconds,
        "machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()},
        "server": "gunicorn, 2 workers",
        "results": results,
        "ratio_to_baseline": {name: round(r["median_ms"] / baseline, 2) for name, r in results.items()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"queue-{dt.date.today().isoformat()}-{commit}-{engine}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lines = [
        f"# Officer queue through gunicorn — {engine}, {args.complaints:,} complaints, {report['date']}",
        "",
        "| page | median ms | p95 ms | × baseline |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['median_ms']} | {r['p95_ms']} | {report['ratio_to_baseline'][name]} |")
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not args.instance:
        shutil.rmtree(instance, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
