"""Settings read from the environment, with safe defaults only for development and tests."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import limits

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a typo in the deployment must stop the start, loudly
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_limit(name: str, default: str) -> str:
    """A rate limit such as ``"10 per hour"``; a typo stops the start rather than the first filing."""
    raw = os.environ.get(name, "").strip() or default
    try:
        limits.parse(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a rate limit such as '10 per hour', got {raw!r}") from exc
    return raw


def local_base_url(port: str) -> str:
    """``http://127.0.0.1:PORT`` for a PORT of one to five ASCII digits, else the development default 5000."""
    port = port.strip()
    return f"http://127.0.0.1:{port if re.fullmatch(r'[0-9]{1,5}', port, re.ASCII) else '5000'}"


def public_base_url(raw: str, *, required: bool) -> str:
    """PUBLIC_BASE_URL as checked: ``https://host[:port][/path]`` with no trailing slash, or "" when unset.

    Every absolute link the app builds (an officer's enrolment link) starts with it, never with the
    Host or X-Forwarded-Host a client sent.
    """
    value = raw.strip().rstrip("/")
    if not value:
        if required:
            raise RuntimeError(
                "PUBLIC_BASE_URL must be set when COLLECTWATCH_ENV=production: the address people open, "
                "such as https://collectwatch.example.org (enrolment links are built from it)"
            )
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(
            f"PUBLIC_BASE_URL must be a web address such as https://collectwatch.example.org, got {raw!r}"
        )
    return value


def _dev_secret_key(instance: Path) -> str:
    """Read, or create on first run, a development secret key under instance/."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Configuration for a real run; every value can come from the environment."""

    ENV_NAME = "development"

    def __init__(self) -> None:
        env = os.environ
        self.ENV_NAME = env.get("COLLECTWATCH_ENV", self.ENV_NAME)
        self.INSTANCE_PATH = Path(env.get("INSTANCE_PATH", str(DEFAULT_INSTANCE)))
        production = self.ENV_NAME == "production"

        secret = env.get("SECRET_KEY")
        if not secret:
            if production:
                raise RuntimeError("SECRET_KEY must be set when COLLECTWATCH_ENV=production")
            secret = _dev_secret_key(self.INSTANCE_PATH)
        self.SECRET_KEY = secret

        default_db = f"sqlite:///{self.INSTANCE_PATH / 'collectwatch.db'}"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(env.get("DATABASE_URL", default_db))
        # hide_parameters keeps submitted values (contact details!) out of error messages and logs.
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
        # How long a SQLite write waits for another writer's lock before the visitor gets "busy, try again".
        self.SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
        self.EVIDENCE_DIR = Path(env.get("EVIDENCE_DIR", str(self.INSTANCE_PATH / "evidence")))
        # Encryption at rest: the key ring as JSON in DATA_KEYS, else this file (created in development only).
        self.DATA_KEYS = env.get("DATA_KEYS", "")
        self.DATA_KEYS_FILE = Path(env.get("DATA_KEYS_FILE", str(self.INSTANCE_PATH / "data_keys.json")))

        self.MAX_EVIDENCE_FILES = _env_int("MAX_EVIDENCE_FILES", 10)
        self.MAX_EVIDENCE_FILE_MB = _env_int("MAX_EVIDENCE_FILE_MB", 20)
        self.MAX_EVIDENCE_TOTAL_MB = _env_int("MAX_EVIDENCE_TOTAL_MB", 100)
        # The whole request may carry every file plus the form fields.
        self.MAX_CONTENT_LENGTH = (self.MAX_EVIDENCE_TOTAL_MB + 2) * 1024 * 1024
        self.MAX_FORM_MEMORY_SIZE = 1024 * 1024
        self.STATS_MIN_CELL = _env_int("STATS_MIN_CELL", 5)
        # Days after closure when `flask purge` removes a complaint's contact details and evidence.
        self.RETENTION_DAYS = _env_int("RETENTION_DAYS", 365)
        self.DEFAULT_LANGUAGE = env.get("DEFAULT_LANGUAGE", "zh_Hans")
        self.BABEL_DEFAULT_LOCALE = self.DEFAULT_LANGUAGE
        self.BABEL_DEFAULT_TIMEZONE = env.get("DISPLAY_TIMEZONE", "Asia/Shanghai")

        self.REDIS_URL = env.get("REDIS_URL", "")
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", self.REDIS_URL or "memory://")
        self.RATELIMIT_ENABLED = env.get("RATELIMIT_ENABLED", "1") != "0"
        self.RATELIMIT_HEADERS_ENABLED = True
        # Accepted complaints only (forms shown again with errors do not count): per browser, and per
        # address high enough that a mobile carrier's NAT, with many people behind one address, is not blocked.
        self.FILING_LIMIT_PER_BROWSER = _env_limit("FILING_LIMIT_PER_BROWSER", "10 per hour")
        self.FILING_LIMIT_PER_ADDRESS = _env_limit("FILING_LIMIT_PER_ADDRESS", "100 per hour")
        # Wrong access codes for one reference, from anywhere; a right code is never refused.
        self.LOOKUP_FAILURES_PER_REFERENCE = _env_limit("LOOKUP_FAILURES_PER_REFERENCE", "20 per hour")

        self.SESSION_COOKIE_HTTPONLY = True
        # The signed cookie is refused once older than the longest server session (an officer's 12
        # hours), not Flask's 31 days: the server row decides, and the cookie cannot outlive it.
        self.PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=12)
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = production
        if production:
            self.SESSION_COOKIE_NAME = "__Host-session"
        # Every cookie the app sets follows the session cookie's rules: HttpOnly, SameSite=Lax, and in
        # production Secure with the __Host- prefix (which the browser only accepts with Path=/ and no Domain).
        self.SESSION_COOKIE_PATH = "/"
        self.LANGUAGE_COOKIE_NAME = "__Host-lang" if production else "lang"
        self.REMEMBER_COOKIE_NAME = "__Host-remember_token" if production else "remember_token"
        self.REMEMBER_COOKIE_SECURE = production
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_PATH = "/"
        self.PREFERRED_URL_SCHEME = "https" if production else "http"
        # How many proxies in front set X-Forwarded-For and X-Forwarded-Proto (never X-Forwarded-Host: links
        # come from PUBLIC_BASE_URL).
        self.PROXY_FIX_HOPS = _env_int("PROXY_FIX_HOPS", 1 if production else 0)
        self.PUBLIC_BASE_URL = public_base_url(env.get("PUBLIC_BASE_URL", ""), required=production)
        # Where links point without PUBLIC_BASE_URL (development): the local server on PORT, else 5000.
        self.LOCAL_BASE_URL = local_base_url(env.get("PORT", ""))
        self.WTF_CSRF_TIME_LIMIT = 8 * 3600
        # Mail, sent from the outbox by `flask send-mail`: without SMTP_URL it waits there (supervisors read it).
        self.SMTP_URL = env.get("SMTP_URL", "").strip()
        self.MAIL_FROM = env.get("MAIL_FROM", "").strip() or "CollectWatch <no-reply@localhost>"
        self.SMTP_TIMEOUT_SECONDS = _env_int("SMTP_TIMEOUT_SECONDS", 10)
        # A failed message is tried again after this many seconds, doubling with each failure up to the cap.
        self.MAIL_RETRY_FIRST_SECONDS = _env_int("MAIL_RETRY_FIRST_SECONDS", 30)
        self.MAIL_RETRY_MAX_SECONDS = _env_int("MAIL_RETRY_MAX_SECONDS", 3600)
        self.TESTING = False

    def as_mapping(self) -> dict[str, Any]:
        """The settings as the plain mapping Flask's config accepts."""
        return {key: value for key, value in vars(self).items() if key.isupper()}


class TestConfig(Config):
    """Isolated settings for the test suite: a temporary instance folder, in-memory rate limits."""

    ENV_NAME = "testing"
    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, instance_path: Path, database_url: str | None = None) -> None:
        os.environ.setdefault("COLLECTWATCH_ENV", "testing")
        super().__init__()
        self.ENV_NAME = "testing"
        self.TESTING = True
        self.INSTANCE_PATH = instance_path
        self.SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  # the test suite's key  # nosec B105
        self.SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{instance_path / 'test.db'}"
        self.EVIDENCE_DIR = instance_path / "evidence"
        self.DATA_KEYS = ""
        self.DATA_KEYS_FILE = instance_path / "data_keys.json"
        self.WTF_CSRF_ENABLED = False
        # On, in memory; the suite resets the counters before each test.
        self.RATELIMIT_ENABLED = True
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SESSION_COOKIE_SECURE = False
        self.SESSION_COOKIE_NAME = "session"
        self.LANGUAGE_COOKIE_NAME = "lang"
        self.REMEMBER_COOKIE_NAME = "remember_token"
        self.REMEMBER_COOKIE_SECURE = False
        # Tests start their own SMTP server where they need one; none is inherited from the environment.
        self.SMTP_URL = ""
