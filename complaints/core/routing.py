"""URL converters shared by every blueprint."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from complaints.core.database import MAX_ID


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id in an address; a number no row can have is a 404, not a database overflow."""

    def __init__(self, url_map: Map, signed: bool = False, **kwargs: Any) -> None:
        super().__init__(url_map, max=MAX_ID, signed=signed, **kwargs)


def init_app(app: Flask) -> None:
    """Make `<id:…>` available; done before the blueprints add their routes."""
    app.url_map.converters["id"] = IdConverter
