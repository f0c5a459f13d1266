"""Command-line tasks: reference data and maintenance (`flask --app wsgi <command>`)."""

from __future__ import annotations

import click
from flask import Flask

from complaints.extensions import db
from complaints.services.reference_data import seed_reference_data


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    from complaints.officer import commands as officer_commands

    officer_commands.register(app)
    from complaints import ops_commands

    ops_commands.register(app)

    from complaints import key_commands

    key_commands.register(app)

    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Load the taxonomy, regulators and routing rules; safe to run again."""
        report = seed_reference_data()
        db.session.commit()
        click.echo(f"reference data: {report.created} created, {report.updated} updated")
