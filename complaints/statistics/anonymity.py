"""k-anonymity of the complaint-level dataset: the quasi-identifier values each public complaint is published with.

The adversary (DOMAIN.md, "Consent and privacy") is a collector who knows, of each person he pursued,
the platform, himself (the collector and its kind), the province, the month, what he did (the violation
codes), how he did it (the channels) and the collection stage; or the platform itself, which also knows
of each complaint it was sent how it answered, whether in time, and whether the consumer settled or
disputed it. Those are the quasi-identifiers. The
published table must be k-anonymous over them, k = STATS_MIN_CELL: every combination of published
values occurs at least k times, so a collector who finds his victim's combination finds k rows at least
and cannot tell which is hers. Status joins them, so that a download filtered by status is still made of
whole classes. Days to triage, the resolution, the referrals and the narrative are not in the key.

How (top-down greedy, local recoding). Every quasi-identifier has a ladder of values from general to
exact (`LADDERS`): the platform and the collector, the collector kind, the stage, the channels and the
status are withheld (``*``) or exact; the month is its year, its quarter or the month; the province is
withheld, its region (GB/T 2260 prefix) or the province; the violation codes are withheld, the primary
code alone, or the whole set. All public complaints of one year start as one class, every attribute at
the bottom of its ladder; a year with fewer than k public complaints is withheld whole. Then each class
takes the refinement steps of `STEPS` in order, the most useful detail first: the platform (so that it
is withheld only where nothing else would do), then the primary code before the quarter and the full set
of codes before the month (the pages already count each platform's months; codes are the point of the
data), then status, region, collector kind, collector, province, stage and channels, and last the
platform's answers (whether in time, the response type, the consumer's review), so that adding them
never took detail from the other columns. A step splits a
class by the next rung of one attribute: each value shared by at least k rows of the class becomes a
class of its own, and the other rows stay together at the coarser value; should those be fewer than k,
rows of the smallest new class join them (as few as make k, while that class keeps k itself; else all of
it). A step that leaves nothing to split is skipped. So every class has at least k rows at every moment,
and each row meets each step once: the work grows with rows × steps, and the whole public set is
generalised at once (never a chunk, never a researcher's filter).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: What a withheld value reads in the CSV (as in the aggregate datasets).
WITHHELD = "*"

#: The seven regions of China by GB/T 2260 province code, as published: north 华北, northeast 东北, east 华东
#: (with Taiwan), central 华中, south 华南 (with Hong Kong and Macao), southwest 西南, northwest 西北.
REGIONS = {
    **dict.fromkeys(("11", "12", "13", "14", "15"), "north"),
    **dict.fromkeys(("21", "22", "23"), "northeast"),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "37", "71"), "east"),
    **dict.fromkeys(("41", "42", "43"), "central"),
    **dict.fromkeys(("44", "45", "46", "81", "82"), "south"),
    **dict.fromkeys(("50", "51", "52", "53", "54"), "southwest"),
    **dict.fromkeys(("61", "62", "63", "64", "65"), "northwest"),
}


class Facts(NamedTuple):
    """What the adversary may know of one public complaint: its quasi-identifiers, exact."""

    platform_id: int
    month: str  # YYYY-MM
    codes: str  # every code, primary first, space-separated
    primary: str  # the primary code, or "" when none is marked
    status: str
    province: str  # GB/T 2260 two-digit code, "" when not given
    kind: str  # collector kind
    collector_id: int | None  # None: no collector linked
    stage: str
    channels: str  # space-separated, sorted
    # What the platform knows of the complaints it was sent: how it answered, whether in time, what the
    # consumer said. Quasi-identifiers too, since the platform is the party a consumer may fear.
    response: str = ""  # the final response type, or in_progress; empty when not sent or unanswered
    timely: str = ""  # yes, no, or empty
    review: str = ""  # settled, disputed, or empty


#: A published combination: one value per quasi-identifier, in `Facts` order (the codes as a pair of
#: the codes' text and the primary code's).
Key = tuple[Any, ...]


def region(province: str) -> str:
    """The region of a province code; a province not given stays not given."""
    return REGIONS.get(province, WITHHELD) if province else ""


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _codes(facts: Facts, level: int) -> tuple[str, str]:
    if level == 0:
        return WITHHELD, WITHHELD
    if level == 1:
        return (facts.primary, facts.primary) if facts.primary else (WITHHELD, WITHHELD)
    return facts.codes, facts.primary


def _exact_or_withheld(index: int) -> Callable[[Facts, int], Any]:
    return lambda facts, level: facts[index] if level else WITHHELD


@dataclass(frozen=True)
class Ladder:
    """The published values of one quasi-identifier, from the most general rung (0) to the exact one."""

    column: str  # the dataset column it is published in
    rungs: tuple[str, ...]  # the names of the rungs below exact, for the report ("withheld", "year", …)
    value: Callable[[Facts, int], Any]

    @property
    def exact(self) -> int:
        """The rung of the exact value."""
        return len(self.rungs)


LADDERS: tuple[Ladder, ...] = (
    Ladder("platform_id", ("withheld",), _exact_or_withheld(0)),
    Ladder(
        "month_received",
        ("year", "quarter"),
        lambda f, level: f.month[:4] if level == 0 else _quarter(f.month) if level == 1 else f.month,
    ),
    Ladder("violation_codes", ("withheld", "primary_only"), _codes),
    Ladder("status", ("withheld",), _exact_or_withheld(4)),
    Ladder(
        "province",
        ("withheld", "region"),
        lambda f, level: WITHHELD if level == 0 else region(f.province) if level == 1 else f.province,
    ),
    Ladder("collector_kind", ("withheld",), _exact_or_withheld(6)),
    Ladder("collector_id", ("withheld",), _exact_or_withheld(7)),
    Ladder("stage", ("withheld",), _exact_or_withheld(8)),
    Ladder("channels", ("withheld",), _exact_or_withheld(9)),
    Ladder("platform_response", ("withheld",), _exact_or_withheld(10)),
    Ladder("timely_response", ("withheld",), _exact_or_withheld(11)),
    Ladder("consumer_review", ("withheld",), _exact_or_withheld(12)),
)
PLATFORM, MONTH, CODES, STATUS, PROVINCE, KIND, COLLECTOR, STAGE, CHANNELS, RESPONSE, TIMELY, REVIEW = range(
    len(LADDERS)
)

#: The refinements, in the order each class tries them: (quasi-identifier, the rung it moves up to).
STEPS: tuple[tuple[int, int], ...] = (
    (PLATFORM, 1),
    (CODES, 1),
    (MONTH, 1),
    (CODES, 2),
    (MONTH, 2),
    (STATUS, 1),
    (PROVINCE, 1),
    (KIND, 1),
    (COLLECTOR, 1),
    (PROVINCE, 2),
    (STAGE, 1),
    (CHANNELS, 1),
    # last: the platform's answers never cost the other columns their detail
    (TIMELY, 1),
    (RESPONSE, 1),
    (REVIEW, 1),
)


@dataclass
class Report:
    """What generalisation did to the public complaints, for the data dictionary and datapackage.json."""

    k: int
    #: Public complaints, and how many of them are in the dataset.
    rows: int = 0
    published: int = 0
    #: Rows published with every quasi-identifier exact.
    as_is: int = 0
    #: Rows withheld: their year had fewer than k public complaints, so no generalisation could hide them.
    withheld: int = 0
    #: Per dataset column, per rung below exact ("withheld", "year", "region", …): how many rows.
    generalised: dict[str, dict[str, int]] = field(default_factory=dict)
    #: How long the generalisation took, and reading the quasi-identifiers before it, in seconds.
    seconds: float = 0.0
    read_seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """The report as datapackage.json carries it."""
        return {
            "k": self.k,
            "quasi_identifiers": [ladder.column for ladder in LADDERS],
            "public_complaints": self.rows,
            "rows_published": self.published,
            "rows_published_as_is": self.as_is,
            "rows_generalised": self.published - self.as_is,
            "rows_generalised_by_column": self.generalised,
            "rows_withheld": self.withheld,
        }


@dataclass
class Plan:
    """The published quasi-identifiers of every public complaint (by complaint id), and the report."""

    published: dict[int, Key]
    report: Report
    #: The instant its deadlines were judged at (`statistics.answers.as_of`), when the caller says.
    as_of: Any = None


def generalise(groups: dict[Facts, list[int]], k: int) -> Plan:
    """Generalise every public complaint's quasi-identifiers until each published combination has ≥ k rows.

    ``groups``: the complaint ids of each distinct combination of exact quasi-identifiers (the whole
    public set). Complaints missing from the plan's ``published`` are withheld.
    """
    started = time.perf_counter()
    combos = list(groups)
    weight = [len(groups[f]) for f in combos]
    report = Report(k=max(1, k), rows=sum(weight))
    k = report.k
    first = (0,) * len(LADDERS)
    finals: list[tuple[list[int], tuple[int, ...]]] = []
    work: list[tuple[list[int], tuple[int, ...], int]] = []
    for members in _split(range(len(combos)), lambda i: combos[i].month[:4]).values():
        if sum(weight[i] for i in members) >= k:
            work.append((members, first, 0))
        else:
            report.withheld += sum(weight[i] for i in members)
    while work:
        members, levels, start = work.pop()
        for position in range(start, len(STEPS)):
            attribute, rung = STEPS[position]
            if levels[attribute] != rung - 1:
                continue
            value = LADDERS[attribute].value
            parts = _refine(_split(members, lambda i: value(combos[i], rung)), weight, k)  # noqa: B023
            if parts is None:
                continue
            finer, rest = parts
            raised = (*levels[:attribute], rung, *levels[attribute + 1 :])
            work.extend((part, raised, position + 1) for part in finer)
            if rest:
                work.append((rest, levels, position + 1))
            break
        else:
            finals.append((members, levels))
    published: dict[int, Key] = {}
    generalised: dict[str, dict[str, int]] = {ladder.column: defaultdict(int) for ladder in LADDERS}
    for members, levels in finals:
        key = tuple(ladder.value(combos[members[0]], level) for ladder, level in zip(LADDERS, levels, strict=True))
        for i in members:
            facts, exact = combos[i], True
            for ladder, level in zip(LADDERS, levels, strict=True):
                if level < ladder.exact and ladder.value(facts, level) != ladder.value(facts, ladder.exact):
                    generalised[ladder.column][ladder.rungs[level]] += weight[i]
                    exact = False
            report.as_is += weight[i] if exact else 0
            for complaint_id in groups[facts]:
                published[complaint_id] = key
    report.published = len(published)
    report.generalised = {column: dict(rungs) for column, rungs in generalised.items() if rungs}
    report.seconds = time.perf_counter() - started
    return Plan(published, report)


def _split(members: Iterable[int], value: Callable[[int], Hashable]) -> dict[Hashable, list[int]]:
    parts: dict[Hashable, list[int]] = {}
    for i in members:
        parts.setdefault(value(i), []).append(i)
    return parts


def _refine(parts: dict[Hashable, list[int]], weight: list[int], k: int) -> tuple[list[list[int]], list[int]] | None:
    """The new classes (values shared by ≥ k rows) and the rows left at the coarser value (none, or ≥ k);
    None when nothing can be split off.

    Rows left over that are fewer than k are joined by rows of the smallest new class: its latest
    combinations, as few as make them k while it keeps k itself, or else all of it (and then the next).
    """
    sized = sorted(((sum(weight[i] for i in rows), str(value), rows) for value, rows in parts.items()))
    finer = [rows for size, _value, rows in sized if size >= k]
    sizes = [size for size, _value, _rows in sized if size >= k]
    rest = [i for size, _value, rows in sized if size < k for i in rows]
    left = sum(weight[i] for i in rest)
    while finer and 0 < left < k:
        rows = finer[0]
        while rows and left < k and sizes[0] - weight[rows[-1]] >= k:
            sizes[0] -= weight[rows[-1]]
            left += weight[rows[-1]]
            rest.append(rows.pop())
        if left < k:  # it cannot give enough and keep k: all of it joins
            rest += rows
            left += sizes[0]
            del finer[0], sizes[0]
    if not finer:
        return None
    return finer, rest


def month_within(published: str, first: str, last: str) -> bool:
    """Whether a published month, quarter or year lies wholly within the months first…last (YYYY-MM)."""
    if len(published) == 4:  # a year
        low, high = f"{published}-01", f"{published}-12"
    elif published[5:6] == "Q":
        quarter = int(published[6])
        low, high = f"{published[:4]}-{3 * quarter - 2:02d}", f"{published[:4]}-{3 * quarter:02d}"
    else:
        low = high = published
    return first <= low and high <= last


def smallest_class(keys: Iterable[Key]) -> int:
    """The size of the smallest class among published combinations (0 for none): the table's k."""
    sizes: dict[Key, int] = defaultdict(int)
    for key in keys:
        sizes[key] += 1
    return min(sizes.values(), default=0)
