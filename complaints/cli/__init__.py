"""The flask commands (`flask --app wsgi <command>`), one module per area, attached by name."""

from __future__ import annotations

from flask import Flask

from complaints.cli import accounts, keys, mail, operations, reference, statistics


def register(app: Flask) -> None:
    """Attach every area's commands to the app's CLI."""
    reference.register(app)
    accounts.register(app)
    operations.register(app)
    keys.register(app)
    statistics.register(app)
    mail.register(app)
