"""The statistics blueprint with every view module's routes attached (import this, not the modules)."""

from __future__ import annotations

from complaints.stats import dataset_views, downloads, pages
from complaints.stats.blueprint import bp

__all__ = ["bp", "dataset_views", "downloads", "pages"]
