"""A time and memory budget for one piece of a test: past it, the test fails saying what ran over.

An input from outside once held a worker for ever (`?period=２０２６`), another for tens of seconds
and gigabytes (an image within the pixel limit): tests of such inputs run under this.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager


class OverBudgetError(AssertionError):
    """A request took longer, or more memory, than any answer to any input may."""


@contextmanager
def within_budget(what: object, seconds: float, memory_mb: float | None = None) -> Iterator[None]:
    """Fail if the block runs past `seconds` of wall clock, or grows the process's peak memory by `memory_mb`."""

    def expire(signum: int, frame: object) -> None:
        raise OverBudgetError(f"over {seconds} s: {what!r}"[:2000])

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    if memory_mb is not None and grown_mb > memory_mb:
        raise OverBudgetError(f"peak memory grew by {grown_mb:.0f} MB: {what!r}"[:2000])
