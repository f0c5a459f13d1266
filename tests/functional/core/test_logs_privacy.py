"""The whole life of a complaint, served over HTTP with every logger at DEBUG: no log line holds a secret.

Secrets: the consumer's contact details, narrative and added text, loan reference, evidence file
name, access code; officers' passwords, TOTP codes and enrolment token; session cookies and CSRF
tokens. A record counts with its formatted message, its arguments and its exception text. The
served app writes werkzeug's access log too; gunicorn's access log is checked separately, with a
format that asks for every atom that could carry a secret.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
import requests
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from complaints.extensions import db, limiter
from complaints.models import Complaint, Officer
from tests import media
from tests.conftest import make_test_app
from tests.factories_officer import PASSWORD, csrf_token_from, make_admin
from tests.functional.helpers import valid_form

CONTACT_NAME = "蔺晓筠"
CONTACT_PHONE = "13912345678"
CONTACT_EMAIL = "lin.xiaojun.logcheck@example.org"
NARRATIVE = "紫藤巷的催收员凌晨三点打来电话，说要去我单位闹事 violet-alley-collector"
NARRATIVE_FRAGMENTS = ["紫藤巷的催收员", "violet-alley-collector"]
MORE_TEXT = "补充：他们又用尾号八八的号码打给我母亲 plum-lane-addendum"
LOAN_REFERENCE = "LOAN-ZX-88317462"
EVIDENCE_NAME = "lin-xiaojun-call-log.png"
NEW_OFFICER = "river.officer@example.test"
NEW_PASSWORD = "plum blossom river lantern 4417"
WRONG_PASSWORD = "not the password at all 99"


class Collect(logging.Handler):
    """Keeps every record it sees."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _texts(record: logging.LogRecord) -> list[str]:
    """What a log line could show: the message as formatted, the raw template and arguments, the exception."""
    texts = [str(record.msg), repr(record.args)]
    with contextlib.suppress(Exception):  # a record whose arguments do not fit its template shows them raw (above)
        texts.append(record.getMessage())
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    texts += [record.exc_text or "", record.stack_info or ""]
    return texts


@pytest.fixture
def every_logger_at_debug() -> Iterator[Collect]:
    """A handler on the root logger, and every logger (the app's, werkzeug, SQLAlchemy …) at DEBUG."""
    collect = Collect()
    root = logging.getLogger()
    saved = {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    saved_root = root.level
    for name in [*saved, "werkzeug", "sqlalchemy.engine", "sqlalchemy.pool", "complaints"]:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.setLevel(logging.DEBUG)
    root.addHandler(collect)
    yield collect
    root.removeHandler(collect)
    root.setLevel(saved_root)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, with CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    limiter.enabled = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.config["WTF_CSRF_ENABLED"] = False
    limiter.enabled = True


class Browser:
    """A requests session that remembers every cookie and CSRF token it was ever given."""

    def __init__(self, base: str, secrets: list[str]) -> None:
        self.base, self.http, self.secrets = base, requests.Session(), secrets

    def _seen(self, response: requests.Response) -> requests.Response:
        for history in [*response.history, response]:
            self.secrets += [c.value for c in history.cookies if c.value and len(c.value) > 8]
        self.secrets += [c.value for c in self.http.cookies if c.value and len(c.value) > 8]
        self.secrets += re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text)
        return response

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self._seen(self.http.get(self.base + path, **kwargs))  # type: ignore[arg-type]

    def post(self, path: str, data: dict[str, object], page: str | None = None, **kwargs: object) -> requests.Response:
        """Post a form with the CSRF token of the page it is on (page defaults to the form's address)."""
        token = csrf_token_from(self.get(page or path).text)
        response = self.http.post(self.base + path, data={**data, "csrf_token": token}, **kwargs)  # type: ignore[arg-type]
        return self._seen(response)


def _landed(response: requests.Response, path: str) -> bool:
    """The redirect after a successful form ended on this page."""
    return urlsplit(response.url).path == path and response.status_code == 200


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def test_no_log_line_of_a_complaints_life_holds_a_secret(served: str, every_logger_at_debug: Collect) -> None:
    assert db.engine.hide_parameters, "statement parameters (contact details!) would reach logs and errors"
    secrets: list[str] = [
        CONTACT_NAME,
        CONTACT_PHONE,
        CONTACT_EMAIL,
        *NARRATIVE_FRAGMENTS,
        "plum-lane-addendum",
        LOAN_REFERENCE,
        EVIDENCE_NAME,
        PASSWORD,
        NEW_PASSWORD,
        WRONG_PASSWORD,
    ]

    # The consumer files, with contact details, a loan reference and evidence, and reads the receipt.
    consumer = Browser(served, secrets)
    form = valid_form(
        narrative=NARRATIVE,
        loan_reference=LOAN_REFERENCE,
        contact_name=CONTACT_NAME,
        contact_phone=CONTACT_PHONE,
        contact_email=CONTACT_EMAIL,
        consent_contact="y",
        consent_publish="y",
        consent_share_identity="y",
    )
    filed = consumer.post("/complaints/new", form, files=[("evidence", (EVIDENCE_NAME, media.png("red"), "image/png"))])
    assert _landed(filed, "/complaints/receipt"), filed.status_code
    reference = re.search(r'id="receipt-reference">([^<]+)<', filed.text)
    code = re.search(r'id="receipt-code">([^<]+)<', filed.text)
    assert reference and code
    secrets.append(code.group(1))

    # A stranger guesses wrong; the consumer looks the complaint up and adds information.
    stranger = Browser(served, secrets)
    wrong = stranger.post("/status", {"reference": reference.group(1), "access_code": "WRONG-CODE-1234"})
    assert wrong.status_code == 422
    opened = consumer.post("/status", {"reference": reference.group(1), "access_code": code.group(1)})
    assert opened.url.endswith("/status/complaint")
    added = consumer.post("/status/complaint/information", {"text": MORE_TEXT}, page="/status/complaint")
    assert added.url.endswith("/status/complaint"), added.status_code

    # A supervisor fails once with a wrong password, signs in, and creates an officer's account.
    admin_account = make_admin()
    admin = Browser(served, secrets)
    failed = admin.post(
        "/officer/sign-in",
        {"email": admin_account.email, "password": WRONG_PASSWORD, "code": _code(admin_account.totp_secret)},
    )
    assert failed.status_code == 422
    admin_code = _code(admin_account.totp_secret)
    secrets.append(admin_code)
    signed = admin.post("/officer/sign-in", {"email": admin_account.email, "password": PASSWORD, "code": admin_code})
    assert "/officer/" in signed.url and signed.status_code == 200
    created = admin.post("/officer/accounts", {"email": NEW_OFFICER, "role": "officer"})
    token = re.search(r"/officer/enrol/([A-Za-z0-9_-]+)", created.text)
    assert token, created.text[:300]
    secrets.append(token.group(1))

    # The officer enrols (password and the first code), signs out, and signs in with the next code.
    officer = Browser(served, secrets)
    assert officer.get(f"/officer/enrol/{token.group(1)}").status_code == 200
    db.session.expire_all()
    totp_secret = db.session.scalars(select(Officer).where(Officer.email == NEW_OFFICER)).one().totp_secret
    first, second = _code(totp_secret, -1), _code(totp_secret)
    secrets += [totp_secret, first, second]
    enrolled = officer.post(
        f"/officer/enrol/{token.group(1)}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "code": first}
    )
    assert enrolled.url.endswith("/officer/"), (enrolled.status_code, enrolled.text[:300])
    officer.post("/officer/sign-out", {}, page="/officer/")
    signed = officer.post("/officer/sign-in", {"email": NEW_OFFICER, "password": NEW_PASSWORD, "code": second})
    assert signed.url.endswith("/officer/"), signed.status_code

    # Triage, a message, the consumer withdraws publication consent, referral, closure.
    complaint = db.session.scalars(select(Complaint)).one()
    case = f"/officer/complaints/{complaint.id}"
    assert officer.get(f"/officer/?q={CONTACT_PHONE}").status_code == 200  # a search carries a phone number
    accept = {
        "new_platform_name": "虚构速贷",  # the consumer's typed platform is not in the directory yet
        "codes": ["THR-01", "TP-01"],
        "primary_code": "THR-01",
        "severity": "high",
        "new_platform_kind": "other",
        "new_collector_kind": "agency",
    }
    assert _landed(officer.post(f"{case}/accept", accept, page=case), case)
    db.session.expire_all()
    assert _landed(officer.post(f"{case}/message", {"message-text": "我们已收到您的投诉"}, page=case), case)
    status = "/status/complaint"
    assert _landed(consumer.post(f"{status}/publication-consent", {"confirm_consent": "y"}, page=status), status)
    referral = {"regulator": "SAMR", "channel": "hotline", "sent_on": "2026-11-02", "regulator_reference": "SAMR-77"}
    assert _landed(officer.post(f"{case}/refer", referral, page=case), case)
    assert _landed(officer.post(f"{case}/close", {"close-resolution": "resolved"}, page=case), case)
    evidence = re.search(rf"{case}/evidence/\d+", officer.get(case).text)
    assert evidence and officer.get(evidence.group(0)).status_code == 200

    # Researchers download CSV and JSON.
    for path in (
        "/statistics/platforms.csv",
        "/statistics/data/complaints.csv",
        "/statistics/data/counts-platform.csv",
        "/api/v1/platforms",
        f"/api/v1/platforms/{complaint.platform_id}",
        "/statistics/",
    ):
        assert Browser(served, secrets).get(path).status_code == 200, path

    # urllib3 is this test's own HTTP client, not the app.
    records = [r for r in every_logger_at_debug.records if not r.name.startswith("urllib3")]
    names = {r.name for r in records}
    assert "werkzeug" in names and any(n.startswith("sqlalchemy.engine") for n in names), names
    secrets = sorted({s for s in secrets if s}, key=len)
    leaks = [
        (record.name, secret, text[:200])
        for record in records
        for text in _texts(record)
        for secret in secrets
        if (re.search(rf"(?<!\d){re.escape(secret)}(?!\d)", text) if secret.isdigit() else secret in text)
    ]
    assert not leaks, leaks[:5]
    assert any("/officer/enrol/[redacted]" in r.getMessage() for r in records if r.name == "werkzeug")


def _no_control_socket() -> list[str]:
    """gunicorn 24+ opens a control socket at one fixed path per user; parallel test runs must not share it."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any("--no-control-socket" in s.cli for s in KNOWN_SETTINGS if s.cli) else []


def test_gunicorns_access_log_keeps_no_token_cookie_or_private_query(tmp_path: Path) -> None:
    """A real gunicorn with an access log format that asks for the request line, query, referrer and cookies."""
    database = f"sqlite:///{tmp_path / 'gunicorn.db'}"
    make_test_app(tmp_path, database).extensions["sqlalchemy"].engines[None].dispose()  # tables and reference data
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": database,
        "COLLECTWATCH_ENV": "development",
        "RATELIMIT_ENABLED": "0",
    }
    log_format = '%(h)s "%(r)s" %(s)s %(U)s q=%(q)s ref="%(f)s" cookie="%({cookie}i)s" raw=%({raw_uri}e)s'
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--access-logfile",
            "-",
            "--access-logformat",
            log_format,
            "--error-logfile",
            "-",
            *_no_control_socket(),
            "wsgi:app",
        ],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        assert port, "gunicorn did not start"
        base = f"http://127.0.0.1:{port}"
        headers = {"Cookie": "session=SESSION-COOKIE-VALUE-0451", "Referer": f"{base}/officer/enrol/REFERRER-TOKEN-77"}
        requests.get(f"{base}/officer/enrol/ENROL-TOKEN-SECRET-31", headers=headers, timeout=10)
        requests.get(f"{base}/officer/?q={CONTACT_PHONE}", headers=headers, timeout=10, allow_redirects=False)
        requests.get(f"{base}/statistics/?period=all", timeout=10)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    access = [line for line in output.splitlines() if line.startswith('127.0.0.1 "GET ')]
    assert len(access) == 3, output[-2000:]
    for secret in ("ENROL-TOKEN-SECRET-31", "REFERRER-TOKEN-77", "SESSION-COOKIE-VALUE-0451", CONTACT_PHONE):
        assert secret not in output, (secret, access)
    assert "/officer/enrol/[redacted]" in access[0] and "q=[redacted]" in access[1]
    assert "/statistics/?period=all" in access[2]  # public pages keep their (public) query strings
