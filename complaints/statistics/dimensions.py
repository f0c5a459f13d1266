"""The registry of statistics dimensions: every breakdown the rollup counts besides month, platform, collector and code.

One entry says, for one dimension, what the rollup stores (the ``dim`` of its `stat_counts` rows, the
values one public complaint counts under, which cuts hold it, whether it is split by status) and how
it is published (its table on the pages, whose id also names its CSV download and its JSON breakdown;
its aggregate dataset, if it has one). `rollup.contributions`, `recompute.expected_sql`, `counts`,
`tables`, `aggregates` and `datasets` all read it.

Adding a dimension: an entry in `DIMENSIONS`, and its SQL in ``recompute.DIMENSION_SQL`` (the rebuild
is the independent second statement of the rollup, so it stays hand-written; a test fails naming
that file when a dimension has none). Then ``flask rebuild-stats`` on a deployment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from complaints.core import labels
from complaints.core.i18n import current_language
from complaints.directory.reference_data import province_name

#: The cuts a dimension can be counted under: per platform, per collector, per violation code.
PLATFORM, COLLECTOR, CODE = "platform", "collector", "code"
EVERY_CUT = frozenset({PLATFORM, COLLECTOR, CODE})
#: The outcome value of a complaint with no referral.
NOT_REFERRED = "not_referred"
#: Where the month table stands among the dimensions' tables (month is a key column, not a dimension).
MONTH_POSITION = 30

#: What the rollup knows of one public complaint (see ``rollup._facts``).
Facts = dict[str, Any]


@dataclass(frozen=True)
class Breakdown:
    """How a dimension is published on the platform, collector and violation pages (and in their CSV and JSON)."""

    #: The table's title and the name of its first column (lazy strings: the visitor's language).
    title: Any
    column: Any
    #: The label of one value, in the visitor's language.
    label: Callable[[str], str]
    #: Each complaint counts under exactly one value, so the cells add up to the page's total and are
    #: audited against it (`counts.line`); otherwise a complaint may count under several values and
    #: only small cells are hidden (`counts.non_additive`).
    additive: bool
    #: Its place on the page, ascending (the month table is at MONTH_POSITION).
    position: int
    note: Any = ""


@dataclass(frozen=True)
class Dimension:
    """One breakdown of the rollup: its ``dim`` key, the values a complaint counts under, where it is published."""

    #: The ``dim`` of its `stat_counts` rows and its key in ``recompute.DIMENSION_SQL``.
    key: str
    #: The values one public complaint counts under (distinct), from its facts.
    values: Callable[[Facts], Sequence[str]]
    #: Which cuts the rollup holds it under (pages of platforms, collectors, violation codes).
    cuts: frozenset[str] = EVERY_CUT
    #: Whether its cells are split by complaint status (else counted with status "").
    by_status: bool = False
    #: Complaint attributes it reads: a change to one moves the rollup (``rollup.WATCHED``), and one that
    #: is not yet among the facts is loaded into them under its own name.
    reads: tuple[str, ...] = ()
    #: Its table on the pages, if it has one.
    breakdown: Breakdown | None = None
    #: The description of its column in the aggregate dataset ``counts-<key>-violation`` (additive
    #: dimensions only); empty: no such dataset.
    dataset: Any = ""

    @property
    def table_id(self) -> str:
        """The id of its table: in the page's anchors, the CSV download's URL and the JSON's breakdowns."""
        return f"by_{self.key}"


OUTCOME_LABELS = {**labels.REFERRAL_STATUSES, NOT_REFERRED: _l("Not referred")}


def _channel_label(code: str) -> str:
    return labels.label(labels.CHANNELS, code)


def _province_label(code: str) -> str:
    return province_name(code, current_language()) or str(_l("Not given"))


def _outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


CHANNEL = Dimension(
    "channel",
    lambda facts: facts["channels"],
    reads=("channels",),
    breakdown=Breakdown(
        _l("By channel"),
        _l("Channel"),
        _channel_label,
        additive=False,
        position=10,
        note=_l("A complaint can name several channels."),
    ),
)
PROVINCE = Dimension(
    "province",
    lambda facts: [facts["province"] or "none"],
    reads=("province",),
    breakdown=Breakdown(_l("By province"), _l("Province"), _province_label, additive=True, position=20),
    dataset=_l("Province code (GB/T 2260 two-digit prefix); “none” when not given."),
)
OUTCOME = Dimension(
    "outcome",
    lambda facts: facts["outcomes"],
    breakdown=Breakdown(
        _l("By referral outcome"),
        _l("Referral outcome"),
        _outcome_label,
        additive=False,
        position=40,
        note=_l("A complaint referred to several regulators counts once per outcome."),
    ),
)
#: Days from filing to acceptance: no table of its own, the median days to triage of a platform.
TRIAGE_DAYS = Dimension(
    "triage_days",
    lambda facts: [str(facts["days"])],
    cuts=frozenset({PLATFORM}),
    reads=("submitted_at", "accepted_at"),
)

# --- the platform response loop (casework.platform_loop): what a platform did with what it was sent ---------

#: `answer` values: sent to the platform; every answer before its deadline ("timely"); some answer after
#: it ("late"); a final answer given; what the consumer said of it. A complaint counts under several.
SENT, TIMELY, LATE, ANSWERED, SETTLED, DISPUTED = "sent", "timely", "late", "answered", "settled", "disputed"
#: The ``value`` of a response type in `stat_counts` (16 characters at most, so the table keeps its width).
RESPONSE_CELLS = {
    "monetary_relief": "monetary",
    "non_monetary_relief": "non_monetary",
    "explanation": "explanation",
    "not_our_customer": "not_customer",
    "in_progress": "in_progress",
}
#: Days from sending to the final answer above this are counted in this bucket.
MAX_ANSWER_DAYS = 365


def answer_flags(facts: Facts) -> list[str]:
    """The `answer` values of a public complaint: nothing unless it was sent to its platform (facts without the
    loop's columns are of a complaint never sent)."""
    if facts.get("sent_to_platform_at") is None:
        return []
    flags = [SENT]
    if facts["platform_timely"] is True:
        flags.append(TIMELY)
    elif facts["platform_timely"] is False:
        flags.append(LATE)
    if facts["platform_answered_at"] is not None:
        flags.append(ANSWERED)
    if facts["consumer_review"] in (SETTLED, DISPUTED):
        flags.append(facts["consumer_review"])
    return flags


def current_response(facts: Facts) -> list[str]:
    """The response a sent complaint stands at: its final answer's type, or "in progress"; none while unanswered.

    ``facts["response"]`` is the type of its latest answer: after being sent again (the officer corrected a
    "not our customer"), an answer older than the new sending no longer counts until the platform answers.
    """
    if facts.get("sent_to_platform_at") is None or not facts.get("response"):
        return []
    if facts["platform_answered_at"] is None and facts["platform_stage"] != "in_progress":
        return []
    return [RESPONSE_CELLS[facts["response"]]]


def answer_days(sent: dt.datetime, answered: dt.datetime) -> int:
    """Whole days from sending to the final answer, capped at MAX_ANSWER_DAYS."""
    seconds = (answered - sent).total_seconds()
    return max(0, min(MAX_ANSWER_DAYS, int(seconds // 86400)))


def _answer_days(facts: Facts) -> list[str]:
    if facts.get("sent_to_platform_at") is None or facts["platform_answered_at"] is None:
        return []
    return [str(answer_days(facts["sent_to_platform_at"], facts["platform_answered_at"]))]


_LOOP_READS = ("platform_stage", "sent_to_platform_at", "platform_answered_at", "platform_timely", "consumer_review")
#: The loop's progress per platform: no table of its own, the "How the platform answers" section.
ANSWER = Dimension("answer", answer_flags, cuts=frozenset({PLATFORM}), reads=_LOOP_READS)
#: The response type each sent complaint stands at (one value each, or none while unanswered).
RESPONSE = Dimension("response", current_response, cuts=frozenset({PLATFORM}), reads=_LOOP_READS)
#: Days from sending to the final answer: the median days to answer of a platform.
ANSWER_DAYS = Dimension("answer_days", _answer_days, cuts=frozenset({PLATFORM}), reads=_LOOP_READS)

#: Every dimension, in the order the rollup and the datasets list them.
DIMENSIONS: tuple[Dimension, ...] = (CHANNEL, PROVINCE, OUTCOME, TRIAGE_DAYS, ANSWER, RESPONSE, ANSWER_DAYS)


def registered() -> tuple[Dimension, ...]:
    """The dimensions, read at call time (a test may register one more)."""
    return DIMENSIONS


def on_pages(cut: str) -> list[Dimension]:
    """The dimensions with a table on the pages of this cut, in page order."""
    shown = [d for d in registered() if d.breakdown is not None and cut in d.cuts]
    return sorted(shown, key=lambda d: d.breakdown.position if d.breakdown else 0)


def with_dataset() -> list[Dimension]:
    """The dimensions with an aggregate dataset (period × value × violation code)."""
    return [d for d in registered() if d.dataset]


def by_key(key: str) -> Dimension:
    """The registered dimension with this key."""
    return next(d for d in registered() if d.key == key)
