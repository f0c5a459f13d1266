"""Small-count suppression: the one place that decides which published counts are hidden.

Counts from 1 to k−1 (k = STATS_MIN_CELL) are primary-suppressed and shown as ``<k``. Where a
table publishes totals, a hidden cell could be worked out by subtraction; so every line (a row
with its row total, a column with its column total, the totals with the grand total) is audited:
while some hidden cell of a line can be pinned to one value from what is published (other cells,
the total, and the bounds the public knows: 1…k−1 for ``<k``, at least k for a complementary
hidden cell), the smallest visible non-zero cell of that line is hidden too (complementary
suppression), or the line's total when nothing else is left. Zeros are published as 0.

A breakdown that cannot be protected because its total is published elsewhere is withheld whole
(every cell ``*``, zeros included, so nothing can be inferred from it).

Pages, CSV and JSON all call `suppress_table`, `suppress_nested`, `published` and `share`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from flask import current_app

INF = math.inf


class Hidden(StrEnum):
    """Why a count is not published."""

    PRIMARY = "primary"  # a small count, 1…k−1
    COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be worked out
    WITHHELD = "withheld"  # a whole breakdown not published: its total is shown elsewhere and would pin a cell


@dataclass(frozen=True)
class Count:
    """A count as published: its value, or why it is hidden."""

    value: int | None
    hidden: Hidden | None = None
    k: int = 5

    @property
    def text(self) -> str:
        """What a page or CSV shows: the number, ``<k``, ``—`` (complementary) or ``*`` (withheld)."""
        if self.hidden is Hidden.PRIMARY:
            return f"<{self.k}"
        if self.hidden is Hidden.COMPLEMENTARY:
            return "—"
        if self.hidden is Hidden.WITHHELD:
            return "*"
        return str(self.value)

    def as_json(self) -> dict[str, object]:
        """The JSON form: the number or null, and the reason it is hidden."""
        return {"count": self.value, "suppressed": self.hidden.value if self.hidden else None, "display": self.text}


def min_cell() -> int:
    """k: the smallest count published (STATS_MIN_CELL, default 5)."""
    try:
        return int(current_app.config.get("STATS_MIN_CELL", 5))
    except RuntimeError:  # outside an app (a script): the documented default
        return 5


def is_small(value: int, k: int) -> bool:
    """Whether a count must be hidden on its own."""
    return 0 < value < k


def published(value: int, k: int | None = None) -> Count:
    """A lone count with no total beside it: primary suppression only."""
    k = k or min_cell()
    return Count(None, Hidden.PRIMARY, k) if is_small(value, k) else Count(value, None, k)


def share(part: int, whole: int, k: int | None = None) -> float | None:
    """part / whole, unless it would let a small count (part, or whole − part) be worked out."""
    k = k or min_cell()
    if whole < k or is_small(part, k) or is_small(whole - part, k):
        return None
    return part / whole


@dataclass
class Line:
    """Cells that add up to a published total (the total is itself a cell of the table)."""

    members: list[Hashable]
    total: Hashable


@dataclass
class SuppressedTable:
    """A table of counts with its totals, after suppression; look cells up by their key."""

    k: int
    values: dict[Hashable, int]
    hidden: dict[Hashable, Hidden] = field(default_factory=dict)

    def get(self, key: Hashable) -> Count:
        """The published form of one cell (row/column keys, ``("row", r)``, ``("col", c)``, ``"total"``)."""
        value = self.values.get(key, 0)
        reason = self.hidden.get(key)
        return Count(None if reason else value, reason, self.k)


def _bounds(value: int, reason: Hidden | None, k: int) -> tuple[float, float]:
    if reason is Hidden.PRIMARY:
        return 1, k - 1
    if reason is Hidden.COMPLEMENTARY:
        return (k if value >= k else 1), INF
    if reason is Hidden.WITHHELD:
        return 0, INF
    return value, value


def pinned(line: Line, values: dict[Hashable, int], hidden: dict[Hashable, Hidden], k: int) -> bool:
    """Whether the public could work out some hidden member of this line from its total."""
    if line.total in hidden:
        return False
    hidden_members = [m for m in line.members if m in hidden]
    if not hidden_members:
        return False
    bounds = {m: _bounds(values.get(m, 0), hidden[m], k) for m in hidden_members}
    rest = values.get(line.total, 0) - sum(values.get(m, 0) for m in line.members if m not in hidden)
    for member, (low, high) in bounds.items():
        others = [b for m, b in bounds.items() if m != member]
        lo = max(low, rest - sum(b[1] for b in others))
        hi = min(high, rest - sum(b[0] for b in others))
        if lo == hi:
            return True
    return False


def suppress_lines(values: dict[Hashable, int], lines: Sequence[Line], k: int) -> SuppressedTable:
    """Primary suppression of every small cell, then complementary suppression until no line pins one."""
    hidden: dict[Hashable, Hidden] = {key: Hidden.PRIMARY for key, value in values.items() if is_small(value, k)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not pinned(line, values, hidden, k):
                continue
            candidates = [m for m in line.members if m not in hidden and values.get(m, 0) > 0]
            victim = min(candidates, key=lambda m: (values.get(m, 0), str(m))) if candidates else line.total
            hidden[victim] = Hidden.COMPLEMENTARY
            changed = True
    return SuppressedTable(k, values, hidden)


def total_pinned(line: Line, values: dict[Hashable, int], hidden: dict[Hashable, Hidden], k: int) -> bool:
    """Whether the public could work out this line's hidden total from its members (all visible, say)."""
    if line.total not in hidden:
        return False
    bounds = [_bounds(values.get(m, 0), hidden.get(m), k) for m in line.members]
    return sum(low for low, _high in bounds) == sum(high for _low, high in bounds)


def suppress_nested(values: dict[Hashable, int], lines: Sequence[Line], k: int) -> SuppressedTable:
    """`suppress_lines` for breakdowns of breakdowns, where a cell is a member of one line and the total of others.

    A total hidden as a member of one line could be added up from its own members: then the smallest
    visible non-zero member is hidden too, as for a pinned member.
    """
    table = suppress_lines(values, lines, k)
    hidden = dict(table.hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if total_pinned(line, values, hidden, k):
                candidates = [m for m in line.members if m not in hidden and values.get(m, 0) > 0]
                if candidates:  # else only k = 2 pins it, where "<2" is exactly one anyway
                    hidden[min(candidates, key=lambda m: (values.get(m, 0), str(m)))] = Hidden.COMPLEMENTARY
                    changed = True
            elif pinned(line, values, hidden, k):
                candidates = [m for m in line.members if m not in hidden and values.get(m, 0) > 0]
                victim = min(candidates, key=lambda m: (values.get(m, 0), str(m))) if candidates else line.total
                hidden[victim] = Hidden.COMPLEMENTARY
                changed = True
    return SuppressedTable(k, values, hidden)


def suppress_table(
    cells: dict[tuple[Hashable, Hashable], int],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    *,
    row_totals: dict[Hashable, int] | None = None,
    column_totals: bool = False,
    k: int | None = None,
) -> SuppressedTable:
    """Suppress a rows × columns table whose row totals (and, if asked, column and grand totals) are published.

    Row totals default to the sums of the rows; pass them when a row's cells are not all shown
    (the total then still counts every complaint, and the line is audited against it).
    Keys of the result: ``(r, c)`` cells, ``("row", r)``, ``("col", c)``, ``"total"``.
    """
    k = k or min_cell()
    values: dict[Hashable, int] = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    lines: list[Line] = []
    for r in rows:
        values[("row", r)] = row_totals[r] if row_totals is not None else sum(values[(r, c)] for c in columns)
        complete = row_totals is None or values[("row", r)] == sum(values[(r, c)] for c in columns)
        if complete:
            lines.append(Line([(r, c) for c in columns], ("row", r)))
    if column_totals:
        for c in columns:
            values[("col", c)] = sum(values[(r, c)] for r in rows)
            lines.append(Line([(r, c) for r in rows], ("col", c)))
        values["total"] = sum(values[("row", r)] for r in rows)
        lines.append(Line([("row", r) for r in rows], "total"))
        lines.append(Line([("col", c) for c in columns], "total"))
    return suppress_lines(values, lines, k)
