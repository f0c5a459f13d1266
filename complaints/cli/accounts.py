"""Officer CLI commands: create an account (printing its enrolment link) and verify the audit chain."""

from __future__ import annotations

import os
import re
import sys

import click
from flask import Flask, url_for

from complaints.accounts import officers as accounts
from complaints.audit.events import verify_chain
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Role


def enrolment_base_url(app: Flask) -> str:
    """Where the printed enrolment link points: PUBLIC_BASE_URL, else the development server on PORT.

    ``make run PORT=8000`` serves on port 8000; ``PORT=8000 flask create-officer`` (or ``make officer
    PORT=8000``) then prints a link to that port rather than to 5000.
    """
    configured = app.config.get("PUBLIC_BASE_URL") or os.environ.get("PUBLIC_BASE_URL", "")
    if configured.strip():
        return configured.strip().rstrip("/")
    port = os.environ.get("PORT", "").strip()
    if not re.fullmatch(r"[0-9]{1,5}", port, re.ASCII):
        port = "5000"
    return f"http://127.0.0.1:{port}"


def register(app: Flask) -> None:
    """Attach `create-officer` and `verify-audit`."""

    @app.cli.command("create-officer")
    @click.option("--email", required=True, help="The officer's sign-in e-mail.")
    @click.option("--role", type=click.Choice(Role.values()), default=Role.OFFICER.value, show_default=True)
    @click.option("--name", default="", help="Name shown to colleagues.")
    def create_officer(email: str, role: str, name: str) -> None:
        """Create an account and print its one-time enrolment link (valid three days)."""
        try:
            enrolment = accounts.create_officer(email, Role(role), name)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        with app.test_request_context(base_url=enrolment_base_url(app)):
            link = url_for("officer.enrol", token=enrolment.token, _external=True)
        click.echo(f"{role} account created for {enrolment.officer.email}")
        click.echo(f"one-time enrolment link (expires in {accounts.ENROLMENT_HOURS} hours):")
        click.echo(link)

    @app.cli.command("verify-audit")
    def verify_audit() -> None:
        """Check the hash chain of the audit log; exit 1 and list the breaks if any record was altered."""
        broken = verify_chain()
        if broken:
            click.echo(f"audit chain BROKEN at {len(broken)} record(s): {', '.join(map(str, broken[:50]))}", err=True)
            sys.exit(1)
        click.echo("audit chain intact")
