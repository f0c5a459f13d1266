"""A throw-away deployment for the load test: its own database, migrations, demo data, gunicorn.

SQLite lives in a temporary instance folder; on PostgreSQL a database of its own is created on
the server (as tests/conftest.py does) and dropped afterwards, so parallel runs never meet.
Gunicorn binds port 0 and reports the port it got; PROXY_FIX_HOPS=1 lets each simulated consumer
come from its own X-Forwarded-For address.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class Deployment:
    """A served app and what the checks need to look behind it."""

    base_url: str
    database_url: str
    instance: Path
    env: dict[str, str]
    error_log: Path
    ratelimit_storage: str
    first_new_id: int
    platforms: list[str] = field(default_factory=list)
    platform_ids: list[int] = field(default_factory=list)
    year: str = "all"
    server: subprocess.Popen[bytes] | None = None


# `flask db upgrade` then `flask seed-reference`, in one process (one app start instead of two).
MIGRATE_AND_SEED = """
from flask_migrate import upgrade
from complaints import create_app
from complaints.extensions import db
from complaints.directory.reference_data import seed_reference_data
with create_app().app_context():
    upgrade()
    seed_reference_data()
    db.session.commit()
"""


def _python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)[:80]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _create_postgres_database(admin_url: str) -> str:
    name = f"cw_load_{os.getpid()}_{secrets.token_hex(4)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(admin_url: str, url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def _redis_or_memory(prefer_redis: str | None) -> str:
    """Production keeps rate-limit counters in Redis, shared by the workers; fall back to memory."""
    if not prefer_redis:
        return "memory://"
    try:
        import redis

        redis.Redis.from_url(prefer_redis, socket_connect_timeout=1).ping()
    except Exception:
        return "memory://"
    return prefer_redis


def _clear_redis(url: str, prefix: str) -> None:
    if not url.startswith("redis"):
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def _directory(database_url: str) -> tuple[list[str], list[int], str, int]:
    """Platform names and ids for the simulated people, a year with data, and the next complaint id."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, name_zh FROM platforms ORDER BY id LIMIT 40")).all()
        last_id = connection.scalar(text("SELECT MAX(id) FROM complaints")) or 0
        month = connection.scalar(text("SELECT MAX(month) FROM stat_counts WHERE month LIKE '20%'"))
    engine.dispose()
    year = str(month)[:4] if month else "all"
    return [r.name_zh for r in rows], [r.id for r in rows], year, int(last_id) + 1


def _wait_for_port(log: Path, server: subprocess.Popen[bytes], deadline: float) -> int:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        found = LISTENING.search(log.read_text()) if log.exists() else None
        if found:
            return int(found.group(1))
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:] if log.exists() else ''}")


@contextmanager
def deployment(
    database: str = "sqlite",
    *,
    workers: int = 4,
    demo_complaints: int = 0,
    postgres_url: str | None = None,
    redis_url: str | None = "redis://127.0.0.1:6379/0",
    extra_env: dict[str, str] | None = None,
) -> Iterator[Deployment]:
    """Migrate a fresh database, load reference (and demo) data, serve it with gunicorn; clean up after."""
    instance = Path(tempfile.mkdtemp(prefix="cw-load-"))
    admin_url = postgres_url or DEFAULT_POSTGRES
    database_url = (
        _create_postgres_database(admin_url) if database == "postgresql" else f"sqlite:///{instance / 'load.db'}"
    )
    prefix = f"cw-load-{secrets.token_hex(4)}"
    storage = _redis_or_memory(redis_url)
    env = {
        **os.environ,
        "COLLECTWATCH_ENV": "development",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "PROXY_FIX_HOPS": "1",
        "RATELIMIT_STORAGE_URI": storage,
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    error_log = instance / "gunicorn.log"
    server: subprocess.Popen[bytes] | None = None
    try:
        _python(env, "-c", MIGRATE_AND_SEED)
        if demo_complaints:
            _python(env, "-m", "flask", "--app", "wsgi", "demo-data", "--complaints", str(demo_complaints))
        platforms, platform_ids, year, first_new_id = _directory(database_url)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                "127.0.0.1:0",
                "--no-control-socket",  # its default path is shared by every gunicorn on the machine
                "--error-logfile",
                str(error_log),
                "--capture-output",
                f"complaints:create_app(None, RATELIMIT_KEY_PREFIX={prefix!r})",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = _wait_for_port(error_log, server, time.monotonic() + 60)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # every worker booted and answering
            try:
                if requests.get(f"{base}/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        yield Deployment(
            base_url=base,
            database_url=database_url,
            instance=instance,
            env=env,
            error_log=error_log,
            ratelimit_storage=storage,
            first_new_id=first_new_id,
            platforms=platforms,
            platform_ids=platform_ids,
            year=year,
            server=server,
        )
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)  # quick shutdown: the checks are done
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        _clear_redis(storage, prefix)
        if database == "postgresql":
            _drop_postgres_database(admin_url, database_url)
        if not os.environ.get("LOAD_KEEP_INSTANCE"):
            shutil.rmtree(instance, ignore_errors=True)


def _last_exception(lines: list[str], start: int) -> str:
    """The exception line that ends the (possibly chained) traceback beginning at ``start``."""
    ending = ""
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line or line[0].isspace() or line.startswith(("Traceback", "The above", "During handling")):
            continue
        ending = line
        following = lines[number + 2] if number + 2 < len(lines) else ""
        if not following.startswith(("The above", "During handling")):
            break
    return ending


def server_errors(log: Path) -> list[str]:
    """Tracebacks and unhandled-error lines in gunicorn's log (the app logs path and exception only)."""
    if not log.exists():
        return []
    lines = log.read_text().splitlines()
    found = []
    for number, line in enumerate(lines):
        if "unhandled error" in line:
            found.append(line)
        elif line.startswith("Traceback") and number > 0 and lines[number - 1].strip():
            # One per logged exception (a chained one's later tracebacks follow a blank line): the
            # message logged with it and the exception it ended with, so a report says what broke.
            found.append(f"{lines[number - 1]} -> {_last_exception(lines, number)}")
    return found


def database_check(deployment: Deployment, receipts: list[tuple[str, str]]) -> dict[str, Any]:
    """Complaints the run created, against the receipts handed out: none lost, none extra, none half-made."""
    engine = create_engine(deployment.database_url)
    first = deployment.first_new_id
    with engine.connect() as connection:
        references = set(
            connection.scalars(text("SELECT reference FROM complaints WHERE id >= :first"), {"first": first})
        )
        without_evidence = connection.scalar(
            text(
                "SELECT COUNT(*) FROM complaints c WHERE c.id >= :first AND NOT EXISTS "
                "(SELECT 1 FROM evidence e WHERE e.complaint_id = c.id)"
            ),
            {"first": first},
        )
        evidence_rows = connection.scalar(
            text("SELECT COUNT(*) FROM evidence WHERE complaint_id >= :first"), {"first": first}
        )
    engine.dispose()
    receipt_refs = {reference for reference, _code in receipts}
    evidence_dir = deployment.instance / "evidence"
    files = sum(1 for p in evidence_dir.rglob("*") if p.is_file()) if evidence_dir.exists() else 0
    return {
        "complaints_in_database": len(references),
        "receipts": len(receipts),
        "distinct_receipt_references": len(receipt_refs),
        "complaints_without_receipt": len(references - receipt_refs),
        "receipts_without_complaint": len(receipt_refs - references),
        "complaints_without_evidence": int(without_evidence or 0),
        "evidence_rows": int(evidence_rows or 0),
        "evidence_files_on_disk": files,
    }
