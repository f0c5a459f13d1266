"""Campaigns: complaints one filer or one template ties together, seen and acted on as one cluster.

Paid "anti-collection" agents file batches from a template for their clients. A filing that ties
(by the campaign reasons of complaints.casework.duplicates: the same contact, the same evidence
file, a near-duplicate narrative) to a complaint already in a campaign joins that campaign; one
that ties to FORMS_WITH complaints in none forms a new campaign with them. Each joining is a case
event that records the signals and the complaints it tied to, so the campaign page can say why
each member is there.

Officers then act on several members at once, each step audited on every member: judge them
agent-filed (only the campaign's first agent-filed complaint then counts in public figures, the
others are *folded*), close them as duplicates of one member, or split a false member off (it is
never pulled back into the campaign it left).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from complaints.audit.events import record_event
from complaints.casework import triage
from complaints.casework.duplicates import suggest_duplicates
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db
from complaints.models import OPEN_STATUSES, Campaign, CaseEvent, Complaint, EventKind, Officer
from complaints.models.base import utcnow

#: A filing tied to this many complaints outside any campaign forms one with them (three members in all).
FORMS_WITH = 2
#: Members listed per campaign page.
PAGE_SIZE = 200


@dataclass(frozen=True)
class Member:
    """One complaint of a campaign, with what tied it in."""

    complaint: Complaint
    signals: tuple[str, ...]
    tied_to: tuple[str, ...]


def attach(complaint: Complaint) -> Campaign | None:
    """At filing: join the campaign of a complaint this one is tied to, or form one; None if neither."""
    ties = [s for s in suggest_duplicates(complaint, campaign_only=True) if s.campaign_link]
    if not ties:
        return None
    # Read the tied complaints' campaigns again, their rows held: of two filings tied to the same
    # complaints at once, the second waits and joins the campaign the first formed. Today filings
    # already queue behind the reference counter's lock; this keeps it true if that lock gets shorter.
    db.session.scalars(
        select(Complaint)
        .where(Complaint.id.in_([s.complaint.id for s in ties]))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    # Only new filings attach, so a complaint split off a campaign is never pulled back into it.
    in_campaigns = Counter(s.complaint.campaign_id for s in ties if s.complaint.campaign_id)
    now = utcnow()
    if in_campaigns:
        campaign = db.session.get(Campaign, in_campaigns.most_common(1)[0][0])
        assert campaign is not None  # noqa: S101  # the foreign key guarantees it  # nosec B101
        joining = [complaint]
    else:
        free = [s.complaint for s in ties if s.complaint.campaign_id is None]
        if len(free) < FORMS_WITH:
            return None
        campaign = Campaign(created_at=now, updated_at=now)
        db.session.add(campaign)
        db.session.flush()
        joining = [*free, complaint]
    campaign.updated_at = now
    reasons = {s.complaint.id: s for s in ties}
    for member in joining:
        member.campaign_id = campaign.id
        if member is complaint:
            signals = sorted({r for s in ties for r in s.reasons})
            tied = [s.complaint.reference for s in ties]
        else:
            signals = sorted(reasons[member.id].reasons)
            tied = [complaint.reference]
        record_event(
            EventKind.CAMPAIGN_JOINED,
            complaint=member,
            data={"campaign": campaign.id, "signals": signals, "tied_to": tied[:20]},
        )
    return campaign


def members(campaign: Campaign) -> list[Member]:
    """The campaign's complaints, oldest first, each with the signals and references that tied it in."""
    found = list(
        db.session.scalars(
            select(Complaint).where(Complaint.campaign_id == campaign.id).order_by(Complaint.id).limit(PAGE_SIZE)
        )
    )
    joined: dict[int, dict[str, object]] = {}
    if found:
        events = db.session.scalars(
            select(CaseEvent)
            .where(CaseEvent.complaint_id.in_([c.id for c in found]), CaseEvent.kind == EventKind.CAMPAIGN_JOINED)
            .order_by(CaseEvent.id)
        )
        for event in events:
            if event.data and event.data.get("campaign") == campaign.id and event.complaint_id is not None:
                joined[event.complaint_id] = event.data
    result = []
    for complaint in found:
        data = joined.get(complaint.id, {})
        signals = data.get("signals", [])
        tied = data.get("tied_to", [])
        result.append(
            Member(
                complaint,
                tuple(str(s) for s in signals) if isinstance(signals, list) else (),
                tuple(str(t) for t in tied) if isinstance(tied, list) else (),
            )
        )
    return result


def member_count(campaign_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """Per campaign: members, open members, agent-filed members."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(
            Complaint.campaign_id,
            func.count(),
            func.count().filter(Complaint.status.in_([status.value for status in OPEN_STATUSES])),
            func.count().filter(Complaint.agent_filed.is_(True)),
        )
        .where(Complaint.campaign_id.in_(campaign_ids))
        .group_by(Complaint.campaign_id)
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows if row[0] is not None}


def _chosen(campaign: Campaign, complaint_ids: Sequence[int]) -> list[Complaint]:
    """The campaign's members among the ids chosen (others are ignored), locked for the change."""
    if not complaint_ids:
        raise DomainError(str(_l("Choose at least one complaint of the campaign.")), "members")
    chosen = list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.campaign_id == campaign.id, Complaint.id.in_(list(complaint_ids)))
            .order_by(Complaint.id)
            .with_for_update()
        )
    )
    if not chosen:
        raise DomainError(str(_l("Choose at least one complaint of the campaign.")), "members")
    return chosen


def refold(campaign: Campaign) -> None:
    """Fold every agent-filed member but the first: together they count once in public figures."""
    agent_filed = db.session.scalars(
        select(Complaint)
        .where(Complaint.campaign_id == campaign.id, Complaint.agent_filed.is_(True))
        .order_by(Complaint.id)
    )
    for position, complaint in enumerate(agent_filed):
        folded = position > 0
        if complaint.campaign_folded != folded:
            complaint.campaign_folded = folded


def mark_agent_filed(campaign: Campaign, complaint_ids: Sequence[int], *, by: Officer, remote_addr: str = "") -> int:
    """Judge the chosen members filed by an agent; returns how many were not judged so already."""
    changed = 0
    for complaint in _chosen(campaign, complaint_ids):
        if complaint.agent_filed:
            continue
        complaint.agent_filed = True
        record_event(
            EventKind.AGENT_FILED,
            complaint=complaint,
            officer=by,
            data={"campaign": campaign.id},
            remote_addr=remote_addr,
        )
        changed += 1
    db.session.flush()
    refold(campaign)
    return changed


def close_as_duplicates(
    campaign: Campaign, original_id: int, complaint_ids: Sequence[int], *, by: Officer, remote_addr: str = ""
) -> tuple[int, int]:
    """Close the chosen members as duplicates of one member; returns (closed, skipped as already closed)."""
    original = db.session.get(Complaint, original_id)
    if original is None or original.campaign_id != campaign.id:
        raise DomainError(str(_l("Choose the complaint the others duplicate among the campaign's.")), "original")
    closed = skipped = 0
    for complaint in _chosen(campaign, [i for i in complaint_ids if i != original.id] or [-1]):
        try:
            triage.mark_duplicate(complaint, original, by=by, remote_addr=remote_addr)
        except InvalidTransition:
            skipped += 1
        else:
            closed += 1
    return closed, skipped


def split_off(campaign: Campaign, complaint_ids: Sequence[int], *, by: Officer, remote_addr: str = "") -> int:
    """Take the chosen members out of the campaign (a false tie); they are no longer agent-filed."""
    chosen = _chosen(campaign, complaint_ids)
    for complaint in chosen:
        complaint.campaign_id = None
        complaint.agent_filed = False
        complaint.campaign_folded = False
        record_event(
            EventKind.CAMPAIGN_LEFT,
            complaint=complaint,
            officer=by,
            data={"campaign": campaign.id},
            remote_addr=remote_addr,
        )
    db.session.flush()
    refold(campaign)
    return len(chosen)
