"""URL converters shared by every blueprint."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from complaints.core.database import MAX_ID


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id in an address; a number no row can have is a 404, not a database overflow."""

    def __init__(self, url_map: Map, signed: bool = False, **kwargs: Any) -> None:
        super().__init__(url_map, max=MAX_ID, signed=signed, **kwargs)


class TextConverter(UnicodeConverter):
    """`<name>` and `<string:name>`: a path part without NUL, which no row has and PostgreSQL cannot even compare.

    The request class drops NUL from query and form values; this does the same for the address itself
    (`/officer/directory/regulators/%00SAMR` was a 500 on PostgreSQL): such a part matches no route, a 404.
    """

    def to_python(self, value: str) -> str:
        """The part as it is, unless it holds a NUL."""
        if "\x00" in value:
            raise ValidationError
        return value


def base_url() -> str:
    """Where the app is served: PUBLIC_BASE_URL, else (development) the local server on PORT (config)."""
    return str(current_app.config.get("PUBLIC_BASE_URL") or current_app.config["LOCAL_BASE_URL"])


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link to give someone outside a page (an e-mail, a printout): always on `base_url()`."""
    # The path from the URL map alone: nothing of the current request (its Host, its script root) goes in.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path


def init_app(app: Flask) -> None:
    """Make `<id:…>` available; done before the blueprints add their routes."""
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.url_map.converters["id"] = IdConverter
