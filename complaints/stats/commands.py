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


@bp.cli.command("build-datasets")
def build_datasets() -> None:
    """Write the full datasets, datapackage.json and SHA256SUMS under instance/datasets/."""
    from complaints.stats.datapackage import build_all, datasets_dir

    for name, sha, size in build_all():
        click.echo(f"{sha}  {name}  ({size} bytes)")
    click.echo(f"written to {datasets_dir()}")
