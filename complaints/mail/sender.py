"""The worker's step: claim each due message, deliver it, commit the outcome; back off when the server fails.

Logs name messages by id and failures by error class: never an address, a subject or a body.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from complaints.core import clock
from complaints.extensions import db
from complaints.mail import outbox, smtp
from complaints.models import OutboxMessage

log = logging.getLogger(__name__)

#: Delivers one message or raises (smtp.send, or a test's wrapper around it).
Deliver = Callable[[smtp.SmtpSettings, OutboxMessage], None]
#: Failures that belong to one message: the others go on. Anything else (refused connection, timeout,
#: TLS, login, a disconnect) says the server is out of reach, so the run stops and the rest wait.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPNotSupportedError)


@dataclass
class SendReport:
    """What one run did: counts only."""

    configured: bool = True
    sent: int = 0
    failed: int = 0
    #: Whether the run stopped early because the server could not be reached.
    server_unreachable: bool = False


def settings() -> smtp.SmtpSettings | None:
    """The app's SMTP settings, or None without SMTP_URL."""
    config = current_app.config
    return smtp.parse_smtp_url(
        config.get("SMTP_URL", ""),
        mail_from=config.get("MAIL_FROM", "CollectWatch <no-reply@localhost>"),
        timeout=float(config.get("SMTP_TIMEOUT_SECONDS", 10)),
    )


def backoff() -> outbox.Backoff:
    """The app's retry schedule (MAIL_RETRY_FIRST_SECONDS doubling up to MAIL_RETRY_MAX_SECONDS)."""
    config = current_app.config
    return outbox.Backoff(
        first=int(config.get("MAIL_RETRY_FIRST_SECONDS", 30)), cap=int(config.get("MAIL_RETRY_MAX_SECONDS", 3600))
    )


def _fail(message: OutboxMessage, now: dt.datetime, exc: BaseException, report: SendReport) -> None:
    error = smtp.describe_error(exc)
    retry_at = outbox.mark_failed(message, now, error, backoff())
    message_id, attempts = message.id, message.attempts
    db.session.commit()
    report.failed += 1
    level = logging.ERROR if attempts >= outbox.MANY_ATTEMPTS else logging.WARNING
    log.log(
        level, "mail %s not sent (attempt %s, %s); next try at %s", message_id, attempts, error, retry_at.isoformat()
    )


def _take_one(now: dt.datetime) -> OutboxMessage | None:
    """Claim one due message and commit the claim; the message comes back detached, every value loaded.

    Detached, it is delivered with no transaction open, and its outcome is written by a transaction
    whose first statement is that write: on SQLite a transaction that reads and then writes fails
    at once when another writer committed in between, so the outcome must not start with a read.
    """
    claimed = outbox.claim(now, 1)
    for message in claimed:
        db.session.expunge(message)
    db.session.commit()
    return claimed[0] if claimed else None


def send_due(
    *,
    now: Callable[[], dt.datetime] = clock.utc_now,
    limit: int = 500,
    deliver: Deliver = smtp.send,
    keep_going: Callable[[], bool] = lambda: True,
) -> SendReport:
    """Send up to ``limit`` due messages, one claimed and committed at a time; without SMTP_URL send nothing.

    Each message is claimed in its own committed transaction, delivered with no lock held, and its
    outcome committed at once, so a crash loses at most the outcome of the message in flight (it is
    then tried again after the claim's lease). ``keep_going`` is asked before each message (a
    worker's stop signal ends the run after the message in hand).
    """
    config = settings()
    if config is None:
        return SendReport(configured=False)
    report = SendReport()
    for _ in range(limit):
        if not keep_going():
            break
        message = _take_one(now())
        if message is None:
            break
        try:
            deliver(config, message)
        except MESSAGE_ERRORS as exc:
            db.session.add(message)
            _fail(message, now(), exc, report)
            continue
        except (smtplib.SMTPException, OSError) as exc:
            db.session.add(message)
            _fail(message, now(), exc, report)
            report.server_unreachable = True
            break
        except (ValueError, LookupError, TypeError) as exc:  # a message the e-mail library cannot write
            db.session.add(message)
            _fail(message, now(), exc, report)
            continue
        db.session.add(message)
        outbox.mark_sent(message, now())
        message_id, attempts = message.id, message.attempts
        db.session.commit()
        report.sent += 1
        log.info("mail %s sent (attempt %s)", message_id, attempts)
    return report
