"""Reference data commands: load the taxonomy, regulators and routing rules."""

from __future__ import annotations

import click
from flask import Flask

from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db


def register(app: Flask) -> None:
    """Attach seed-reference to the app's CLI."""

    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Load the taxonomy, regulators and routing rules; safe to run again."""
        report = seed_reference_data()
        db.session.commit()
        click.echo(f"reference data: {report.created} created, {report.updated} updated")
