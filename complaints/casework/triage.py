"""What officers do to a complaint: assign, note, message, ask, accept, reject, merge as duplicate, close."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from complaints.audit.events import record_event
from complaints.casework import platform_loop
from complaints.casework.lifecycle import Action, apply_transition
from complaints.casework.violation_codes import set_violation_codes
from complaints.directory.lookup import refresh_search_text
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import (
    Collector,
    CollectorKind,
    Complaint,
    EventKind,
    Officer,
    Platform,
    PlatformKind,
    Resolution,
    Severity,
)
from complaints.models.base import utcnow

MAX_TEXT = 5000


def _text(text: str, field_name: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise DomainError(str(_l("Write something first.")), field_name)
    if len(cleaned) > MAX_TEXT:
        raise DomainError(str(_l("Keep it under %(n)d characters.", n=MAX_TEXT)), field_name)
    return cleaned


def assign(complaint: Complaint, assignee: Officer | None, *, by: Officer, remote_addr: str = "") -> bool:
    """Give the complaint to an officer (or to nobody); False when nothing changed."""
    new_id = assignee.id if assignee is not None else None
    if complaint.assignee_id == new_id:
        return False
    if assignee is not None and not assignee.active:
        raise DomainError(str(_l("This account is disabled.")), "assignee")
    if assignee is not None and assignee.is_responder:
        raise DomainError(str(_l("Complaints are assigned to officers only.")), "assignee")
    old_id = complaint.assignee_id
    complaint.assignee = assignee
    complaint.assignee_id = new_id
    complaint.updated_at = utcnow()
    record_event(
        EventKind.ASSIGNED if assignee is not None else EventKind.UNASSIGNED,
        complaint=complaint,
        officer=by,
        data={"from": old_id, "to": new_id},
        remote_addr=remote_addr,
    )
    return True


def add_note(complaint: Complaint, text: str, *, by: Officer, remote_addr: str = "") -> None:
    """An internal note, seen only by officers."""
    record_event(
        EventKind.NOTE, complaint=complaint, officer=by, data={"text": _text(text, "text")}, remote_addr=remote_addr
    )
    complaint.updated_at = utcnow()


def message_complainant(complaint: Complaint, text: str, *, by: Officer, remote_addr: str = "") -> None:
    """A message shown on the consumer's status page."""
    record_event(
        EventKind.MESSAGE_TO_COMPLAINANT,
        complaint=complaint,
        officer=by,
        public_message=_text(text, "text"),
        visible_to_complainant=True,
        remote_addr=remote_addr,
    )
    complaint.updated_at = utcnow()


def request_information(complaint: Complaint, question: str, *, by: Officer, remote_addr: str = "") -> None:
    """Ask the consumer a question; the complaint waits in needs_info until they answer."""
    apply_transition(
        complaint,
        Action.REQUEST_INFO,
        officer=by,
        public_message=_text(question, "text"),
        remote_addr=remote_addr,
    )


@dataclass
class TriageDecision:
    """An officer's confirmed or corrected reading of a complaint at triage."""

    codes: list[str]
    primary_code: str
    severity: str = Severity.NORMAL.value
    evidence_verified: bool = False
    platform_id: int | None = None
    new_platform_name: str = ""
    new_platform_kind: str = PlatformKind.OTHER.value
    collector_id: int | None = None
    new_collector_name: str = ""
    new_collector_kind: str = CollectorKind.UNKNOWN.value
    verified_evidence_ids: list[int] = field(default_factory=list)
    #: Send the accepted complaint to its platform (`platform_loop.send_by_default` is the form's default).
    send_to_platform: bool = False


def _platform_for(decision: TriageDecision, complaint: Complaint) -> Platform:
    if decision.new_platform_name.strip():
        platform = Platform(
            name_zh=decision.new_platform_name.strip()[:200],
            name_en="",
            kind=decision.new_platform_kind if decision.new_platform_kind in PlatformKind.values() else "other",
            verified=True,
        )
        refresh_search_text(platform)
        db.session.add(platform)
        db.session.flush()
        return platform
    chosen = complaint.platform
    if decision.platform_id:
        chosen = db.session.get(Platform, decision.platform_id)
        if chosen is None or chosen.merged_into_id is not None:
            raise DomainError(str(_l("Choose a platform from the directory.")), "platform_id")
    if chosen is None or not chosen.verified:
        # Only verified entries are public, and an accepted complaint counts in the public statistics.
        raise DomainError(
            str(_l("Link the complaint to a verified platform of the directory, or add the platform it names.")),
            "platform_id",
        )
    return chosen


def _collector_for(decision: TriageDecision, complaint: Complaint) -> Collector | None:
    if decision.new_collector_name.strip():
        kind = decision.new_collector_kind if decision.new_collector_kind in CollectorKind.values() else "unknown"
        collector = Collector(name=decision.new_collector_name.strip()[:200], kind=kind)
        db.session.add(collector)
        db.session.flush()
        return collector
    if decision.collector_id:
        chosen = db.session.get(Collector, decision.collector_id)
        if chosen is None or chosen.merged_into_id is not None:
            raise DomainError(str(_l("Choose a collector from the directory.")), "collector_id")
        return chosen
    return complaint.collector


def accept(complaint: Complaint, decision: TriageDecision, *, by: Officer, remote_addr: str = "") -> None:
    """Confirm or correct platform, collector, codes, severity and evidence, then accept the complaint."""
    if decision.severity not in Severity.values():
        raise DomainError(str(_l("Choose a severity.")), "severity")
    before = {
        "platform_id": complaint.platform_id,
        "collector_id": complaint.collector_id,
        "codes": complaint.codes,
        "primary": complaint.primary_code,
        "severity": complaint.severity,
        "evidence_verified": complaint.evidence_verified,
    }
    platform = _platform_for(decision, complaint)
    collector = _collector_for(decision, complaint)
    complaint.platform = platform
    complaint.platform_id = platform.id
    complaint.collector = collector
    complaint.collector_id = collector.id if collector is not None else None
    set_violation_codes(complaint, decision.codes, decision.primary_code)
    complaint.severity = decision.severity
    complaint.evidence_verified = decision.evidence_verified
    for evidence in complaint.evidence:
        evidence.verified = evidence.id in decision.verified_evidence_ids or (
            decision.evidence_verified and not decision.verified_evidence_ids
        )
    db.session.flush()
    after = {
        "platform_id": complaint.platform_id,
        "collector_id": complaint.collector_id,
        "codes": complaint.codes,
        "primary": complaint.primary_code,
        "severity": complaint.severity,
        "evidence_verified": complaint.evidence_verified,
    }
    changed = {key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]}
    if decision.send_to_platform and complaint.fears_retaliation:
        raise DomainError(
            str(_l("The consumer fears retaliation: this complaint is never sent to the platform.")),
            "send_to_platform",
        )
    apply_transition(complaint, Action.ACCEPT, officer=by, data={"triage": changed}, remote_addr=remote_addr)
    platform_loop.decide_at_triage(complaint, decision.send_to_platform, by=by, remote_addr=remote_addr)


REJECTIONS = (Resolution.REJECTED_OUT_OF_SCOPE, Resolution.REJECTED_INSUFFICIENT, Resolution.REJECTED_SPAM)
CLOSINGS = (Resolution.RESOLVED, Resolution.REGULATOR_ACTION, Resolution.UNRESOLVED)


def reject(complaint: Complaint, resolution: Resolution, reason: str, *, by: Officer, remote_addr: str = "") -> None:
    """Close at triage as out of scope, insufficient or spam, telling the consumer why."""
    apply_transition(
        complaint,
        Action.REJECT,
        officer=by,
        resolution=resolution,
        public_message=_text(reason, "text"),
        remote_addr=remote_addr,
    )


def close(
    complaint: Complaint, resolution: Resolution, message: str = "", *, by: Officer, remote_addr: str = ""
) -> None:
    """Close an accepted or referred complaint with its resolution."""
    apply_transition(
        complaint,
        Action.CLOSE,
        officer=by,
        resolution=resolution,
        public_message=message.strip()[:MAX_TEXT],
        remote_addr=remote_addr,
    )


def mark_duplicate(complaint: Complaint, original: Complaint, *, by: Officer, remote_addr: str = "") -> None:
    """Close the complaint as a duplicate of another one, which carries on."""
    seen = {complaint.id}
    cursor: Complaint | None = original
    while cursor is not None:
        if cursor.id in seen:
            raise DomainError(str(_l("A complaint cannot duplicate itself.")), "reference")
        seen.add(cursor.id)
        cursor = db.session.get(Complaint, cursor.duplicate_of_id) if cursor.duplicate_of_id else None
    complaint.duplicate_of_id = original.id
    apply_transition(
        complaint,
        Action.MARK_DUPLICATE,
        officer=by,
        data={"duplicate_of": original.reference},
        remote_addr=remote_addr,
    )
