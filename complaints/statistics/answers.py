"""The public figures of the platform response loop: per platform, what it did with the complaints it was sent.

Over the same public complaints as every count, of the period's months received: how many were sent
to the platform; how many it answered in time, how many not (an answer after its deadline, or a
deadline that passed without one), how many are not due yet; its answers by response type; and of
its final answers (other than "not our customer"), how many the consumer settled or disputed. With
the share answered in time, the share disputed and the median days from sending to the final answer.

Everything is counted by the rollup as the loop writes it (the ``answer``, ``response`` and
``answer_days`` dimensions), except a deadline passing without an answer: that happens with time
alone, without a write. It is counted when read (`overdue_counts`), by an indexed query on
(``platform_stage``, ``platform_answer_due_at``) that only meets complaints still waiting, as of the
start of the current hour (`as_of`), so the figures and their ETags (`stats.caching`) change at most
once an hour without a write, and every reader in that hour sees the same numbers.

The cells form one table of nested lines (sent + not sent = the platform's complaints; in time + not
in time + not due = sent; the response types + no answer yet = sent; settled + disputed + not
reviewed = the answers the consumer could review), suppressed together (`suppression.suppress_nested`);
should the platform's own total have to be hidden to protect them, the whole section is withheld.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from complaints.core import clock
from complaints.extensions import db
from complaints.models import Complaint, PlatformStage
from complaints.statistics import counts as stats
from complaints.statistics import dimensions
from complaints.statistics.dimensions import ANSWER, ANSWER_DAYS, RESPONSE
from complaints.statistics.memo import memoised
from complaints.statistics.periods import Period, received_in
from complaints.statistics.rollup import public_clause
from complaints.statistics.suppression import Count, Hidden, Line, min_cell, share, suppress_nested

TOTAL, NOT_SENT, SENT = "total", "not_sent", "sent"
IN_TIME, NOT_IN_TIME, NOT_DUE = "in_time", "not_in_time", "not_due"
#: The response types as the rollup stores them, final ones first, then "in progress"; and no answer yet.
FINAL_TYPES = ("monetary", "non_monetary", "explanation", "not_customer")
TYPES = (*FINAL_TYPES, "in_progress")
NO_ANSWER = "no_answer"
#: Final answers the consumer may settle or dispute (a "not our customer" goes back to an officer).
REVIEWABLE_TYPES = ("monetary", "non_monetary", "explanation")
REVIEWABLE, SETTLED, DISPUTED, NOT_REVIEWED = "reviewable", "settled", "disputed", "not_reviewed"
#: Every published cell of the section, in page order.
CELLS = (SENT, IN_TIME, NOT_IN_TIME, NOT_DUE, *TYPES, NO_ANSWER, REVIEWABLE, SETTLED, DISPUTED, NOT_REVIEWED)
LINES = (
    Line([SENT, NOT_SENT], TOTAL),
    Line([IN_TIME, NOT_IN_TIME, NOT_DUE], SENT),
    Line([*TYPES, NO_ANSWER], SENT),
    Line(list(REVIEWABLE_TYPES), REVIEWABLE),
    Line([SETTLED, DISPUTED, NOT_REVIEWED], REVIEWABLE),
)
WAITING = (PlatformStage.AWAITING.value, PlatformStage.IN_PROGRESS.value)

#: What each cell counts, in the reader's language (pages, CSV and JSON).
LABELS = {
    SENT: _l("Sent to the platform"),
    IN_TIME: _l("Answered in time"),
    NOT_IN_TIME: _l("Not answered in time (a late answer, or the deadline passed without one)"),
    NOT_DUE: _l("Deadline not reached yet, or closed before it"),
    "monetary": _l("Monetary relief (money back, debt reduced)"),
    "non_monetary": _l("Non-monetary relief (collection stopped, record corrected, apology)"),
    "explanation": _l("Explanation only"),
    "not_customer": _l("Says the consumer is not its customer"),
    "in_progress": _l("In progress (no final answer yet)"),
    NO_ANSWER: _l("No answer yet"),
    REVIEWABLE: _l("Final answers the consumer could review"),
    SETTLED: _l("Settled, says the consumer"),
    DISPUTED: _l("Disputed by the consumer"),
    NOT_REVIEWED: _l("Not reviewed"),
}
#: The section's tables: (id, title, cells), on the platform's page in this order.
GROUPS = (
    ("timeliness", _l("Answered in time?"), (SENT, IN_TIME, NOT_IN_TIME, NOT_DUE)),
    ("response_type", _l("By response type"), (*TYPES, NO_ANSWER)),
    ("review", _l("What consumers said of the final answers"), (REVIEWABLE, SETTLED, DISPUTED, NOT_REVIEWED)),
)


def as_of() -> dt.datetime:
    """The instant the read-time figure (deadlines passed without an answer) is counted at: this hour's start."""
    return clock.utc_now().replace(minute=0, second=0, microsecond=0)


@dataclass
class Answers:
    """The published figures of one platform's answers in one period."""

    cells: dict[str, Count]
    share_in_time: float | None = None
    share_disputed: float | None = None
    median_days: float | None = None
    #: Withheld whole: protecting its small counts would have hidden the platform's published total.
    withheld: bool = False
    raw: dict[Hashable, int] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> Count:
        """The published form of one cell (`CELLS`)."""
        return self.cells[key]

    @property
    def sent_any(self) -> bool:
        """Whether any complaint of the period was sent to the platform (else the page says so)."""
        return self.raw.get(SENT, 0) > 0


def overdue_counts(period: Period, moment: dt.datetime) -> dict[int, int]:
    """Per platform, public complaints of the period whose deadline passed at `moment` with no answer due
    then given: still waiting (or closed after the deadline), and not already counted late by the rollup."""
    c = Complaint
    query = (
        select(c.platform_id, func.count())
        .where(
            c.platform_stage.in_(WAITING),
            c.platform_answer_due_at < moment,
            c.platform_timely.is_(None),
            c.sent_to_platform_at.is_not(None),
            public_clause(c),
            # a complaint closed before its deadline could no longer be answered: it was never overdue
            or_(c.closed_at.is_(None), c.platform_answer_due_at < c.closed_at),
        )
        .group_by(c.platform_id)
    )
    query = query.where(*received_in(period, c.submitted_at))
    return {int(p): int(n) for p, n in db.session.execute(query) if p is not None}


def overdue_at(
    stage: str, timely: bool | None, due: dt.datetime | None, closed: dt.datetime | None, moment: dt.datetime
) -> bool:
    """`overdue_counts`' rule for one complaint: its deadline passed at `moment`, unanswered, while it was open."""
    return stage in WAITING and timely is None and due is not None and due < moment and (closed is None or due < closed)


#: The dataset's ``timely_response`` values.
YES, NO = "yes", "no"
#: The full response type of each rollup value (the dataset publishes the type as the loop names it).
RESPONSE_TYPES = {cell: kind for kind, cell in dimensions.RESPONSE_CELLS.items()}


def dataset_values(
    facts: dict[str, object], due: dt.datetime | None, closed: dt.datetime | None, moment: dt.datetime
) -> tuple[str, str, str]:
    """A public complaint's ``platform_response``, ``timely_response`` and ``consumer_review``, as the figures count
    them: its current response type (`dimensions.current_response`), "no" also for a deadline passed unanswered."""
    response = dimensions.current_response(facts)
    sent = facts.get("sent_to_platform_at") is not None
    timely = facts.get("platform_timely")
    if not sent:
        on_time = ""
    elif timely is True:
        on_time = YES
    elif timely is False or overdue_at(str(facts["platform_stage"]), None, due, closed, moment):
        on_time = NO
    else:
        on_time = ""
    review = str(facts.get("consumer_review") or "") if sent else ""
    return (RESPONSE_TYPES[response[0]] if response else "", on_time, review if review in (SETTLED, DISPUTED) else "")


def _raw_cells(total: int, flags: dict[str, int], responses: dict[str, int], overdue: int) -> dict[Hashable, int]:
    """Every cell's exact count, from the rollup's values and the overdue count."""
    sent = flags.get(dimensions.SENT, 0)
    in_time, not_in_time = flags.get(dimensions.TIMELY, 0), flags.get(dimensions.LATE, 0) + overdue
    reviewable = sum(responses.get(t, 0) for t in REVIEWABLE_TYPES)
    settled, disputed = flags.get(dimensions.SETTLED, 0), flags.get(dimensions.DISPUTED, 0)
    return {
        TOTAL: total,
        NOT_SENT: total - sent,
        SENT: sent,
        IN_TIME: in_time,
        NOT_IN_TIME: not_in_time,
        NOT_DUE: sent - in_time - not_in_time,
        **{t: responses.get(t, 0) for t in TYPES},
        NO_ANSWER: sent - sum(responses.get(t, 0) for t in TYPES),
        REVIEWABLE: reviewable,
        SETTLED: settled,
        DISPUTED: disputed,
        NOT_REVIEWED: reviewable - settled - disputed,
    }


def _published(raw: dict[Hashable, int], total: Count, histogram: dict[int, int], k: int) -> Answers:
    """Suppress one platform's cells together, and the shares and median they allow."""
    if total.hidden is not None:
        return Answers({key: Count(None, Hidden.WITHHELD, k) for key in CELLS}, withheld=True, raw=raw)
    table = suppress_nested(raw, LINES, k)
    if TOTAL in table.hidden:
        return Answers({key: Count(None, Hidden.WITHHELD, k) for key in CELLS}, withheld=True, raw=raw)
    cells = {key: table.get(key) for key in CELLS}

    def visible(*keys: str) -> bool:
        return all(cells[key].hidden is None for key in keys)

    decided = raw[IN_TIME] + raw[NOT_IN_TIME]
    return Answers(
        cells,
        share_in_time=share(raw[IN_TIME], decided, k) if visible(IN_TIME, NOT_IN_TIME) else None,
        share_disputed=share(raw[DISPUTED], raw[REVIEWABLE], k) if visible(DISPUTED, REVIEWABLE) else None,
        median_days=stats.median_days(histogram),
        raw=raw,
    )


def _by_platform(period: Period, dim: str) -> dict[tuple[int, str], int]:
    """A dimension's counts by platform and value, from the rollup."""
    found = stats.sums(period, ("platform_id", "value"), platform=stats.EACH, dim=dim)
    return {(p, value): counts.complaints for (p, value), counts in found.items()}


def platform_answers(period: Period) -> dict[int, Answers]:
    """The published answer figures of every platform with public complaints in the period.

    Built once per rollup version, hour (`as_of`) and k: the statistics home reads every platform's.
    """
    k, moment = min_cell(), as_of()

    def build() -> dict[int, Answers]:
        master = stats.platform_collector(period)
        flags: defaultdict[int, dict[str, int]] = defaultdict(dict)
        responses: defaultdict[int, dict[str, int]] = defaultdict(dict)
        days: defaultdict[int, dict[int, int]] = defaultdict(dict)
        for (p, value), counts in _by_platform(period, ANSWER.key).items():
            flags[p][value] = counts
        for (p, value), counts in _by_platform(period, RESPONSE.key).items():
            responses[p][value] = counts
        for (p, value), counts in _by_platform(period, ANSWER_DAYS.key).items():
            days[p][int(value)] = counts
        overdue = overdue_counts(period, moment)
        return {
            p: _published(
                _raw_cells(master.raw[("row", p)], flags[p], responses[p], overdue.get(p, 0)),
                master.get(("row", p)),
                days[p],
                k,
            )
            for p in master.rows
        }

    return memoised(("platform_answers", period.key, moment, k), build)


def for_platform(period: Period, platform_id: int) -> Answers:
    """One platform's answer figures (all zero when it has no public complaint in the period)."""
    found = platform_answers(period).get(platform_id)
    if found is not None:
        return found
    k = min_cell()
    return _published(_raw_cells(0, {}, {}, 0), Count(0, None, k), {}, k)
