"""Public statistics pages, CSV downloads, datasets and the data dictionary."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the statistics pages and the JSON API (the rollup listener comes with them)."""
    from complaints.cli import statistics as commands  # noqa: F401  (routes attach to bp)
    from complaints.stats import blueprint, downloads, views
    from complaints.stats import dataset_views as datasets

    app.register_blueprint(blueprint.bp)
    from complaints.api.views import bp as api_bp

    app.register_blueprint(api_bp)
