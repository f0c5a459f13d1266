"""How many complaints one browser and one address may file: accepted filings count, mistakes do not.

Two counters, both of accepted filings only. Per browser (a random id in the signed session
cookie), tight: one person rarely files more than a couple of complaints. Per address, high: a
mobile carrier's NAT puts many people behind one address, and a few of them filing must not block
the rest; it still stops a script that drops its cookies. A filled honeypot counts against the
address as a filing would (CSRF failures are refused app-wide before any view, and are not counted).
"""

from __future__ import annotations

import secrets

from flask import current_app, request, session

from complaints.core.rate_limits import Counted, count, seconds_to_wait

SCOPE = "filing"
BROWSER_KEY = "filing_browser"


def _browser_id() -> str:
    browser = session.get(BROWSER_KEY)
    if not isinstance(browser, str) or not browser:
        browser = secrets.token_urlsafe(12)
        session[BROWSER_KEY] = browser
    return browser


def _address() -> Counted:
    return Counted(current_app.config["FILING_LIMIT_PER_ADDRESS"], "address:" + (request.remote_addr or ""))


def _counters() -> list[Counted]:
    return [_address(), Counted(current_app.config["FILING_LIMIT_PER_BROWSER"], "browser:" + _browser_id())]


def seconds_until_next_filing() -> int:
    """0 when this browser and address may file now; else the seconds to wait."""
    return seconds_to_wait(SCOPE, _counters())


def count_filing() -> None:
    """An accepted filing counts against the browser and the address."""
    count(SCOPE, _counters())


def count_abuse() -> None:
    """A bot's signal (the honeypot filled) counts against the address."""
    count(SCOPE, [_address()])
