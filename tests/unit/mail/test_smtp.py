"""SMTP_URL's three forms, the errors kept of a failure, and the e-mail composed from an outbox row."""

from __future__ import annotations

import datetime as dt
import smtplib
from pathlib import Path

import pytest

from complaints import create_app
from complaints.config import TestConfig
from complaints.mail import smtp
from complaints.models import OutboxMessage

FROM = "CollectWatch <no-reply@example.org>"


def parse(url: str) -> smtp.SmtpSettings | None:
    return smtp.parse_smtp_url(url, mail_from=FROM, timeout=7)


@pytest.mark.parametrize(
    ("url", "host", "port", "security"),
    [
        ("smtp://relay.example.org", "relay.example.org", 25, "plain"),
        ("smtp://127.0.0.1:2525", "127.0.0.1", 2525, "plain"),
        ("smtp+starttls://mail.example.org", "mail.example.org", 587, "starttls"),
        ("smtps://mail.example.org", "mail.example.org", 465, "tls"),
        ("SMTPS://mail.example.org:4650/", "mail.example.org", 4650, "tls"),
    ],
)
def test_each_documented_form_gives_its_host_port_and_security(url: str, host: str, port: int, security: str) -> None:
    settings = parse(url)
    assert settings is not None
    assert (settings.host, settings.port, settings.security, settings.timeout) == (host, port, security, 7)


def test_user_and_password_are_url_decoded_and_the_password_is_never_shown() -> None:
    settings = parse("smtp+starttls://mailer%40example.org:p%40ss%3Aw0rd@mail.example.org")
    assert settings is not None
    assert (settings.username, settings.password) == ("mailer@example.org", "p@ss:w0rd")
    assert "p@ss" not in repr(settings)


def test_an_empty_url_means_no_smtp() -> None:
    assert parse("") is None and parse("   ") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.org",
        "mail.example.org",
        "smtp://",
        "smtp://host:99999",
        "smtp://host:x",
        "smtp://h/p",
        "smtp://h?a=1",
    ],
)
def test_a_url_outside_the_documented_forms_is_refused_without_repeating_a_password(url: str) -> None:
    with pytest.raises(smtp.SmtpUrlError) as refused:
        parse(url.replace("//", "//user:secret@", 1) if "//" in url else url)
    assert "secret" not in str(refused.value)


def test_a_mail_from_without_an_address_is_refused() -> None:
    with pytest.raises(smtp.SmtpUrlError):
        smtp.parse_smtp_url("smtp://127.0.0.1", mail_from="CollectWatch", timeout=1)


def test_a_typo_in_smtp_url_stops_the_app_at_start(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SMTP_URL"):
        create_app(TestConfig(tmp_path), SMTP_URL="smtp:/broken")


def test_a_failure_is_described_by_its_class_and_code_never_by_the_servers_text() -> None:
    refused = smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"<someone@example.org> no such user")})
    assert smtp.describe_error(refused) == "SMTPRecipientsRefused 550"
    data = smtplib.SMTPDataError(554, b"rejected for someone@example.org")
    assert smtp.describe_error(data) == "SMTPDataError 554"
    assert smtp.describe_error(ConnectionRefusedError(111, "Connection refused")) == "ConnectionRefusedError"
    assert smtp.describe_error(TimeoutError()) == "TimeoutError"


def test_the_email_has_a_utf8_subject_and_body_and_a_message_id_stable_across_retries() -> None:
    row = OutboxMessage(
        id=42,
        kind="consumer_answered",
        recipient="wang@example.org",
        subject="催收观察：平台已答复您的投诉 CW-2026-000001",
        body="平台已答复您的投诉。\n",
        language="zh_Hans",
        created_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    email = smtp.compose(row, FROM)
    again = smtp.compose(row, FROM)
    assert email["Message-ID"] == again["Message-ID"] == "<outbox.42.1796083200@example.org>"
    assert email["Subject"] == row.subject and email["To"] == "wang@example.org"
    assert email.get_content() == row.body
    assert email.get_content_charset() == "utf-8" and email["Content-Language"] == "zh-Hans"
    assert "平台".encode() not in bytes(email), "the body and subject are encoded for any SMTP server"
