"""Statistics commands: rebuild and verify the rollup, build the datasets, make demo data."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from complaints.extensions import db
from complaints.statistics import recompute

#: A holder for this module's commands; register() adds each to the app's CLI under its own name.
commands = AppGroup("statistics")


@commands.command("rebuild-stats")
@click.option("--verify", is_flag=True, help="Only compare; exit 1 when the stored rollup differs.")
def rebuild_stats(verify: bool) -> None:
    """Recompute stat_counts from the complaints (or, with --verify, check it)."""
    report = recompute.rebuild(db.session.connection(), verify_only=verify)
    for side, *cell in report.differences[:20]:
        click.echo(f"{side}: {tuple(cell)}")
    click.echo(f"{report.complaints} public complaints, {report.cells} cells, {len(report.differences)} differences")
    if verify:
        db.session.rollback()
        if report.differences:
            sys.exit(1)
    else:
        db.session.commit()


@commands.command("build-datasets")
def build_datasets() -> None:
    """Write the full datasets, datapackage.json and SHA256SUMS under instance/datasets/."""
    from complaints.statistics.datapackage import build_all, datasets_dir

    for name, sha, size in build_all():
        click.echo(f"{sha}  {name}  ({size} bytes)")
    click.echo(f"written to {datasets_dir()}")


@commands.command("demo-data")
@click.option("--complaints", "count", default=2000, show_default=True, help="How many fictional complaints.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable data.")
def demo_data(count: int, seed: int) -> None:
    """Add fictional platforms, collectors and complaints (bulk inserts), then rebuild the statistics."""
    import time

    from complaints.operations.demo import generate

    started = time.perf_counter()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # Demo data only, loaded in one transaction: a crash loses the run anyway, so no fsync per page;
        # a larger page cache speeds the index builds and the rollup rebuild. Temp store stays on disk:
        # in memory, the rebuild's sorts took the process to 2.3 GB at a million complaints.
        connection.exec_driver_sql("PRAGMA synchronous = OFF")
        connection.exec_driver_sql("PRAGMA cache_size = -131072")
    report = generate(count, seed=seed)
    db.session.commit()
    # Fresh planner statistics after a bulk load: without them PostgreSQL chose 4-10x slower queue plans.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as fresh:
        fresh.exec_driver_sql("ANALYZE")
    click.echo(
        f"{report.complaints} complaints ({report.public} public), {report.violations} violation codes, "
        f"{report.referrals} referrals, {report.platforms} platforms, {report.collectors} collectors "
        f"in {time.perf_counter() - started:.1f} s ("
        + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.seconds.items())
        + ")"
    )


def register(app: Flask) -> None:
    """Attach rebuild-stats, build-datasets and demo-data to the app's CLI."""
    for command in commands.commands.values():
        app.cli.add_command(command)
