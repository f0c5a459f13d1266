"""A test app served for real: a threaded werkzeug server on 127.0.0.1, for requests fired in parallel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from complaints.extensions import db


@contextmanager
def served_on_localhost(app: Flask, name: str) -> Iterator[str]:
    """Serve the app from a thread while the block runs; its base URL. Its engine is closed after."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
