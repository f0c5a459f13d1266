"""A real SMTP server for each mail test, named by the app's SMTP_URL while the test runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support.smtp_server import SmtpServer, serving


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """aiosmtpd on a free port of 127.0.0.1, and SMTP_URL pointing at it; both gone after the test."""
    with serving(app) as server:
        yield server
