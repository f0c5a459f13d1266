"""Conditional GET for public statistics: ETags tied to the rollup version, 304 answers, public caching."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, make_response, request

from complaints.core.i18n import current_language
from complaints.statistics.answers import as_of
from complaints.statistics.memo import rollup_version

MAX_AGE = 300


def current_etag(extra: str = "") -> tuple[str, Any]:
    """The ETag of this URL now: rollup version, language, query and the hour the figures are counted at
    (a deadline passing moves them without a write, `statistics.answers`), hashed; and the change time."""
    version, changed_at = rollup_version()
    seed = f"{request.full_path}|{current_language()}|{as_of().isoformat()}|{extra}"
    digest = hashlib.sha256(seed.encode()).hexdigest()[:16]
    return f"s{version}-{digest}", changed_at


def public_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 304 when the client's copy is current; otherwise mark the response cacheable by anyone."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        etag, changed_at = current_etag()
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
        response.set_etag(etag)
        if changed_at is not None:
            response.last_modified = changed_at
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response.vary.update(("Cookie", "Accept-Language"))
        return response

    return wrapper
