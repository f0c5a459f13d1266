"""Rate limits hold across app instances (gunicorn workers) when they count in the same Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask.testing import FlaskClient

from complaints.config import Config

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
def redis_client() -> redis.Redis:
    """The machine's Redis, or a skip that says where it was looked for."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} (set REDIS_TEST_URL, or start redis-server): {error}")
    return client


@pytest.fixture
def key_prefix(redis_client: redis.Redis) -> Iterator[str]:
    """A key prefix of this run's own; its keys are deleted afterwards."""
    prefix = f"cw-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield prefix
    keys = list(redis_client.scan_iter(match=f"*{prefix}*"))
    if keys:
        redis_client.delete(*keys)


def start_instance(instance: Path, prefix: str) -> subprocess.Popen[str]:
    """One app in a process of its own, starting."""
    instance.mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "tests.functional.limits_server", str(instance), REDIS_URL, prefix],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLLECTWATCH_ENV": "testing"},
    )


def base_url(process: subprocess.Popen[str]) -> str:
    """The started app's address, from the port it prints."""
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    assert port.isdigit(), f"the app instance did not start (exit code {process.poll()})"
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def two_instances(tmp_path: Path, key_prefix: str) -> Iterator[tuple[str, str]]:
    """Two app instances, each with its own database, sharing only the Redis rate-limit storage."""
    started = [start_instance(tmp_path / name, key_prefix) for name in ("a", "b")]
    try:
        yield base_url(started[0]), base_url(started[1])
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)


def look_up_status(base_url: str) -> int:
    """A look-up without its access code (refused before any slow hash check); the HTTP status of the answer."""
    body = urllib.parse.urlencode({"reference": "CW-2026-000001", "access_code": ""}).encode()
    request = urllib.request.Request(base_url + "/status", data=body, method="POST")  # noqa: S310 (our own server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_status_look_up_limit_holds_across_two_app_instances(
    two_instances: tuple[str, str], redis_client: redis.Redis, key_prefix: str
) -> None:
    first, second = two_instances
    on_first = [look_up_status(first) for _ in range(6)]
    on_second = [look_up_status(second) for _ in range(5)]
    assert on_first == [422] * 6, "an incomplete look-up is refused, not yet limited"
    assert on_second == [422] * 4 + [429], "10 per minute in all: the 11th look-up is refused on the other instance"
    counted = [key.decode() for key in redis_client.scan_iter(match=f"*{key_prefix}*")]
    assert counted, "the counters live in Redis under this run's prefix"


def test_production_counts_in_redis_when_redis_url_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTWATCH_ENV", "production")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://collectwatch.example.test")
    monkeypatch.setenv("SECRET_KEY", "production-test-secret-0123456789abcdef")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert Config().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/3"
    monkeypatch.delenv("REDIS_URL")
    assert Config().RATELIMIT_STORAGE_URI == "memory://"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        # Filing is limited too, by the view, which counts accepted complaints only:
        # tests/functional/public/test_intake_numbers_and_limits.py shows it stop the one over the limit.
        ("POST", "/status"),
        ("POST", "/officer/sign-in"),
        ("GET", "/statistics/platforms.csv"),
        ("GET", "/statistics/data/complaints.csv"),
        ("GET", "/api/v1/periods"),
        ("GET", "/api/v1/platforms"),
        ("GET", "/platforms/suggest?q=a"),
    ],
)
def test_filing_look_up_sign_in_csv_and_api_are_rate_limited(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, data={})
    assert response.status_code < 500
    assert int(response.headers["X-RateLimit-Limit"]) > 0, f"{method} {path} has no rate limit"
