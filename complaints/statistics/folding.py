"""How many agent-filed complaints the public figures count once per campaign, said beside the counts.

Officers judge a campaign's members agent-filed (complaints.casework.campaigns); all of them but
the campaign's first are then *folded*: `rollup.is_public` leaves them out, so a platform's count
says how many people complained, not how many forms an agent filled in. The pages say how many
were folded and into how many campaigns, as lone counts (small ones shown as "<k").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from complaints.statistics.memo import memoised
from complaints.statistics.periods import Period, received_in
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


def folded(period: Period) -> Folded:
    """What the period's figures folded (filed in its months, as the rollup counts them: UTC)."""

    def build() -> tuple[int, int]:
        query = select(func.count(), func.count(func.distinct(Complaint.campaign_id))).where(
            public_clause(Complaint, folded=True), *received_in(period, Complaint.submitted_at)
        )
        complaints, campaigns = db.session.execute(query).one()
        return int(complaints), int(campaigns)

    complaints, campaigns = memoised(("folded", period.key), build)
    return Folded(published(complaints), published(campaigns))
