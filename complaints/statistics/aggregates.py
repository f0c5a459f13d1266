"""The aggregate datasets: period × platform (or collector, or a dimension) × violation, suppressed like the pages."""

from __future__ import annotations

from collections.abc import Iterator

from complaints.statistics import counts as stats
from complaints.statistics.datasets import COUNT_COLUMNS
from complaints.statistics.periods import Period, available_periods, known_months
from complaints.statistics.tables import collector_names, platform_names

EVERY = ("all", "year", "quarter", "month")


def buckets(every: str, within: Period) -> list[Period]:
    """The fixed periods of one kind that fall inside a period (all time: just itself)."""
    if every == "all":
        return [within]
    return [p for p in available_periods(known_months()) if p.kind == every and within.first <= p.first <= within.last]


def count_rows(by: str, every: str, within: Period, code: str | None = None) -> Iterator[list[object]]:
    """Rows of an aggregate dataset, in COUNT_COLUMNS[by] order."""
    named = {"platform": (stats.platform_code, platform_names), "collector": (stats.collector_code, collector_names)}
    names = named[by][1]() if by in named else None  # a dimension's values (provinces) have no name column
    for period in buckets(every, within):
        master = named[by][0](period) if by in named else stats.dimension_code(period, by)
        backed = named[by][0](period, "verified") if by in named else stats.dimension_code(period, by, "verified")
        for entity in master.rows:
            for c in master.columns:
                if (code and c != code) or not master.raw.get((entity, c)):
                    continue
                shown, evidence = master.get((entity, c)).text, backed.get((entity, c)).text
                if names is None:
                    yield [period.key, entity, c, shown, evidence]
                else:
                    yield [period.key, entity, names.get(entity, ""), c, shown, evidence]


def header(by: str) -> list[str]:
    """Column names of an aggregate dataset."""
    return [column.name for column in COUNT_COLUMNS[by]]
