"""Helpers every template can call: labels for codes, dates and numbers in the visitor's language."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_babel import format_date, format_datetime, format_decimal

from complaints.core import labels
from complaints.core.clock import local_date


def init_app(app: Flask) -> None:
    """Install the template globals."""

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        return {
            "url_map_endpoints": {rule.endpoint for rule in current_app.url_map.iter_rules()},
            "status_label": lambda code: labels.label(labels.STATUSES, code),
            "status_explanation": lambda code: labels.label(labels.STATUS_EXPLANATIONS, code),
            "resolution_label": lambda code: labels.label(labels.RESOLUTIONS, code),
            "format_date": format_date,
            "local_date": local_date,
            "format_datetime": lambda value: format_datetime(value, "medium"),
            "format_decimal": format_decimal,
            "labels": labels,
        }
