"""Command-line tasks: reference data and maintenance (`flask --app wsgi <command>`)."""

from __future__ import annotations

import click
from flask import Flask

from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    from complaints.cli import accounts as officer_commands

    officer_commands.register(app)
    from complaints.cli import operations as ops_commands

    ops_commands.register(app)

    from complaints.cli import keys as key_commands

    key_commands.register(app)

    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Load the taxonomy, regulators and routing rules; safe to run again."""
        report = seed_reference_data()
        db.session.commit()
        click.echo(f"reference data: {report.created} created, {report.updated} updated")
