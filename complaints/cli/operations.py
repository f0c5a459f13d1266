"""Operator commands: retention purge, integrity check, backup and restore (`flask --app wsgi <command>`)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from complaints.extensions import db
from complaints.intake.storage import evidence_store
from complaints.operations import backup, integrity
from complaints.privacy import retention


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def register(app: Flask) -> None:
    """Attach `purge`, `check-integrity`, `backup` and `restore`."""

    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="Only list what would be purged; change nothing.")
    @click.option("--days", type=click.IntRange(min=0), default=None, help="Override RETENTION_DAYS for this run.")
    def purge(dry_run: bool, days: int | None) -> None:
        """Remove contact details and evidence of complaints closed more than RETENTION_DAYS ago."""
        retention_days = current_app.config["RETENTION_DAYS"] if days is None else days
        if dry_run:
            plan = retention.plan_purge(retention_days)
            db.session.rollback()
            for item in plan.items:
                click.echo(
                    f"{item.reference}  closed {item.closed_at:%Y-%m-%d} ({item.resolution})  "
                    f"{item.contact_fields} contact field(s)  {item.files} file(s)  {item.file_bytes} bytes"
                )
            click.echo(
                f"dry run: {len(plan.items)} complaint(s) closed before {plan.cutoff:%Y-%m-%d %H:%M} UTC "
                f"would lose {plan.contact_fields} contact field(s) and {plan.files} evidence file(s) "
                f"({_mib(plan.file_bytes)}); nothing was changed"
            )
            return
        store = evidence_store()
        complaints = fields = files = size = 0
        while True:
            done = retention.purge_due(retention_days, store)
            db.session.commit()  # files are deleted only now, after the rows say so
            complaints += len(done.items)
            fields += done.contact_fields
            files += done.files
            size += done.file_bytes
            if not done.items:
                break
        mail = retention.purge_mail(retention.cutoff_for(retention_days))
        origins = retention.purge_filing_origins()
        db.session.commit()
        click.echo(
            f"purged {complaints} complaint(s) closed more than {retention_days} day(s) ago: "
            f"{fields} contact field(s), {files} evidence file(s) ({_mib(size)}); "
            f"{mail} outbox message(s) older than that deleted; "
            f"{origins} filing network(s) older than a day deleted"
        )

    @app.cli.command("check-integrity")
    @click.option("--repair", is_flag=True, help="Delete unreferenced evidence files older than the grace period.")
    @click.option(
        "--grace-minutes",
        type=click.IntRange(min=0),
        default=int(integrity.DEFAULT_GRACE.total_seconds() // 60),
        show_default=True,
        help="Unreferenced files younger than this may belong to a filing in progress and are left alone.",
    )
    @click.option("--skip-contents", is_flag=True, help="Do not read every file to compare its SHA-256.")
    def check_integrity(repair: bool, grace_minutes: int, skip_contents: bool) -> None:
        """Find orphan or missing evidence files, altered files, complaints without a primary code, audit breaks."""
        report = integrity.check_integrity(
            evidence_store(),
            repair=repair,
            grace=dt.timedelta(minutes=grace_minutes),
            read_contents=not skip_contents,
        )
        db.session.rollback()
        for key in report.removed_orphans:
            click.echo(f"removed orphan file {key}")
        if report.removed_partial_uploads:
            click.echo(f"removed {report.removed_partial_uploads} partial upload(s) left by a crash")
        for key in report.orphan_files:
            click.echo(f"orphan file (no evidence row refers to it): {key}")
        for key in report.recent_orphans:
            click.echo(f"recent unreferenced file, within the grace period, left alone: {key}")
        for missing in report.missing_files:
            click.echo(f"missing file for evidence {missing.evidence_id} of {missing.reference}: {missing.storage_key}")
        for key in report.altered_files:
            click.echo(f"file does not match its SHA-256: {key}")
        for key in report.unreadable_files:
            click.echo(f"file cannot be read: {key}")
        for reference in report.primary_problems:
            click.echo(f"complaint without exactly one primary violation: {reference}")
        if report.broken_events:
            shown = ", ".join(map(str, report.broken_events[:50]))
            click.echo(f"audit chain broken at {len(report.broken_events)} record(s): {shown}")
        if report.problems:
            click.echo(f"{report.problems} problem(s) found", err=True)
            sys.exit(1)
        click.echo("integrity check passed")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path) -> None:
        """Write the database and evidence files to one .tar.gz with SHA-256 sums (data keys not included)."""
        try:
            result = backup.create_backup(path, Path(current_app.config["EVIDENCE_DIR"]))
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"backup written to {result.path}: {result.database_member}, {result.evidence_files} evidence file(s) "
            f"({_mib(result.evidence_bytes)})"
        )
        click.echo(f"archive sha256: {result.archive_sha256}")
        click.echo("the data keys are not in the archive: keep them separately, the backup is unreadable without them")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
    def restore_command(path: Path, force: bool) -> None:
        """Verify every checksum in a backup, then restore its database and evidence files."""
        try:
            result = backup.restore_backup(path, Path(current_app.config["EVIDENCE_DIR"]), force=force)
        except backup.BackupError as error:
            raise click.ClickException(f"{error}. Nothing was restored.") from error
        click.echo(
            f"restored {result.database_member} and {result.evidence_files} evidence file(s) "
            f"from the backup of {result.created_at}"
        )
