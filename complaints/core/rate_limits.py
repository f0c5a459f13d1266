"""Limits on what a view counts itself (accepted filings, abuse signals), not on every request.

Flask-Limiter's decorators count each request and answer a bare 429 before the view runs, so a
consumer who is told about a mistake uses up the limit and then loses what they typed. These
helpers use the same storage and strategy (Redis in production, so every worker shares the count)
but let the view decide what counts and how to answer.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import limits
from flask import current_app

from complaints.extensions import limiter


@dataclass(frozen=True)
class Counted:
    """One counter: a limit (``"10 per hour"``) on the things one key (an address, a browser) did."""

    limit: str
    key: str


def _identifiers(scope: str, counter: Counted) -> tuple[str, ...]:
    prefix = str(current_app.config.get("RATELIMIT_KEY_PREFIX", ""))
    return (prefix, "counted", scope, counter.key)


def seconds_to_wait(scope: str, counters: list[Counted]) -> int:
    """How long until every counter allows one more (0: now), without counting anything."""
    if not limiter.enabled:
        return 0
    wait = 0.0
    now = time.time()
    for counter in counters:
        item = limits.parse(counter.limit)
        identifiers = _identifiers(scope, counter)
        if not limiter.limiter.test(item, *identifiers):
            reset_at = limiter.limiter.get_window_stats(item, *identifiers).reset_time
            wait = max(wait, reset_at - now, 1.0)
    return math.ceil(wait)


def count(scope: str, counters: list[Counted]) -> None:
    """Count one more under each counter."""
    if not limiter.enabled:
        return
    for counter in counters:
        limiter.limiter.hit(limits.parse(counter.limit), *_identifiers(scope, counter))
