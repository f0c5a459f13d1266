"""Public statistics pages, CSV downloads, datasets and the data dictionary."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the statistics pages and the JSON API (the rollup listener comes with them)."""
    from complaints.stats import blueprint, commands  # noqa: F401  (commands attach to the blueprint)

    app.register_blueprint(blueprint.bp)
