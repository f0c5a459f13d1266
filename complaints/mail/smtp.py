"""Delivering one outbox message to an SMTP server named by ``SMTP_URL``, with the standard library.

``SMTP_URL`` takes three forms, chosen by its scheme so that a deployment says what it wants and a
missing TLS layer is an error rather than a silent downgrade:

- ``smtp://[user:password@]host[:port]``: plain SMTP (port 25), for a relay on the same host or network;
- ``smtp+starttls://[user:password@]host[:port]``: STARTTLS, required (port 587); a server that does
  not offer it fails the delivery;
- ``smtps://[user:password@]host[:port]``: implicit TLS from the first byte (port 465).

User and password are URL-decoded (write ``@`` as ``%40``). TLS checks the server's certificate
against the system's trust store.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Literal
from urllib.parse import unquote, urlsplit

from complaints.models import OutboxMessage

Security = Literal["plain", "starttls", "tls"]
SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}


class SmtpUrlError(ValueError):
    """SMTP_URL is not one of the documented forms (the message never repeats a password)."""


class StartTlsUnavailable(smtplib.SMTPException):
    """SMTP_URL asks for STARTTLS and the server does not offer it: nothing is sent in clear instead."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver: parsed from SMTP_URL, with the sender and a timeout."""

    host: str
    port: int
    security: Security
    username: str = ""
    password: str = field(default="", repr=False)
    mail_from: str = "CollectWatch <no-reply@localhost>"
    timeout: float = 10.0


def parse_smtp_url(url: str, *, mail_from: str, timeout: float) -> SmtpSettings | None:
    """The settings SMTP_URL names, or None when it is empty (mail then waits in the outbox)."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise SmtpUrlError(
            f"SMTP_URL must start with smtp://, smtp+starttls:// or smtps://, not {scheme or 'nothing'}://"
        )
    security, default_port = SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError as exc:
        raise SmtpUrlError("SMTP_URL has a port that is not a number from 1 to 65535") from exc
    if not parts.hostname or (parts.path not in ("", "/")) or parts.query or parts.fragment:
        raise SmtpUrlError("SMTP_URL must be scheme://[user:password@]host[:port], with nothing after the port")
    if "@" not in parseaddr(mail_from)[1]:
        raise SmtpUrlError("MAIL_FROM must be an address such as 'CollectWatch <no-reply@example.org>'")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        mail_from=mail_from,
        timeout=timeout,
    )


def _domain(mail_from: str) -> str:
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


def compose(message: OutboxMessage, mail_from: str) -> EmailMessage:
    """The e-mail of an outbox message: UTF-8 subject and plain-text body, a Message-ID stable across retries.

    The same outbox row always gets the same Message-ID, so a receiver can drop the copy a retry
    sends after a crash between the server's "250 OK" and our commit.
    """
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), usegmt=True)
    email["Message-ID"] = f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{_domain(mail_from)}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body, charset="utf-8", cte="base64")
    email["Content-Language"] = (
        "zh-Hans" if message.language == "zh_Hans" else "en"
    )  # after: set_content clears Content-*
    return email


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
        )
    connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        connection.ehlo()
        if not connection.has_extn("starttls"):
            connection.close()
            raise StartTlsUnavailable("the SMTP server does not offer STARTTLS")
        connection.starttls(context=ssl.create_default_context())
    return connection


def send(settings: SmtpSettings, message: OutboxMessage) -> None:
    """Deliver one message; raises smtplib.SMTPException or OSError when the server does not take it."""
    email = compose(message, settings.mail_from)
    with _connect(settings) as connection:
        if settings.username:
            connection.login(settings.username, settings.password)
        connection.send_message(email, from_addr=parseaddr(settings.mail_from)[1], to_addrs=[message.recipient])


def describe_error(exc: BaseException) -> str:
    """What may be stored and logged of a failure: the error's class and SMTP code, never its text.

    A server's reply often repeats the address it refused ("550 <someone@example.org> unknown"),
    and SMTPRecipientsRefused carries the addresses themselves, so neither is kept.
    """
    name = type(exc).__name__
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(reply[0]) for reply in exc.recipients.values()})
        return f"{name} {','.join(codes)}"[:120]
    return (f"{name} {code}" if isinstance(code, int) else name)[:120]
