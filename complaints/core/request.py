"""The app's request class: NUL characters are dropped from query and form values (PostgreSQL refuses them in text),
and no request body is read as JSON."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, current_app, g
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict[str, Any]):
    """Query or form values without NUL characters: no one means one, and PostgreSQL cannot take one."""

    def __init__(self, mapping: Any = None) -> None:
        """Copy the parsed pairs, dropping NUL from keys and text values (uploaded files are left alone)."""
        if mapping is None:
            super().__init__()
            return
        super().__init__([(_without_nul(key), _without_nul(value)) for key, value in iter_multi_items(mapping)])


class AppRequest(Request):
    """Flask's request, with NUL-free `args` and `form`, and no JSON bodies."""

    parameter_storage_class = NulFreeMultiDict

    @property
    def is_json(self) -> bool:
        """Never: no endpoint takes JSON (the API only answers GETs, the forms are HTML forms).

        Flask-WTF reads a JSON body as form data when the request says it is JSON: that would skip
        the NUL filter above, and a body that is not an object ("0", "x") failed as a 500. Refusing
        JSON here, where every request passes, covers every form at once; such a post is simply
        an empty form.
        """
        return False


def forget_request_state() -> None:
    """Load the officer, the language and the CSRF token afresh on every request.

    Flask-Login, Flask-Babel and Flask-WTF cache them on ``g``, which lives as long as the app
    context; where one context serves several requests (tests, CLI tools) a cached officer would
    outlive the session that loaded it, and a cached token the session secret it was made from.
    """
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def init_app(app: Flask) -> None:
    """The NUL-free request class, and per-request state that never outlives its request."""
    app.request_class = AppRequest
    app.before_request(forget_request_state)
