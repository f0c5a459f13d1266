"""Officer CLI commands: create an account (printing its enrolment link) and verify the audit chain."""

from __future__ import annotations

import sys

import click
from flask import Flask

from complaints.accounts import officers as accounts
from complaints.audit.events import verify_chain
from complaints.core.routing import absolute_url
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Platform, Role


def register(app: Flask) -> None:
    """Attach `create-officer`, `invite-responder` and `verify-audit`."""

    @app.cli.command("create-officer")
    @click.option("--email", required=True, help="The officer's sign-in e-mail.")
    @click.option(
        "--role",
        type=click.Choice([Role.OFFICER.value, Role.ADMIN.value]),
        default=Role.OFFICER.value,
        show_default=True,
    )
    @click.option("--name", default="", help="Name shown to colleagues.")
    def create_officer(email: str, role: str, name: str) -> None:
        """Create an account and print its one-time enrolment link (valid three days)."""
        try:
            enrolment = accounts.create_officer(email, Role(role), name)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        link = absolute_url("officer.enrol", token=enrolment.token)
        click.echo(f"{role} account created for {enrolment.officer.email}")
        click.echo(f"one-time enrolment link (expires in {accounts.ENROLMENT_HOURS} hours):")
        click.echo(link)

    @app.cli.command("invite-responder")
    @click.option("--platform", "platform_id", type=int, required=True, help="The verified platform's number.")
    @click.option("--email", required=True, help="The representative's sign-in e-mail.")
    @click.option("--name", default="", help="Their name, shown to officers.")
    def invite_responder(platform_id: int, email: str, name: str) -> None:
        """Invite a platform's representative to the responder portal; prints the one-time enrolment link."""
        try:
            enrolment = accounts.invite_responder(email, db.session.get(Platform, platform_id), name)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        link = absolute_url("officer.enrol", token=enrolment.token)
        click.echo(f"responder account created for {enrolment.officer.email} (platform #{platform_id})")
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
