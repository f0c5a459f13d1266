"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), which can be stopped and started on its port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Delivered:
    """One message the server accepted: its envelope recipients and the parsed e-mail."""

    rcpt_tos: list[str]
    email: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.email["Message-ID"])

    @property
    def text(self) -> str:
        """The decoded plain-text body."""
        return str(self.email.get_content())


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every accepted message, thread-safely."""

    messages: list[Delivered] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's hook name)
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(Delivered(list(envelope.rcpt_tos), parsed))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:port; `stop()` closes the port, `start()` listens on the same port again."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def delivered(self) -> list[Delivered]:
        with self.inbox.lock:
            return list(self.inbox.messages)


@contextmanager
def serving(app: Flask) -> Iterator[SmtpServer]:
    """A server on a free port of 127.0.0.1 and the app's SMTP_URL pointing at it, both gone afterwards."""
    server = SmtpServer()
    server.start()
    app.config["SMTP_URL"] = server.url
    try:
        yield server
    finally:
        server.stop()
        app.config["SMTP_URL"] = ""
