"""Officer queue through the real server: first page and filtered pages at N complaints.

Seeds N fictional complaints with `flask demo-data`, signs an officer in with password and TOTP
over HTTP, then times the queue pages through gunicorn, with the home page (a bare template
render) as the baseline measured in the same run. Writes bench/results/queue-<date>-<commit>-<db>.json/md.

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


def create_officer(env: dict[str, str]) -> None:
    code = f"""
from complaints import create_app
from complaints.extensions import db
from complaints.models import Officer, Role
from complaints.accounts.officers import hash_password
app = create_app()
with app.app_context():
    officer = db.session.query(Officer).filter_by(email="bench@example.test").first()
    officer = officer or Officer(email="bench@example.test")
    officer.role = Role.ADMIN.value
    officer.password_hash = hash_password({PASSWORD!r})
    officer.totp_secret = {SECRET!r}
    officer.totp_last_step = 0
    db.session.add(officer)
    db.session.commit()
"""
    subprocess.run([str(BIN / "python"), "-c", code], check=True, env=env, cwd=ROOT)


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


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/officer/sign-in").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    fields = {"email": "bench@example.test", "password": PASSWORD, "code": pyotp.TOTP(SECRET).now()}
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
    create_officer(env)

    with gunicorn(env, "--workers", "2") as (_server, base):
        opener = sign_in(base)
        pages = {
            "baseline: home page (bare template)": "/",
            "queue first page (open complaints, newest first)": "/officer/",
            "filtered: status submitted + platform": "/officer/?status=submitted&platform=3",
            "filtered: violation THR-01 + province 44": "/officer/?status=all&code=THR-01&province=44",
            "filtered: urgent, unassigned": "/officer/?severity=urgent&assignee=none",
        }
        results = {name: timed(opener, base + path, args.requests) for name, path in pages.items()}
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
