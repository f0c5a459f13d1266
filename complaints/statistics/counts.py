"""Reading the rollup: sums over a period's months for any cut, and the shared suppressed masters.

Every published count comes from here and passes through complaints.statistics.suppression.
The masters (platform × collector, platform × violation, collector × violation) are suppressed
once per period, so a cell shown on two pages (a platform's page and a collector's page) is
hidden or shown the same way on both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models.stats import ANY, StatCount
from complaints.statistics.dimensions import TRIAGE_DAYS
from complaints.statistics.memo import memoised
from complaints.statistics.periods import Period
from complaints.statistics.rollup import ALL_TIME_MONTH, Counts
from complaints.statistics.suppression import (
    Count,
    Hidden,
    Line,
    SuppressedTable,
    min_cell,
    published,
    suppress_lines,
)

EACH = "each"  # a filter value: every specific platform / collector / code, not the "any" rows
#: What a master counts: the public complaints, or those of them whose evidence an officer verified.
#: Each measure is suppressed on its own, with the same lines, so each is consistent across pages.
Measure = Literal["complaints", "verified"]


def _filter(column: Any, wanted: object, any_value: object) -> Any:
    if wanted == EACH:
        return column != any_value
    return column == wanted


def sums(
    period: Period,
    group_by: tuple[str, ...],
    *,
    platform: object = ANY,
    collector: object = ANY,
    code: object = "",
    dim: str = "",
    status: str | None = None,
) -> dict[tuple[Any, ...], Counts]:
    """Counts summed over the period's months and statuses, by group."""
    key = ("sums", period.key, group_by, platform, collector, code, dim, status)
    return memoised(key, lambda: _sums(period, group_by, platform, collector, code, dim, status))


def _sums(
    period: Period,
    group_by: tuple[str, ...],
    platform: object,
    collector: object,
    code: object,
    dim: str,
    status: str | None,
) -> dict[tuple[Any, ...], Counts]:
    columns = [getattr(StatCount, name) for name in group_by]
    query = (
        select(*columns, func.sum(StatCount.complaints), func.sum(StatCount.verified), func.sum(StatCount.referred))
        .where(
            _filter(StatCount.platform_id, platform, ANY),
            _filter(StatCount.collector_id, collector, ANY),
            _filter(StatCount.code, code, ""),
            StatCount.dim == dim,
        )
        .group_by(*columns)
    )
    if period.kind == "all" and "month" in group_by:
        query = query.where(StatCount.month != ALL_TIME_MONTH)
    elif period.kind == "all":
        query = query.where(StatCount.month == ALL_TIME_MONTH)
    else:
        query = query.where(StatCount.month.between(period.first, period.last))
    if status:
        query = query.where(StatCount.status == status)
    out: dict[tuple[Any, ...], Counts] = {}
    for row in db.session.execute(query):
        counts = Counts(*(int(x or 0) for x in row[len(group_by) :]))
        if counts.complaints:
            out[tuple(row[: len(group_by)])] = counts
    return out


@dataclass
class Master:
    """A suppressed two-way table shared by several pages."""

    table: SuppressedTable
    raw: dict[Hashable, int]
    rows: list[Any]
    columns: list[Any]
    #: Columns whose cells are not published at all (see `withhold_columns`).
    withheld: frozenset[Any] = frozenset()

    def get(self, key: Hashable) -> Count:
        """The published form of a cell, ``("row", r)``, ``("col", c)`` or ``"total"``."""
        if isinstance(key, tuple) and len(key) == 2 and key[0] != "row" and key[1] in self.withheld:
            return Count(None, Hidden.WITHHELD, self.table.k)
        return self.table.get(key)


def withhold_columns(table: SuppressedTable, columns: list[Any], shown_totals: Master) -> frozenset[Any]:
    """Columns whose total this table had to hide although `shown_totals` publishes it: withhold them whole."""
    return frozenset(
        c
        for c in columns
        if table.hidden.get(("col", c)) is Hidden.COMPLEMENTARY and shown_totals.get(("col", c)).hidden is None
    )


def _cached(name: str, period: Period, build: Any) -> Any:
    return memoised((name, period.key), build)


def platform_collector(period: Period, measure: Measure = "complaints") -> Master:
    """Platforms × collectors (with "no collector linked"); row totals, column totals and the grand total."""

    def build() -> Master:
        found = sums(period, ("platform_id", "collector_id"), platform=EACH, collector=EACH)
        cells = {(p, k): getattr(counts, measure) for (p, k), counts in found.items()}
        rows = sorted({p for p, _ in cells})
        columns = sorted({k for _, k in cells})
        values: dict[Hashable, int] = dict(cells)
        lines = []
        for p in rows:
            values[("row", p)] = sum(cells.get((p, k), 0) for k in columns)
            lines.append(Line([(p, k) for k in columns], ("row", p)))
        for k in columns:
            values[("col", k)] = sum(cells.get((p, k), 0) for p in rows)
            lines.append(Line([(p, k) for p in rows], ("col", k)))
        values["total"] = sum(cells.values())
        lines += [Line([("row", p) for p in rows], "total"), Line([("col", k) for k in columns], "total")]
        return Master(suppress_lines(values, lines, min_cell()), values, rows, columns)

    return _cached(f"platform_collector:{measure}", period, build)


def _by_code(period: Period, axis: str, measure: Measure) -> Master:
    """Platforms (or collectors) × violation codes; each code's column is audited against its total."""
    group = ("platform_id", "code") if axis == "platform" else ("collector_id", "code")
    filters = {"platform": EACH} if axis == "platform" else {"collector": EACH}
    found = sums(period, group, code=EACH, **filters)
    cells = {(e, c): getattr(counts, measure) for (e, c), counts in found.items()}
    code_totals = sums(period, ("code",), platform=EACH, code=EACH)
    totals = {c: getattr(counts, measure) for (c,), counts in code_totals.items()}
    rows = sorted({e for e, _ in cells})
    columns = sorted(totals)
    values: dict[Hashable, int] = dict(cells)
    lines = []
    for c in columns:
        values[("col", c)] = totals[c]
        lines.append(Line([(e, c) for e in rows], ("col", c)))
    master = Master(suppress_lines(values, lines, min_cell()), values, rows, columns)
    if axis != "platform":  # the code totals shown on violation pages come from platforms × codes
        master.withheld = withhold_columns(master.table, columns, platform_code(period, measure))
    return master


def platform_code(period: Period, measure: Measure = "complaints") -> Master:
    """Platforms × violation codes, shared by the platform pages and the violation pages."""
    return _cached(f"platform_code:{measure}", period, lambda: _by_code(period, "platform", measure))


def collector_code(period: Period, measure: Measure = "complaints") -> Master:
    """Collectors × violation codes, shared by the collector pages and the violation pages."""
    return _cached(f"collector_code:{measure}", period, lambda: _by_code(period, "collector", measure))


def line(cells: dict[Any, int], total: Count) -> dict[Any, Count] | None:
    """A one-way breakdown beside a published total, audited when its cells add up to the total.

    None when no choice of hidden cells protects a small count (the total would have to go, and it is
    published elsewhere): the whole breakdown is then withheld.
    """
    k = min_cell()
    values: dict[Hashable, int] = dict(cells)
    lines: list[Line] = []
    if total.hidden is None and total.value == sum(cells.values()):
        values["__total__"] = total.value
        lines.append(Line(list(cells), "__total__"))
    table = suppress_lines(values, lines, k)
    if "__total__" in table.hidden:
        return None
    return {key: table.get(key) for key in cells}


def non_additive(cells: dict[Any, int]) -> dict[Any, Count]:
    """A breakdown whose cells overlap (a complaint has several codes or channels): small counts hidden."""
    k = min_cell()
    return {key: published(value, k) for key, value in cells.items()}


def median_days(histogram: dict[int, int]) -> float | None:
    """The median of a days histogram, published only when at least k complaints are behind it."""
    total = sum(histogram.values())
    if total < min_cell():
        return None
    ordered = sorted(histogram.items())
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for days, n in ordered:
        for position in middle:
            if seen <= position < seen + n:
                found.append(days)
        seen += n
    return sum(found) / len(found)


def histograms(period: Period, group: str, **filters: Any) -> dict[Any, dict[int, int]]:
    """Days-to-triage histograms per platform or collector."""
    out: defaultdict[Any, dict[int, int]] = defaultdict(dict)
    for (entity, value), counts in sums(period, (group, "value"), dim=TRIAGE_DAYS.key, **filters).items():
        out[entity][int(value)] = counts.complaints
    return dict(out)


def dimension_code(period: Period, key: str, measure: Measure = "complaints") -> Master:
    """An additive dimension's values (provinces) × violation codes; each code's column is audited against its total.

    Only for a dimension whose values partition the complaints (one value each), as those with an
    aggregate dataset do: otherwise the cells of a column do not add up to the code's total.
    """

    def build() -> Master:
        found = sums(period, ("value", "code"), code=EACH, dim=key)
        cells = {(value, c): getattr(counts, measure) for (value, c), counts in found.items()}
        totals = platform_code(period, measure)
        rows = sorted({value for value, _ in cells})
        columns = totals.columns
        values: dict[Hashable, int] = dict(cells)
        lines = []
        for c in columns:
            values[("col", c)] = totals.raw[("col", c)]
            lines.append(Line([(value, c) for value in rows], ("col", c)))
        table = suppress_lines(values, lines, min_cell())
        withheld = withhold_columns(table, columns, totals)
        for c in columns:  # a code total hidden on the violation page stays hidden here
            if totals.table.hidden.get(("col", c)):
                table.hidden[("col", c)] = totals.table.hidden[("col", c)]
        return Master(table, values, rows, columns, withheld)

    return _cached(f"{key}_code:{measure}", period, build)
