"""Browser tests: the app served from a thread on 127.0.0.1, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser
from werkzeug.serving import make_server

from complaints.extensions import db
from tests.browser.visit import AXE_FILE, VIEWPORTS, Visit
from tests.conftest import make_test_app
from tests.databases import own_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder, saying why, when Chromium or axe-core is not installed."""
    if CHROMIUM.exists() and AXE_FILE.exists():
        return
    reason = (
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if not CHROMIUM.exists()
        else f"browser tests need axe-core at {AXE_FILE} (run `npm ci`, which `make setup` does)"
    )
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Launch Debian's Chromium: Playwright's own browser download cannot work here."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of the served app's own, so the suite's per-test cleaning never races the server.

    SQLite in a temporary folder, or on TEST_DATABASE_URL's PostgreSQL server a fresh database.
    """
    with own_database(tmp_path_factory.mktemp("live-db") / "live.db", prefix="cw_live") as url:
        yield url


@pytest.fixture(scope="session")
def live_app(live_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app as a visitor meets it: CSRF on, its own instance folder and evidence store."""
    application = make_test_app(tmp_path_factory.mktemp("live-instance"), live_database_url, WTF_CSRF_ENABLED=True)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the app from a thread on a free port of 127.0.0.1; its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def visit(browser: Browser, live_server: str) -> Iterator[Callable[..., Visit]]:
    """Open a fresh browser context (own cookies) at a viewport and browser language; checked at the end.

    Every request is intercepted: one to another host fails the test, as does a console error,
    an uncaught script error or a CSP violation.
    """
    opened: list[Visit] = []

    def open_visit(viewport: str = "phone", browser_language: str = "zh-CN", javascript: bool = True) -> Visit:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            locale=browser_language,
            java_script_enabled=javascript,
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
        )
        opened.append(Visit(context, live_server))
        return opened[-1]

    yield open_visit
    problems = [problem for v in opened for problem in v.problems]
    for v in opened:
        v.context.close()
    assert not problems, "the pages did something they must not:\n" + "\n".join(problems)
