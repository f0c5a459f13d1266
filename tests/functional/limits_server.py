"""One app instance for the shared rate-limit test: its own database, the limits in Redis.

Run as ``python -m tests.functional.limits_server INSTANCE REDIS_URL KEY_PREFIX``: it serves on a free
port of 127.0.0.1, prints the port on the first line of its output, and serves until it is ended.
"""

from __future__ import annotations

import sys
from pathlib import Path

from werkzeug.serving import make_server

from tests.conftest import make_test_app


def main(instance: str, redis_url: str, key_prefix: str) -> None:
    """Build the app on its own SQLite database with Redis as the rate-limit storage, and serve it."""
    folder = Path(instance)
    app = make_test_app(
        folder,
        f"sqlite:///{folder / 'app.db'}",
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=key_prefix,
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
