"""The real app for gunicorn, plus test-only hooks that mark a request's progress in files.

The hooks live here, not in the application: a WSGI wrapper touches ``request-started`` when a
POST reaches the app (the worker is then reading the body), and the evidence store's ``put`` is
wrapped to touch ``file-written`` and stall, so a test can kill the worker at exactly that point.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from complaints import create_app
from complaints.intake import evidence_store

MARKS = Path(os.environ["CW_TEST_MARKS"])
_real_put = evidence_store.LocalEvidenceStore.put


def _put_then_stall(self: Any, *args: Any, **kwargs: Any) -> Any:
    result = _real_put(self, *args, **kwargs)
    (MARKS / "file-written").touch()
    time.sleep(60)  # the test kills the worker long before this ends
    return result


evidence_store.LocalEvidenceStore.put = _put_then_stall  # type: ignore[method-assign]

app = create_app()
_inner = app.wsgi_app


def _marking(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] == "POST":
        (MARKS / "request-started").touch()
    return _inner(environ, start_response)


app.wsgi_app = _marking  # type: ignore[method-assign]
