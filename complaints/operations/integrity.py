"""Consistency of the stored data: evidence files against their rows, primary codes, the audit chain.

`flask check-integrity` reports; with ``repair`` it deletes unreferenced files older than a grace
period (so a filing still in progress is never touched). Everything else it only reports: a
missing or altered evidence file, or a broken audit record, needs a person and the backups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from complaints.audit.events import verify_chain
from complaints.extensions import db
from complaints.intake.evidence_store import EvidenceStore
from complaints.models import Complaint, ComplaintViolation, Evidence
from complaints.models.base import utcnow

#: Unreferenced files younger than this may belong to a filing that has not committed yet.
DEFAULT_GRACE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class MissingFile:
    """An evidence row (not purged) whose file is not in the store."""

    evidence_id: int
    reference: str
    storage_key: str


@dataclass
class IntegrityReport:
    """What a check found and, with repair, what it removed."""

    orphan_files: list[str] = field(default_factory=list)
    recent_orphans: list[str] = field(default_factory=list)
    missing_files: list[MissingFile] = field(default_factory=list)
    altered_files: list[str] = field(default_factory=list)
    unreadable_files: list[str] = field(default_factory=list)
    primary_problems: list[str] = field(default_factory=list)
    broken_events: list[int] = field(default_factory=list)
    removed_orphans: list[str] = field(default_factory=list)
    removed_partial_uploads: int = 0

    @property
    def problems(self) -> int:
        """Findings still standing (orphans within the grace period are not problems yet)."""
        return (
            len(self.orphan_files)
            + len(self.missing_files)
            + len(self.altered_files)
            + len(self.unreadable_files)
            + len(self.primary_problems)
            + len(self.broken_events)
        )


def _live_rows() -> dict[str, list[tuple[int, str, str]]]:
    """Storage key → (evidence id, complaint reference, expected SHA-256) of every unpurged row."""
    rows: dict[str, list[tuple[int, str, str]]] = {}
    stmt = (
        select(Evidence.id, Evidence.storage_key, Evidence.sha256, Complaint.reference)
        .join(Complaint, Complaint.id == Evidence.complaint_id)
        .where(Evidence.purged_at.is_(None))
        .order_by(Evidence.id)
    )
    for evidence_id, key, sha256, reference in db.session.execute(stmt):
        rows.setdefault(key, []).append((evidence_id, reference, sha256))
    return rows


def _primary_problems() -> list[str]:
    """References of complaints without exactly one primary violation code."""
    primaries = (
        select(ComplaintViolation.complaint_id, func.count().label("n"))
        .where(ComplaintViolation.primary.is_(True))
        .group_by(ComplaintViolation.complaint_id)
        .subquery()
    )
    stmt = (
        select(Complaint.reference)
        .outerjoin(primaries, primaries.c.complaint_id == Complaint.id)
        .where(func.coalesce(primaries.c.n, 0) != 1)
        .order_by(Complaint.id)
    )
    return list(db.session.scalars(stmt))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_integrity(
    store: EvidenceStore,
    *,
    repair: bool = False,
    grace: dt.timedelta = DEFAULT_GRACE,
    read_contents: bool = True,
    now: dt.datetime | None = None,
) -> IntegrityReport:
    """Compare the evidence store with the evidence rows and check the rest; repair orphans if asked."""
    report = IntegrityReport()
    horizon = (now or utcnow()) - grace
    rows = _live_rows()
    stored = set(store.keys())

    for key in sorted(stored - rows.keys()):
        if store.modified_at(key) > horizon:
            report.recent_orphans.append(key)
        elif repair:
            store.delete(key)
            report.removed_orphans.append(key)
        else:
            report.orphan_files.append(key)
    if repair:
        report.removed_partial_uploads = store.remove_partial_uploads(horizon)

    for key, owners in rows.items():
        if key not in stored:
            report.missing_files.extend(MissingFile(eid, reference, key) for eid, reference, _ in owners)
            continue
        if not read_contents:
            continue
        try:
            data = store.read(key)
        except Exception:  # a file the store cannot open (damaged, wrong key): report, keep checking
            report.unreadable_files.append(key)
            continue
        if any(_digest(data) != expected for _, _, expected in owners):
            report.altered_files.append(key)

    report.primary_problems = _primary_problems()
    report.broken_events = verify_chain()
    return report
