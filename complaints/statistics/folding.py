"""How many agent-filed complaints the public figures count once per campaign, said beside the counts.

Officers judge a campaign's members agent-filed (complaints.casework.campaigns); all of them but
the campaign's first are then *folded*: `rollup.is_public` leaves them out, so a platform's count
says how many people complained, not how many forms an agent filled in. The pages say how many
were folded and into how many campaigns, as lone counts (small ones shown as "<k").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from complaints.statistics.memo import memoised
from complaints.statistics.periods import Period
from complaints.statistics.rollup import public_clause
from complaints.statistics.suppression import Count, published


@dataclass(frozen=True)
class Folded:
    """Complaints of a period folded into their campaigns, and the campaigns they were folded into."""

    complaints: Count
    campaigns: Count

    @property
    def any(self) -> bool:
        """Whether there is anything to say (a small count still says so, as "<k")."""
        return self.complaints.hidden is not None or bool(self.complaints.value)


def _month_start(month: str) -> dt.datetime:
    return dt.datetime(int(month[:4]), int(month[5:]), 1, tzinfo=dt.UTC)


def _after(month: str) -> dt.datetime:
    year, number = int(month[:4]), int(month[5:])
    return _month_start(f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}")


def folded(period: Period) -> Folded:
    """What the period's figures folded (filed in its months, as the rollup counts them: UTC)."""

    def build() -> tuple[int, int]:
        query = select(func.count(), func.count(func.distinct(Complaint.campaign_id))).where(
            public_clause(Complaint, folded=True)
        )
        if period.kind != "all":
            query = query.where(
                Complaint.submitted_at >= _month_start(period.first), Complaint.submitted_at < _after(period.last)
            )
        complaints, campaigns = db.session.execute(query).one()
        return int(complaints), int(campaigns)

    complaints, campaigns = memoised(("folded", period.key), build)
    return Folded(published(complaints), published(campaigns))
