"""A gunicorn worker killed with SIGKILL during a filing leaves no half complaint, and no orphan
file that `flask check-integrity --repair` does not find and clean.

Two moments: while the worker is still reading the upload (half the body sent), and after the
evidence file was written but before the complaint was committed (a test-only hook in
tests/reliability/killable_app.py stalls there). Runs against a real gunicorn on a free port, on
SQLite, or on a database of its own on TEST_DATABASE_URL's PostgreSQL server.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import media
from tests.databases import own_database
from tests.functional.helpers import valid_form

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NARRATIVE = "催收员每天打几十个电话，还威胁要去我单位闹事。"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: object, timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Server:
    port: int
    master: subprocess.Popen[bytes]
    env: dict[str, str]
    marks: Path
    evidence_dir: Path
    database_url: str

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "--ppid", str(self.master.pid), "-o", "pid="], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def flask(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args], env=self.env, cwd=ROOT, capture_output=True, text=True
        )

    def count(self, table: str) -> int:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
        finally:
            engine.dispose()

    def files(self) -> list[Path]:
        return sorted(p for p in self.evidence_dir.rglob("*") if p.is_file()) if self.evidence_dir.exists() else []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with own_database(tmp_path / "cw.db", prefix="cw_kill") as database_url:
        yield from _serve(tmp_path, database_url)


def _serve(tmp_path: Path, database_url: str) -> Iterator[Server]:
    """Migrate and seed the database, then run gunicorn (one worker) on it until the test ends."""
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {
        **os.environ,
        "COLLECTWATCH_ENV": "development",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "reliability-test-secret",
        "RATELIMIT_ENABLED": "0",
        "CW_TEST_MARKS": str(marks),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("EVIDENCE_DIR", None)
    env.pop("TEST_DATABASE_URL", None)
    setup = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "from flask_migrate import upgrade\n"
            "from complaints import create_app\n"
            "from complaints.extensions import db\n"
            "from complaints.directory.reference_data import seed_reference_data\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    upgrade()\n"
            "    seed_reference_data()\n"
            "    db.session.commit()\n",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    port = free_port()
    master = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--preload",  # a replacement worker forks from the loaded app: seconds saved per kill
            "tests.reliability.killable_app:app",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    running = Server(port, master, env, marks, tmp_path / "instance" / "evidence", database_url)
    try:
        wait_for(running.answers, what="gunicorn to answer")
        yield running
    finally:
        master.send_signal(signal.SIGINT)  # quick shutdown: the workers have nothing left to finish
        try:
            master.wait(timeout=10)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


def form_and_cookie(server: Server) -> tuple[str, str]:
    """The CSRF token of a fresh complaint form and the session cookie that goes with it."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/complaints/new")
    response = connection.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    cookie = re.search(r"(session=[^;]+)", response.getheader("Set-Cookie") or "")
    assert token and cookie, "the form carries a CSRF token and sets a session"
    return token.group(1), cookie.group(1)


def multipart(token: str, evidence: bytes) -> tuple[str, bytes]:
    boundary = "----cw" + uuid.uuid4().hex
    fields = {**valid_form(narrative=NARRATIVE), "csrf_token": token}
    parts: list[bytes] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="call.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + evidence
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return boundary, b"".join(parts)


def start_filing(server: Server, fraction: float) -> socket.socket:
    """Open a raw connection and send the headers and `fraction` of a complaint with evidence."""
    token, cookie = form_and_cookie(server)
    small = media.pdf()
    evidence = small[:-6] + b"%" + b"0" * 400_000 + b"\n" + small[-6:]
    boundary, body = multipart(token, evidence)
    head = (
        "POST /complaints/new HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        f"Cookie: {cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(head + body[: int(len(body) * fraction)])
    return sock


def kill_the_worker(server: Server, mark: str) -> None:
    wait_for(lambda: (server.marks / mark).exists(), what=mark)
    (server.marks / mark).unlink()
    workers = server.workers()
    assert len(workers) == 1
    os.kill(workers[0], signal.SIGKILL)
    wait_for(lambda: server.workers() not in ([], workers), what="gunicorn to start a new worker")
    wait_for(server.answers, what="the new worker to answer")


def test_a_worker_killed_during_an_upload_leaves_nothing_behind(server: Server) -> None:
    # 1. Killed while still reading the body: nothing was written anywhere.
    sock = start_filing(server, fraction=0.5)
    kill_the_worker(server, "request-started")
    sock.close()
    assert (server.count("complaints"), server.count("evidence"), server.count("case_events")) == (0, 0, 0)
    assert server.files() == []

    # 2. Killed after the evidence file was stored, before the complaint was committed.
    sock = start_filing(server, fraction=1.0)
    kill_the_worker(server, "file-written")
    sock.close()
    assert (server.count("complaints"), server.count("evidence"), server.count("case_events")) == (0, 0, 0)
    orphans = server.files()
    assert len(orphans) == 1, "the one stored file is left without its complaint"

    found = server.flask("check-integrity")
    assert found.returncode == 0 and "within the grace period, left alone" in found.stdout, found.stdout + found.stderr
    assert server.files() == orphans, "a file younger than the grace period may be a filing in progress"
    repaired = server.flask("check-integrity", "--repair", "--grace-minutes", "0")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert repaired.stdout.splitlines() == [f"removed orphan file {orphans[0].name}", "integrity check passed"]
    assert server.files() == []
