"""The published tables of the statistics pages, built from the rollup and suppressed; CSV and JSON reuse them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.core.database import MAX_ID
from complaints.core.i18n import current_language
from complaints.extensions import db
from complaints.models import ViolationType
from complaints.models.stats import ANY, UNLINKED
from complaints.publication import boundary
from complaints.statistics import answers as loop
from complaints.statistics import counts as stats
from complaints.statistics import dimensions
from complaints.statistics.dimensions import Breakdown
from complaints.statistics.periods import Period, known_months
from complaints.statistics.rollup import NO_COUNTS, Counts
from complaints.statistics.suppression import Count, Hidden, min_cell, published, share


@dataclass
class Row:
    """One line of a published table."""

    key: str
    label: str
    count: Count
    href: str | None = None
    #: Of those, complaints whose evidence an officer verified, suppressed on its own (None: not counted).
    evidence: Count | None = None


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label, the text beside its bar, and the bar's length in % of the widest.

    A hidden count is drawn, never as zero: a ``<k`` at the most it could be (k−1), a complementary
    ``—`` at the least (k), a withheld ``*`` as a stub; all marked ``hidden``, so the page hatches them
    and explains them in a legend.
    """

    label: str
    text: str
    length: float
    hidden: Hidden | None = None


@dataclass
class Table:
    """A breakdown table with its title, the name of its first column, and a chart kind."""

    id: str
    title: str
    column: str
    rows: list[Row]
    total: Count | None = None
    chart: str = "bar"
    note: str = ""
    withheld: bool = False

    def chart_data(self) -> dict[str, Any]:
        """Labels and values for Chart.js; hidden counts are gaps (null), never numbers."""
        values = [r.count.value for r in self.rows]
        return {"type": self.chart, "labels": [r.label for r in self.rows], "values": values, "title": self.title}

    def bars(self) -> list[Bar]:
        """The rows as bars, scaled to the largest count or bound shown."""
        k = self.rows[0].count.k if self.rows else min_cell()
        drawn = [_drawn(r.count) for r in self.rows]
        widest = max([k, *drawn])
        return [
            Bar(r.label, r.count.text, round(100 * length / widest, 2), r.count.hidden)
            for r, length in zip(self.rows, drawn, strict=True)
        ]

    def hidden_kinds(self) -> set[Hidden]:
        """Why some of its counts are hidden, for the chart's legend."""
        return {r.count.hidden for r in self.rows if r.count.hidden is not None}


def _drawn(count: Count) -> int:
    """The length a count is drawn at: its value, or for a hidden one the bound the public knows
    (a withheld one has none: the page draws it as a short marked stub)."""
    if count.hidden is Hidden.PRIMARY:
        return count.k - 1
    if count.hidden is Hidden.COMPLEMENTARY:
        return count.k
    return count.value or 0


@dataclass
class Entity:
    """Headline figures of a platform, a collector or a violation code."""

    kind: str
    key: str
    name: str
    total: Count
    #: Of those, complaints whose evidence an officer verified.
    evidence: Count = field(default_factory=lambda: published(0))
    verified: float | None = None
    referred: float | None = None
    median_days: float | None = None
    tables: list[Table] = field(default_factory=list)
    #: How the platform answers the complaints it was sent (platforms only).
    answers: loop.Answers | None = None


def platform_names() -> dict[int, str]:
    """Display names of the public platforms in the visitor's language (`publication.boundary`)."""
    return boundary.platform_names(current_language())


def collector_names() -> dict[int, str]:
    """Names of the public collectors, plus "no collector linked"."""
    names = boundary.collector_names()
    names[UNLINKED] = str(_l("No collector linked yet"))
    return names


def code_labels() -> dict[str, str]:
    """Violation labels in the visitor's language."""
    lang = current_language()
    return {v.code: v.label(lang) for v in db.session.scalars(select(ViolationType))}


def _to_code(period: Period) -> Any:
    return lambda c: url_for("stats.violation", code=c, period=period.key)


def _to_platform(period: Period) -> Any:
    return lambda p: url_for("stats.platform", platform_id=p, period=period.key)


def _to_collector(period: Period) -> Any:
    return lambda k: None if k == UNLINKED else url_for("stats.collector", collector_id=k, period=period.key)


def _ordered(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-(r.count.value if r.count.value is not None else -1), r.label))


def _rows(
    counts: dict[Any, Count], label: Any, href: Any = None, evidence: dict[Any, Count] | None = None
) -> list[Row]:
    """Rows of published counts, each with its evidence-backed count (withheld whole when ``evidence`` is None)."""
    return _ordered(
        [
            Row(str(key), label(key), count, href(key) if href else None, _backed(evidence, key, count.k))
            for key, count in counts.items()
        ]
    )


def _backed(evidence: dict[Any, Count] | None, key: Any, k: int) -> Count:
    if evidence is None:
        return Count(None, Hidden.WITHHELD, k)
    return evidence.get(key, published(0, k))


def _month_rows(period: Period, counts: dict[str, Counts], total: Count, evidence_total: Count) -> list[Row] | None:
    months = period.months(known_months())
    shown = stats.line({m: counts.get(m, NO_COUNTS).complaints for m in months}, total)
    backed = stats.line({m: counts.get(m, NO_COUNTS).verified for m in months}, evidence_total)
    if shown is None:
        return None
    return [Row(m, m, shown[m], evidence=_backed(backed, m, shown[m].k)) for m in months]


def _additive(table_id: str, title: str, column: str, rows: list[Row] | None, **kwargs: Any) -> Table:
    """A breakdown whose cells add up to the total; withheld whole when no suppression can protect it."""
    if rows is None:
        note = str(_l("Withheld: with so few complaints, any breakdown would reveal a small count."))
        return Table(table_id, title, column, [], note=note, withheld=True, **kwargs)
    return Table(table_id, title, column, rows, **kwargs)


def _dimension_table(
    table_id: str, shape: Breakdown, cells: dict[str, Counts], total: Count, evidence_total: Count
) -> Table:
    """A dimension's table: audited against the total when additive, else with its small cells hidden.

    Its evidence-backed counts are audited the same way against the evidence-backed total.
    """
    title, column = str(shape.title), str(shape.column)
    complaints = {key: c.complaints for key, c in cells.items()}
    verified = {key: c.verified for key, c in cells.items()}
    if shape.additive:
        shown = stats.line(complaints, total)
        rows = None if shown is None else _rows(shown, shape.label, evidence=stats.line(verified, evidence_total))
        table = _additive(table_id, title, column, rows)
        if shape.note and not table.withheld:
            table.note = str(shape.note)
        return table
    rows = _rows(stats.non_additive(complaints), shape.label, evidence=stats.non_additive(verified))
    return Table(table_id, title, column, rows, note=str(shape.note))


def _breakdowns(period: Period, total: Count, evidence_total: Count, **cut: Any) -> list[Table]:
    """The registered dimensions' tables and the month table for one platform, collector or code, in page order."""

    def by(dim: str) -> dict[str, Counts]:
        return {key[0]: counts for key, counts in stats.sums(period, ("value",), dim=dim, **cut).items()}

    month_cut = dict(cut)
    if cut.get("platform", ANY) == ANY:
        month_cut["platform"] = stats.EACH
    months = {key[0]: counts for key, counts in stats.sums(period, ("month",), **month_cut).items()}
    month_table = _additive(
        "by_month",
        str(_l("By month received")),
        str(_l("Month")),
        _month_rows(period, months, total, evidence_total),
        chart="line",
    )
    (kind,) = cut  # platform=, collector= or code=: the cut, in the registry's words
    placed = [
        (d.breakdown.position, _dimension_table(d.table_id, d.breakdown, by(d.key), total, evidence_total))
        for d in dimensions.on_pages(kind)
        if d.breakdown is not None
    ]
    placed.append((dimensions.MONTH_POSITION, month_table))
    return [table for _position, table in sorted(placed, key=lambda pair: pair[0])]


def _shares(counts: Counts, evidence: Count) -> tuple[float | None, float | None]:
    """The shares with verified evidence and referred, of these counts; none beside a hidden evidence count."""
    verified = share(counts.verified, counts.complaints) if evidence.hidden is None else None
    return verified, share(counts.referred, counts.complaints)


def _headline(
    period: Period, total: Count, evidence: Count, **cut: Any
) -> tuple[float | None, float | None, float | None]:
    counts = stats.sums(period, (), **cut).get((), NO_COUNTS)
    days = stats.sums(period, ("value",), dim=dimensions.TRIAGE_DAYS.key, **cut)
    hist = {int(key[0]): found.complaints for key, found in days.items()}
    if total.hidden is not None:
        return None, None, None
    return *_shares(counts, evidence), stats.median_days(hist)


def _line_of(
    master: stats.Master, backed: stats.Master, cells: list[Any], pick: Any
) -> tuple[dict[Any, Count], dict[Any, Count]]:
    """The given cells of a master (those with any complaint) by ``pick(cell)``, and their evidence-backed counts."""
    live = [cell for cell in cells if master.raw.get(cell)]
    return {pick(c): master.get(c) for c in live}, {pick(c): backed.get(c) for c in live}


def platform_page(period: Period, platform_id: int) -> Entity:
    """Everything published about one platform in a period."""
    master, backed = stats.platform_collector(period), stats.platform_collector(period, "verified")
    present = platform_id in master.rows
    total = master.get(("row", platform_id)) if present else published(0)
    evidence = backed.get(("row", platform_id)) if present else published(0)
    codes, codes_backed = stats.platform_code(period), stats.platform_code(period, "verified")
    collectors, code_names = collector_names(), code_labels()
    entity = Entity("platform", str(platform_id), platform_names().get(platform_id, "?"), total, evidence)
    entity.verified, entity.referred, entity.median_days = _headline(period, total, evidence, platform=platform_id)
    entity.answers = loop.for_platform(period, platform_id)
    by_code = _line_of(codes, codes_backed, [(platform_id, c) for c in codes.columns], lambda cell: cell[1])
    by_collector = _line_of(master, backed, [(platform_id, k) for k in master.columns], lambda cell: cell[1])
    entity.tables = [
        Table(
            "by_violation",
            str(_l("By violation")),
            str(_l("Violation")),
            _rows(by_code[0], lambda c: f"{c} {code_names.get(c, '')}", _to_code(period), by_code[1]),
            note=str(_l("A complaint can carry several violation codes.")),
        ),
        Table(
            "by_collector",
            str(_l("By collector")),
            str(_l("Collector")),
            _rows(by_collector[0], lambda k: collectors.get(k, "?"), _to_collector(period), by_collector[1]),
        ),
        *_breakdowns(period, total, evidence, platform=platform_id),
    ]
    return entity


def collector_page(period: Period, collector_id: int) -> Entity:
    """Everything published about one collector in a period."""
    master, backed = stats.platform_collector(period), stats.platform_collector(period, "verified")
    present = collector_id in master.columns
    total = master.get(("col", collector_id)) if present else published(0)
    evidence = backed.get(("col", collector_id)) if present else published(0)
    codes, codes_backed = stats.collector_code(period), stats.collector_code(period, "verified")
    platforms, code_names = platform_names(), code_labels()
    entity = Entity("collector", str(collector_id), collector_names().get(collector_id, "?"), total, evidence)
    counts = stats.sums(period, (), platform=stats.EACH, collector=collector_id).get((), NO_COUNTS)
    if total.hidden is None:
        entity.verified, entity.referred = _shares(counts, evidence)
    by_code = _line_of(codes, codes_backed, [(collector_id, c) for c in codes.columns], lambda cell: cell[1])
    by_platform = _line_of(master, backed, [(p, collector_id) for p in master.rows], lambda cell: cell[0])
    entity.tables = [
        Table(
            "by_violation",
            str(_l("By violation")),
            str(_l("Violation")),
            _rows(by_code[0], lambda c: f"{c} {code_names.get(c, '')}", _to_code(period), by_code[1]),
            note=str(_l("A complaint can carry several violation codes.")),
        ),
        Table(
            "by_platform",
            str(_l("By platform")),
            str(_l("Platform")),
            _rows(by_platform[0], lambda p: platforms.get(p, "?"), _to_platform(period), by_platform[1]),
        ),
        *_breakdowns(period, total, evidence, collector=collector_id),
    ]
    return entity


def violation_page(period: Period, code: str) -> Entity:
    """Everything published about one violation code in a period."""
    by_platform, by_collector = stats.platform_code(period), stats.collector_code(period)
    platform_backed = stats.platform_code(period, "verified")
    collector_backed = stats.collector_code(period, "verified")
    present = code in by_platform.columns
    total = by_platform.get(("col", code)) if present else published(0)
    evidence = platform_backed.get(("col", code)) if present else published(0)
    platforms, collectors = platform_names(), collector_names()
    entity = Entity("violation", code, f"{code} {code_labels().get(code, '')}", total, evidence)
    counts = stats.sums(period, (), platform=stats.EACH, code=code).get((), NO_COUNTS)
    if total.hidden is None:
        entity.verified, entity.referred = _shares(counts, evidence)
    on_platforms = _line_of(by_platform, platform_backed, [(p, code) for p in by_platform.rows], lambda c: c[0])
    on_collectors = _line_of(by_collector, collector_backed, [(k, code) for k in by_collector.rows], lambda c: c[0])
    entity.tables = [
        Table(
            "by_platform",
            str(_l("By platform")),
            str(_l("Platform")),
            _rows(on_platforms[0], lambda p: platforms.get(p, "?"), _to_platform(period), on_platforms[1]),
        ),
        Table(
            "by_collector",
            str(_l("By collector")),
            str(_l("Collector")),
            _rows(on_collectors[0], lambda k: collectors.get(k, "?"), _to_collector(period), on_collectors[1]),
        ),
        *_breakdowns(period, total, evidence, code=code),
    ]
    return entity


def entity_page(period: Period, kind: str, key: int | str | None) -> Entity | None:
    """The page of a platform, a collector (UNLINKED: complaints with none linked) or a violation code;
    None when no such one exists. Pages, CSV links and the API share this rule."""
    if kind == "violation":
        return violation_page(period, key) if isinstance(key, str) and db.session.get(ViolationType, key) else None
    if not isinstance(key, int) or not UNLINKED <= key <= MAX_ID:
        return None
    if kind == "platform" and boundary.public_platform(key):
        return platform_page(period, key)
    if kind == "collector" and (key == UNLINKED or boundary.public_collector(key)):
        return collector_page(period, key)
    return None


@dataclass
class PlatformSummary:
    """One line of the statistics home."""

    platform_id: int
    name: str
    count: Count
    share: float | None
    top_codes: list[tuple[str, str]]
    verified: float | None
    referred: float | None
    median_days: float | None
    trend: list[int | None]
    #: Of its complaints, those whose evidence an officer verified.
    evidence: Count = field(default_factory=lambda: published(0))
    #: Of the complaints sent to it whose deadline came, the share it answered in time; of its final
    #: answers, the share consumers disputed; the median days from sending to the final answer.
    answered_in_time: float | None = None
    disputed: float | None = None
    median_days_to_answer: float | None = None


def evidence_total(period: Period) -> Count:
    """All public complaints of the period whose evidence an officer verified (the home's grand total beside)."""
    return stats.platform_collector(period, "verified").get("total")


def home(period: Period) -> tuple[list[PlatformSummary], Count, list[str]]:
    """Every platform with public complaints in the period, the grand total, and the trend's months."""
    master, codes = stats.platform_collector(period), stats.platform_code(period)
    backed = stats.platform_collector(period, "verified")
    names, code_names = platform_names(), code_labels()
    flags = stats.sums(period, ("platform_id",), platform=stats.EACH)
    hists = stats.histograms(period, "platform_id", platform=stats.EACH)
    answered = loop.platform_answers(period)
    months = period.months(known_months())
    monthly = stats.sums(period, ("platform_id", "month"), platform=stats.EACH)
    grand = master.get("total")
    k = min_cell()
    out = []
    for p in master.rows:
        count, evidence = master.get(("row", p)), backed.get(("row", p))
        counts = flags.get((p,), NO_COUNTS)
        visible = count.hidden is None
        top = sorted(
            (
                (codes.raw.get((p, c), 0), c)
                for c in codes.columns
                if codes.get((p, c)).hidden is None and codes.raw.get((p, c), 0) >= k
            ),
            reverse=True,
        )[:3]
        trend_counts = stats.line({m: monthly.get((p, m), NO_COUNTS).complaints for m in months}, count)
        figures = answered[p]
        out.append(
            PlatformSummary(
                p,
                names.get(p, "?"),
                count,
                share(master.raw[("row", p)], master.raw["total"]) if visible and grand.hidden is None else None,
                [(c, code_names.get(c, c)) for _n, c in top],
                share(counts.verified, counts.complaints) if visible and evidence.hidden is None else None,
                share(counts.referred, counts.complaints) if visible else None,
                stats.median_days(hists.get(p, {})) if visible else None,
                [trend_counts[m].value for m in months] if trend_counts else [None for _m in months],
                evidence,
                figures.share_in_time,
                figures.share_disputed,
                figures.median_days,
            )
        )
    return out, grand, months
