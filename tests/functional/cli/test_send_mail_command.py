"""`flask send-mail` without --once: it polls until SIGTERM or SIGINT, then stops cleanly and gives the signals back."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from flask import Flask

from complaints.extensions import db
from complaints.mail import messages, outbox
from tests.support.smtp_server import SmtpServer


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_polling_worker_sends_then_stops_on_a_signal(app: Flask, signum: signal.Signals) -> None:
    server = SmtpServer()
    server.start()
    app.config["SMTP_URL"] = server.url
    outbox.enqueue(
        messages.consumer_answered(
            recipient="loop@example.org", language="en", reference="CW-2026-000301", link="https://x.example.org"
        )
    )
    db.session.commit()
    before = signal.getsignal(signum)
    # The signal comes once the command polls (its handler is installed first thing).
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signum))
    timer.start()
    try:
        result = app.test_cli_runner().invoke(args=["send-mail", "--interval", "0.2"])
    finally:
        timer.cancel()
        server.stop()
        app.config["SMTP_URL"] = ""
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0, waiting 0" in result.output and "send-mail: stopped" in result.output
    assert "loop@example.org" not in result.output
    assert [d.rcpt_tos for d in server.delivered] == [["loop@example.org"]]
    assert signal.getsignal(signum) == before


def test_an_interval_below_a_tenth_of_a_second_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["send-mail", "--interval", "0"])
    assert result.exit_code == 2
