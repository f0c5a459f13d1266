"""The enrolment link `flask create-officer` prints points where the app is served: PUBLIC_BASE_URL, else PORT."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from complaints.config import Config

LINK = re.compile(r"(http\S+)/officer/enrol/\S+")


def printed_base(app: Flask, email: str) -> str:
    result = app.test_cli_runner().invoke(args=["create-officer", "--email", email])
    assert result.exit_code == 0, result.output
    found = LINK.search(result.output)
    assert found, result.output
    return found.group(1)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"PORT": "8123", "PUBLIC_BASE_URL": "https://complaints.example.test/"}, "https://complaints.example.test"),
        ({"PORT": "not a port"}, "http://127.0.0.1:5000"),
        ({"PORT": "٨١٢٣"}, "http://127.0.0.1:5000"),
    ],
)
def test_the_printed_link_follows_public_base_url_or_the_port(
    app: Flask, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # The configuration is read once, when the process starts (`make officer PORT=…` starts a new one):
    # the link must follow what was read then, not the environment of the moment.
    started = Config()
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", started.PUBLIC_BASE_URL)
    monkeypatch.setitem(app.config, "LOCAL_BASE_URL", started.LOCAL_BASE_URL)
    monkeypatch.setenv("PORT", "9999")  # a change after start-up is not seen
    assert printed_base(app, f"port{len(environment)}@example.test") == expected
