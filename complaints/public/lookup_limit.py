"""How many wrong access codes one reference may be sent: wrong codes count, a right one is never refused.

The counter is keyed on the reference as `normalise_reference` reads it, so `cw2026000004`,
`CW 2026 000004` and `CW-2026-000004` are one reference, and it counts failures only: whoever
sends wrong codes from elsewhere cannot lock the owner out. An unknown reference is counted the
same way, so the answers do not tell which references exist. The per-address limit on the route
(Flask-Limiter's decorator) still slows one client trying many references.
"""

from __future__ import annotations

from flask import current_app

from complaints.core.rate_limits import Counted, count, seconds_to_wait
from complaints.intake.access import normalise_reference

SCOPE = "status-reference"


def _counter(reference: str) -> Counted:
    return Counted(current_app.config["LOOKUP_FAILURES_PER_REFERENCE"], normalise_reference(reference)[:40])


def seconds_until_next_try(reference: str) -> int:
    """0 while wrong codes for this reference are under the limit; else the seconds to wait."""
    return seconds_to_wait(SCOPE, [_counter(reference)])


def count_wrong_code(reference: str) -> None:
    """A wrong code (or an unknown reference) counts against the reference."""
    count(SCOPE, [_counter(reference)])
