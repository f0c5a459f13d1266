"""Suggested duplicates and campaign links: the same filer, the same file, the same story.

Four signals tie one complaint to another:

- ``contact``: the same contact phone or e-mail (compared by their keyed hashes: both are
  encrypted). Agents often give their own number for every client.
- ``evidence``: the same file, by its SHA-256 (one screenshot attached to a batch).
- ``narrative``: a near-duplicate narrative, on any platform however it is spelled: candidates
  from the LSH bands (complaints.core.resemblance), then checked exactly on the decrypted text.
- ``origin``: filed from the same network (the keyed hash of its /24 or /48) within a day. A
  phone carrier's network is shared by thousands, so it is shown beside the others but never
  ties complaints into a campaign on its own.
- ``phone``: the same collector's number. Genuine complaints about one collector share it, so
  it suggests a possible duplicate but never ties complaints into a campaign.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import CompoundSelect, bindparam, or_, select, union_all

from complaints.core import resemblance
from complaints.core.crypto import current_keyring
from complaints.extensions import db
from complaints.models import FILING_ORIGIN_WINDOW, Complaint, Evidence, FilingOrigin, NarrativeBand, ReportedPhone

#: Reasons that say two complaints come from one filer or one template (a campaign's links).
CAMPAIGN_REASONS = ("contact", "evidence", "narrative")
#: How much of the shorter narrative the other must repeat to count as the same story.
SIMILARITY = resemblance.CONTAINMENT
#: Complaints read per shared band, the newest first: a band that boilerplate or a huge campaign
#: shares with thousands stays one short index range.
PER_BAND = 100
#: Narrative candidates checked exactly, those sharing the most bands first.
CHECKED = 60
#: Complaints read per exact signal (contact, evidence, network, collector's number).
PER_SIGNAL = 100
#: Filings from one network this close in time are suggested together.
ORIGIN_WINDOW = FILING_ORIGIN_WINDOW
__all__ = [
    "CAMPAIGN_REASONS",
    "Suggestion",
    "narrative_candidates",
    "narrative_similarity",
    "suggest_duplicates",
]


@dataclass
class Suggestion:
    """Another complaint that may be the same matter, and why it was suggested."""

    complaint: Complaint
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0

    @property
    def campaign_link(self) -> bool:
        """Whether a reason ties the two to one filer or one template (not only a collector's number)."""
        return any(reason in CAMPAIGN_REASONS for reason in self.reasons)


def narrative_similarity(first: str, second: str) -> float:
    """How much of the shorter narrative the other one repeats, from 0 to 1."""
    return resemblance.similarity(first, second)


@lru_cache(maxsize=resemblance.BANDS)
def _band_lookup(count: int) -> CompoundSelect[tuple[int]]:
    """One index range read per band code, the newest PER_BAND + 1 each, all in one UNION ALL.

    Built once per number of codes, with the codes as parameters: building the subqueries anew
    took about 4 ms a look-up, longer than the database took to answer them (0.3–1 ms at 100,000
    complaints, bench/duplicates.py). No condition but the band: with one on the complaint's own
    id, SQLite (after ANALYZE) read a band's whole range and sorted it instead of stopping after
    the first rows of the index; the complaint's own row is dropped in Python (hence the + 1).
    """
    per_band = [
        select(NarrativeBand.complaint_id)
        .where(NarrativeBand.band_hash == bindparam(f"band_{n}"))
        .order_by(NarrativeBand.complaint_id.desc())
        .limit(PER_BAND + 1)
        .subquery()
        for n in range(count)
    ]
    return union_all(*(select(band.c.complaint_id) for band in per_band))


def narrative_candidates(complaint: Complaint) -> list[tuple[Complaint, float]]:
    """Complaints whose narratives tell this one's story, with their similarity, most similar first."""
    narrative = complaint.narrative or ""
    codes = sorted(resemblance.band_codes(current_keyring(), narrative))
    if not codes:
        return []
    parameters = {f"band_{n}": code for n, code in enumerate(codes)}
    shared = Counter(db.session.scalars(_band_lookup(len(codes)), parameters))
    shared.pop(complaint.id, None)
    if not shared:
        return []
    ranked = [complaint_id for complaint_id, _count in shared.most_common(CHECKED)]
    mine = resemblance.shingles(narrative)
    found = []
    for other in db.session.scalars(select(Complaint).where(Complaint.id.in_(ranked))):
        score = resemblance.containment(mine, resemblance.shingles(other.narrative or ""))
        if score >= SIMILARITY:
            found.append((other, score))
    return sorted(found, key=lambda pair: (-pair[1], -pair[0].id))


def suggest_duplicates(complaint: Complaint, limit: int = 50, *, campaign_only: bool = False) -> list[Suggestion]:
    """Complaints that share a filer, a file, a story or a collector's number with this one.

    ``campaign_only`` leaves out the collector's number (a filing looking for its campaign).
    """
    found: dict[int, Suggestion] = {}

    def add(other: Complaint, reason: str, similarity: float = 0.0) -> None:
        suggestion = found.setdefault(other.id, Suggestion(other))
        if reason not in suggestion.reasons:
            suggestion.reasons.append(reason)
        suggestion.similarity = max(suggestion.similarity, similarity)

    contact = []
    if complaint.contact_email_hash:
        contact.append(Complaint.contact_email_hash == complaint.contact_email_hash)
    if complaint.contact_phone_hash:
        contact.append(Complaint.contact_phone_hash == complaint.contact_phone_hash)
    if contact:
        same_filer = select(Complaint).where(or_(*contact), Complaint.id != complaint.id)
        for other in db.session.scalars(same_filer.order_by(Complaint.id.desc()).limit(PER_SIGNAL)):
            add(other, "contact")

    digests = sorted({item.sha256 for item in complaint.evidence})
    if digests:
        sharing_file = select(Evidence.complaint_id).where(
            Evidence.sha256.in_(digests), Evidence.complaint_id != complaint.id
        )
        same_file = select(Complaint).where(Complaint.id.in_(sharing_file)).order_by(Complaint.id.desc())
        for other in db.session.scalars(same_file.limit(PER_SIGNAL)):
            add(other, "evidence")

    origin = db.session.get(FilingOrigin, complaint.id) if complaint.id is not None else None
    if origin is not None:
        same_network = (
            select(Complaint)
            .join(FilingOrigin, FilingOrigin.complaint_id == Complaint.id)
            .where(
                FilingOrigin.network_hash == origin.network_hash,
                FilingOrigin.complaint_id != complaint.id,
                FilingOrigin.filed_at.between(origin.filed_at - ORIGIN_WINDOW, origin.filed_at + ORIGIN_WINDOW),
            )
            .order_by(Complaint.id.desc())
            .limit(PER_SIGNAL)
        )
        for other in db.session.scalars(same_network):
            add(other, "origin")

    if complaint.narrative_fingerprint:
        # The same story word for word (spaces and punctuation aside), however many share a band.
        same_story = select(Complaint).where(
            Complaint.narrative_fingerprint == complaint.narrative_fingerprint, Complaint.id != complaint.id
        )
        for other in db.session.scalars(same_story.order_by(Complaint.id.desc()).limit(PER_SIGNAL)):
            add(other, "narrative", 1.0)
    for other, score in narrative_candidates(complaint):
        add(other, "narrative", score)

    phones = [] if campaign_only else [p.phone for p in complaint.reported_phones]
    if phones:
        sharing = select(ReportedPhone.complaint_id).where(
            ReportedPhone.phone.in_(phones), ReportedPhone.complaint_id != complaint.id
        )
        # IN rather than DISTINCT: PostgreSQL cannot compare the JSON columns DISTINCT would need.
        shared = select(Complaint).where(Complaint.id.in_(sharing)).order_by(Complaint.id.desc())
        for other in db.session.scalars(shared.limit(PER_SIGNAL)):
            add(other, "phone")

    ranked = sorted(
        found.values(),
        key=lambda s: (not s.campaign_link, -len(s.reasons), -s.similarity, -s.complaint.id),
    )
    return ranked[:limit]
