"""Every kind of response carries the security headers, set in one place; personal pages are never stored;
in production every cookie is Secure, HttpOnly, SameSite=Lax and __Host- prefixed."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from complaints import create_app
from complaints.config import Config
from complaints.core.crypto import current_keyring, keyring_to_json
from complaints.extensions import db
from complaints.models import Complaint, Evidence
from tests import media
from tests.factories_officer import PASSWORD, csrf_token_from, make_officer, sign_in
from tests.functional.helpers import post_complaint, valid_form, with_files

CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "X-Frame-Options": "DENY",
}


#: An evidence file opened by an officer keeps its own, stricter policy: no script, no plugin, no anything.
EVIDENCE_CSP = "sandbox; default-src 'none'"


def assert_security_headers(what: str, response: TestResponse, *, private: bool) -> None:
    """The headers every response must carry, whatever produced it."""
    headers = response.headers
    for name, value in EVERY_RESPONSE.items():
        assert headers.get(name) == value, f"{what}: {name} is {headers.get(name)!r}"
    csp = headers.get("Content-Security-Policy", "")
    if csp != EVIDENCE_CSP:
        directives = {part.strip() for part in csp.split(";")}
        assert directives >= CSP_DIRECTIVES, f"{what}: CSP lacks {CSP_DIRECTIVES - directives}"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, f"{what}: {csp}"
    permissions = headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, f"{what}: Permissions-Policy {permissions!r}"
    open_data = headers.get("Access-Control-Allow-Origin") == "*"
    assert headers.get("Cross-Origin-Resource-Policy") == ("cross-origin" if open_data else "same-origin"), what
    assert "Strict-Transport-Security" not in headers, f"{what}: HSTS outside production"
    if private:
        cache = headers.get("Cache-Control")
        assert cache == "private, no-store", f"{what}: Cache-Control {cache!r}"


@pytest.fixture
def filed(client: FlaskClient) -> Complaint:
    """A complaint filed through the form with a screenshot; the client has its receipt waiting."""
    response = post_complaint(client, with_files(valid_form(), [(media.png(), "sms.png")]))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    complaint = db.session.scalars(db.select(Complaint)).one()
    return complaint


def test_every_kind_of_response_carries_the_security_headers(
    app: Flask, client: FlaskClient, filed: Complaint, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, TestResponse, bool]] = []

    def check(what: str, response: TestResponse, status: int, *, private: bool = False) -> TestResponse:
        assert response.status_code == status, f"{what}: {response.status_code}"
        seen.append((what, response, private))
        return response

    check("home", client.get("/"), 200)
    check("complaint form", client.get("/complaints/new"), 200, private=True)
    receipt = check("receipt", client.get("/complaints/receipt"), 200, private=True)
    assert b"receipt-code" in receipt.data
    check("status page", client.get("/status/complaint"), 200, private=True)
    check("status look-up", client.get("/status"), 200, private=True)
    check("rights", client.get("/rights"), 200)
    check("static file", client.get("/static/css/app.css"), 200)
    check("not found", client.get("/no-such-page"), 404)
    check("method not allowed", client.post("/rights"), 405)
    check("statistics CSV", client.get("/statistics/platforms.csv"), 200)
    check("JSON API", client.get("/api/v1/periods"), 200)
    check("OpenAPI document", client.get("/api/v1/openapi.json"), 200)
    check("suggestions JSON", client.get("/platforms/suggest?q=a"), 200)

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    check("too large", client.post("/complaints/new", data={"narrative": "x" * 4096}), 413, private=True)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100 * 2**20)

    lookup = {"reference": "CW-0000-0000", "access_code": ""}  # refused before any slow hash check
    answers = [client.post("/status", data=lookup).status_code for _ in range(11)]
    assert answers[-1] == 429, answers
    check("too many requests", client.post("/status", data=lookup), 429, private=True)

    def broken_view() -> str:
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.view_functions, "public.rights", broken_view)
    check("server error", client.get("/rights"), 500)
    monkeypatch.undo()

    officer_client = app.test_client()
    check("officer sign-in", officer_client.get("/officer/sign-in"), 200, private=True)
    sign_in(officer_client, make_officer())
    check("officer queue", officer_client.get("/officer/"), 200, private=True)
    check("case page", officer_client.get(f"/officer/complaints/{filed.id}"), 200, private=True)
    evidence = db.session.scalars(db.select(Evidence)).one()
    evidence_url = f"/officer/complaints/{filed.id}/evidence/{evidence.id}"
    image = check("evidence image", officer_client.get(evidence_url), 200, private=True)
    assert image.headers["Content-Security-Policy"] == EVIDENCE_CSP

    for what, response, private in seen:
        assert_security_headers(what, response, private=private)


def test_open_data_may_be_read_by_other_sites_but_pages_may_not(client: FlaskClient) -> None:
    assert client.get("/api/v1/periods").headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert client.get("/statistics/").headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.fixture
def production_app(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> Iterator[Flask]:
    """The app as `COLLECTWATCH_ENV=production` builds it, on the test database, without REDIS_URL.

    It shares the test app's key ring (production refuses to start without one), so the rows it
    writes are readable by the rest of the suite.
    """
    with app.app_context():
        monkeypatch.setenv("DATA_KEYS", keyring_to_json(current_keyring()))
    monkeypatch.setenv("COLLECTWATCH_ENV", "production")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://collectwatch.example.test")
    monkeypatch.setenv("SECRET_KEY", "production-test-secret-0123456789abcdef")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with caplog.at_level(logging.WARNING, logger="complaints.core.security"):
        application = create_app(Config())
    yield application
    with application.app_context():
        db.engine.dispose()


def test_production_adds_hsts_and_warns_when_rate_limits_are_per_worker(
    production_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = production_app.test_client()
    for path in ("/", "/static/css/app.css", "/no-such-page"):
        response = client.get(path, base_url="https://collectwatch.example.test")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000"), path
        assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp", path
    warnings = [r.getMessage() for r in caplog.get_records("setup") if r.levelno == logging.WARNING]
    assert any("REDIS_URL is not set" in message and "per worker" in message for message in warnings), warnings


def test_a_file_upload_request_of_413_still_gets_headers_and_nothing_is_saved(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    data = with_files(valid_form(), [(io.BytesIO(bytes(8192)).getvalue(), "big.png")])
    response = post_complaint(client, data)
    assert response.status_code == 413
    assert_security_headers("413 upload", response, private=True)
    assert db.session.scalars(db.select(Complaint)).first() is None


HTTPS = "https://collectwatch.example.test"


def cookie_problems(set_cookie: str) -> list[str]:
    """What a production Set-Cookie header lacks: the __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/."""
    name = set_cookie.split("=", 1)[0]
    attributes = {part.strip().split("=", 1)[0].lower(): part.strip() for part in set_cookie.split(";")[1:]}
    problems = []
    if not name.startswith("__Host-"):
        problems.append("no __Host- prefix")
    for flag in ("secure", "httponly"):
        if flag not in attributes:
            problems.append(f"not {flag}")
    if attributes.get("samesite", "").lower() != "samesite=lax":
        problems.append(f"SameSite is {attributes.get('samesite')!r}")
    if attributes.get("path") != "Path=/":
        problems.append(f"Path is {attributes.get('path')!r}")
    if "domain" in attributes:
        problems.append("has a Domain")
    return problems


def test_in_production_every_cookie_is_secure_httponly_lax_and_host_prefixed(production_app: Flask) -> None:
    client = production_app.test_client()
    responses: list[tuple[str, TestResponse]] = []

    def visit(what: str, response: TestResponse) -> str:
        assert response.status_code < 400, f"{what}: {response.status_code}"
        responses.append((what, response))
        return response.get_data(as_text=True)

    visit("home", client.get("/", base_url=HTTPS))
    visit("language", client.get("/language/en?next=/", base_url=HTTPS))
    assert 'lang="en"' in visit("home in English", client.get("/", base_url=HTTPS)), "the __Host-lang cookie is read"
    form = visit("form", client.get("/complaints/new", base_url=HTTPS))
    visit(
        "filing",
        client.post(
            "/complaints/new",
            data=valid_form(csrf_token=csrf_token_from(form)),
            content_type="multipart/form-data",
            base_url=HTTPS,
            headers={"Referer": f"{HTTPS}/complaints/new"},
        ),
    )
    visit("receipt", client.get("/complaints/receipt", base_url=HTTPS))

    with production_app.app_context():
        officer = make_officer("cookie-officer@example.test")
        email, secret = officer.email, officer.totp_secret
    officer_client = production_app.test_client()
    sign_in_page = visit("sign-in page", officer_client.get("/officer/sign-in", base_url=HTTPS))
    signed_in = officer_client.post(
        "/officer/sign-in",
        data={
            "csrf_token": csrf_token_from(sign_in_page),
            "email": email,
            "password": PASSWORD,
            "code": pyotp.TOTP(secret).now(),
        },
        base_url=HTTPS,
        headers={"Referer": f"{HTTPS}/officer/sign-in"},
    )
    assert signed_in.status_code == 303, signed_in.get_data(as_text=True)[:300]
    responses.append(("sign-in", signed_in))
    queue = visit("queue", officer_client.get("/officer/", base_url=HTTPS))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', queue) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', queue
    )
    assert token, queue[:300]
    visit(
        "sign-out",
        officer_client.post(
            "/officer/sign-out",
            data={"csrf_token": token.group(1)},
            base_url=HTTPS,
            headers={"Referer": f"{HTTPS}/officer/"},
        ),
    )

    cookies = [(what, header) for what, r in responses for header in r.headers.getlist("Set-Cookie")]
    names = {header.split("=", 1)[0] for _what, header in cookies}
    assert {"__Host-session", "__Host-lang"} <= names, names
    bad = {f"{what}: {header}": cookie_problems(header) for what, header in cookies if cookie_problems(header)}
    assert not bad, "\n".join(f"{k} {v}" for k, v in bad.items())


def test_outside_production_the_cookies_keep_their_plain_names(client: FlaskClient) -> None:
    response = client.get("/language/en?next=/")
    (header,) = response.headers.getlist("Set-Cookie")
    assert header.startswith("lang=en;") and "HttpOnly" in header and "SameSite=Lax" in header
    assert cookie_problems(header) == ["no __Host- prefix", "not secure"]


def test_in_production_a_form_posted_without_a_referer_is_refused_so_ours_send_one(production_app: Flask) -> None:
    """Over HTTPS Flask-WTF requires a same-origin Referer: the Referrer-Policy must let our forms send it."""
    client = production_app.test_client()
    page = client.get("/status", base_url=HTTPS)
    assert page.headers["Referrer-Policy"] == "same-origin"
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "reference": "CW-1", "access_code": "X"}
    assert client.post("/status", data=data, base_url=HTTPS).status_code == 400
    with_referer = client.post("/status", data=data, base_url=HTTPS, headers={"Referer": f"{HTTPS}/status"})
    assert with_referer.status_code == 422


@pytest.mark.parametrize("path", ["/", "/complaints/new", "/status", "/statistics/", "/officer/sign-in"])
def test_no_page_overrides_the_referrer_policy_header(client: FlaskClient, path: str) -> None:
    """A `<meta name="referrer">` wins over the header in browsers; `no-referrer` there broke every HTTPS POST."""
    answer = client.get(path)
    assert answer.headers["Referrer-Policy"] == "same-origin"
    metas = re.findall(r"<meta[^>]+name=[\"']?referrer[^>]*>", answer.get_data(as_text=True), re.IGNORECASE)
    assert all("same-origin" in meta for meta in metas), metas
