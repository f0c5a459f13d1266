"""The deployment stage: the production configuration started as README.md deploys it, driven by Chromium.

gunicorn with several workers on a fresh PostgreSQL database and a Redis database of its own, behind
Debian's nginx terminating TLS on 127.0.0.1 with a self-signed certificate; nginx's `location` block
is read from README.md itself, so the stage tests what the operator is told to configure.

Skipped, saying why, unless nginx, openssl, TEST_DATABASE_URL's PostgreSQL server, Redis
(REDIS_TEST_URL's server, else 127.0.0.1:6379) and Chromium are all there (`make stage`; `.ci/run` runs it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.visit import AXE_FILE, VIEWPORTS, Visit
from tests.databases import own_database

ROOT = Path(__file__).resolve().parents[2]
STAGE_DIR = Path(__file__).resolve().parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")
#: A Redis database of the stage's own (flushed before and after), so no other run's counters meet ours.
STAGE_REDIS_DB = 5
WORKERS = 3
START_TIMEOUT_S = 30
GUNICORN = [sys.executable, "-m", "gunicorn"]
SELF_SIGNED = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
SELF_SIGNED += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]


def _redis_server_url() -> str:
    """The Redis server the stage uses: REDIS_TEST_URL's, else the local default."""
    return os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(_redis_server_url(), socket_connect_timeout=1)
        return bool(client.ping())
    except Exception:  # any failure means "not available": the stage skips, saying so
        return False


def _postgres_answers() -> bool:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgres", "postgresql")):
        return False
    try:
        from sqlalchemy import create_engine, text

        from complaints.config import normalise_database_url

        engine = create_engine(normalise_database_url(url), connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # as above
        return False


def missing_for_stage() -> str:
    """Why the stage cannot run here, or "" when everything it needs answers."""
    if NGINX is None:
        return "the deployment stage needs nginx (apt-get install nginx)"
    if OPENSSL is None:
        return "the deployment stage needs openssl (apt-get install openssl)"
    if not CHROMIUM.exists() or not AXE_FILE.exists():
        return f"the deployment stage needs Debian's Chromium at {CHROMIUM} and axe-core (npm ci)"
    if not _postgres_answers():
        return "the deployment stage needs PostgreSQL: set TEST_DATABASE_URL to a server that answers"
    if not _redis_answers():
        return f"the deployment stage needs Redis at {_redis_server_url()} (or set REDIS_TEST_URL)"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder, saying why, when nginx, PostgreSQL, Redis or Chromium is not there."""
    ours = [item for item in items if STAGE_DIR in Path(str(item.path)).parents]
    if not ours:
        return
    reason = missing_for_stage()
    if reason:
        for item in ours:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Launch Debian's Chromium, as the browser tests do."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def readme_nginx_location(upstream_port: int) -> str:
    """The nginx `location` block README.md tells operators to use, pointed at our gunicorn port."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying on PostgreSQL and gunicorn", 1)[1]
    found = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert found, "README.md's deployment section has no ```nginx block any more"
    block = found.group(1)
    assert "proxy_pass http://127.0.0.1:8000;" in block, "README's nginx block no longer proxies to 127.0.0.1:8000"
    return block.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream_port}")


def nginx_conf(folder: Path, port: int, upstream_port: int) -> str:
    """A whole nginx configuration around README's block: TLS on 127.0.0.1, every path in ``folder``."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp folder (mode 0700)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 128; }}
http {{
    access_log {folder / "access.log"};
{temp_paths}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name 127.0.0.1;
        ssl_certificate {folder / "cert.pem"};
        ssl_certificate_key {folder / "key.pem"};
{readme_nginx_location(upstream_port)}
    }}
}}
"""


def wait_for(url: str, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    """Poll ``url`` until it answers at all (any status); fail with the log if the process dies or time runs out."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2, context=context)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not answer {url} within {START_TIMEOUT_S}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a process we started, by its id; kill it if it does not stop."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class Deployment:
    """The running stage: the address people open, and how to run `flask` against it as an operator does."""

    base_url: str
    env: dict[str, str]
    folder: Path
    logs: list[Path] = field(default_factory=list)

    def flask(self, *args: str) -> str:
        """Run `flask --app wsgi ...` with the production environment; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Start PostgreSQL database, gunicorn and nginx as README.md deploys them; stop them afterwards."""
    import redis

    folder = tmp_path_factory.mktemp("stage")
    nginx_port, gunicorn_port = free_port(), free_port()
    base_url = f"https://127.0.0.1:{nginx_port}"
    redis_url = re.sub(r"/\d+$", "", _redis_server_url().rstrip("/")) + f"/{STAGE_REDIS_DB}"
    stage_redis = redis.Redis.from_url(redis_url)
    stage_redis.flushdb()
    keys = subprocess.run(
        [sys.executable, "-m", "complaints.core.crypto"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    processes: list[subprocess.Popen[bytes]] = []
    with own_database(folder / "unused.db", prefix="cw_stage") as database_url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("FLASK_", "COLLECTWATCH_", "TEST_DATABASE", "REDIS_TEST"))
        }
        env.update(
            COLLECTWATCH_ENV="production",
            SECRET_KEY=os.urandom(32).hex(),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            DATA_KEYS=keys,
            PUBLIC_BASE_URL=base_url,
            EVIDENCE_DIR=str(folder / "evidence"),
            INSTANCE_PATH=str(folder / "instance"),
            PROXY_FIX_HOPS="1",
        )
        stage = Deployment(base_url, env, folder)
        try:
            stage.flask("db", "upgrade")
            stage.flask("seed-reference")

            gunicorn_log = folder / "gunicorn.log"
            stage.logs.append(gunicorn_log)
            with gunicorn_log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [*GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{gunicorn_port}", "wsgi:app"],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_for(f"http://127.0.0.1:{gunicorn_port}/", processes[-1], "gunicorn", gunicorn_log)

            key = folder / "key.pem"
            subprocess.run(
                [OPENSSL or "openssl", *SELF_SIGNED, "-keyout", str(key), "-out", str(folder / "cert.pem")],
                check=True,
                capture_output=True,
            )
            conf = folder / "nginx.conf"
            conf.write_text(nginx_conf(folder, nginx_port, gunicorn_port))
            nginx_log = folder / "nginx.out"
            stage.logs += [nginx_log, folder / "error.log"]
            with nginx_log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [NGINX or "nginx", "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_for(base_url + "/", processes[-1], "nginx", nginx_log)
            yield stage
        finally:
            for process in reversed(processes):
                stop(process)
            stage_redis.flushdb()
            stage_redis.close()


def watch_responses(visitor: Visit) -> list[Response]:
    """Every response the visitor's pages receive, in order."""
    seen: list[Response] = []
    visitor.page.on("response", lambda response: seen.append(response))
    return seen


@pytest.fixture
def stage_visit(browser: Browser, deployment: Deployment) -> Iterator[Callable[..., tuple[Visit, list[Response]]]]:
    """A fresh browser context on the deployment (self-signed certificate accepted) and its responses.

    At the end: no request to another host, console error, script error or CSP violation, no POST
    answered 400, and every page of ours came over https with HSTS.
    """
    opened: list[tuple[Visit, list[Response]]] = []

    def open_visit(viewport: str = "phone", browser_language: str = "zh-CN") -> tuple[Visit, list[Response]]:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            locale=browser_language,
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            ignore_https_errors=True,
        )
        visitor = Visit(context, deployment.base_url)
        opened.append((visitor, watch_responses(visitor)))
        return opened[-1]

    yield open_visit
    problems = [problem for visitor, _ in opened for problem in visitor.problems]
    responses = [response for _, seen in opened for response in seen]
    for visitor, _ in opened:
        visitor.context.close()
    problems += refused_posts(responses) + unsafe_pages(responses)
    assert not problems, "the deployment did something it must not:\n" + "\n".join(problems)


def refused_posts(responses: list[Response]) -> list[str]:
    """The POSTs answered 400 (Flask-WTF's refusal, e.g. of a POST without a Referer over HTTPS)."""
    return [
        f"POST {response.url} answered 400 (Referer sent: {response.request.headers.get('referer')!r})"
        for response in responses
        if response.request.method == "POST" and response.status == 400
    ]


def unsafe_pages(responses: list[Response]) -> list[str]:
    """The pages (documents) not served over https with a Strict-Transport-Security header."""
    problems = []
    for response in responses:
        if response.request.resource_type != "document":
            continue
        if not response.url.startswith("https://"):
            problems.append(f"page not served over https: {response.url}")
        elif "max-age=" not in response.headers.get("strict-transport-security", ""):
            problems.append(f"page served without HSTS: {response.url}")
    return problems
