"""Statistics commands: rebuild and verify the rollup, build the datasets, make demo data."""

from __future__ import annotations

import sys

import click

from complaints.extensions import db
from complaints.services import rollup
from complaints.stats.blueprint import bp


@bp.cli.command("rebuild-stats")
@click.option("--verify", is_flag=True, help="Only compare; exit 1 when the stored rollup differs.")
def rebuild_stats(verify: bool) -> None:
    """Recompute stat_counts from the complaints (or, with --verify, check it)."""
    report = rollup.rebuild(db.session.connection(), verify_only=verify)
    for key, have, want in report.differences[:20]:
        click.echo(f"differs {key}: stored {have}, recomputed {want}")
    click.echo(f"{report.complaints} public complaints, {report.cells} cells, {len(report.differences)} differences")
    if verify:
        db.session.rollback()
        if report.differences:
            sys.exit(1)
    else:
        db.session.commit()
