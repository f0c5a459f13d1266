"""`flask send-mail`: the outbox worker, run beside the web servers (once, or as a long-lived process).

Each pass first writes the reminders of platform answers that became overdue, then sends.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from complaints.casework import platform_loop
from complaints.extensions import db
from complaints.mail import outbox, sender
from complaints.models.base import utcnow

log = logging.getLogger(__name__)

#: A holder for this module's commands; register() adds each to the app's CLI under its own name.
commands = AppGroup("mail")


def _summary(report: sender.SendReport) -> str:
    """One line of counts (never an address)."""
    waiting = outbox.count_waiting()
    db.session.commit()
    if not report.configured:
        return (
            f"SMTP_URL is not set: nothing sent; {waiting} message(s) wait in the outbox "
            "(supervisors read them at /officer/outbox)"
        )
    line = f"sent {report.sent}, failed {report.failed}, waiting {waiting}"
    if report.server_unreachable:
        line += " (the SMTP server could not be reached: the rest wait for the next run)"
    return line


def _remind() -> int:
    """Write the reminders of platform answers that became overdue, in their own transaction."""
    try:
        told = platform_loop.remind_overdue(utcnow())
        db.session.commit()
        return told
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.error("send-mail: database error while reminding of overdue answers (%s)", type(exc).__name__)
        return 0


def _run_once(stop: threading.Event | None = None) -> sender.SendReport:
    """Remind of overdue answers, then one pass over the due messages; a database error is logged and the
    pass ends (the loop goes on)."""
    _remind()
    try:
        return sender.send_due(keep_going=lambda: stop is None or not stop.is_set())
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.error("send-mail: database error (%s); trying again at the next pass", type(exc).__name__)
        return sender.SendReport()


@commands.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now, print the counts and exit.")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between passes over the outbox.",
)
def send_mail(once: bool, interval: float) -> None:
    """Send the outbox's due messages over SMTP_URL, retrying failures with back-off (stops on SIGTERM or Ctrl-C)."""
    if once:
        click.echo(_summary(_run_once()))
        return
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if sender.settings() is None:
            click.echo("SMTP_URL is not set: mail waits in the outbox until it is (supervisors read it there)")
        click.echo(f"send-mail: polling every {interval:g} s; SIGTERM or Ctrl-C stops after the message in hand")
        while not stop.is_set():
            report = _run_once(stop)
            if report.sent or report.failed:
                click.echo(_summary(report))
            db.session.close()  # no connection (nor SQLite snapshot) held while waiting
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("send-mail: stopped")


def register(app: Flask) -> None:
    """Attach send-mail to the app's CLI."""
    for command in commands.commands.values():
        app.cli.add_command(command)
