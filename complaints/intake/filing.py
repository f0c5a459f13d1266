"""Filing a complaint and what the consumer may do with it afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from complaints.audit.events import record_event
from complaints.casework import campaigns
from complaints.casework.lifecycle import Action, apply_transition
from complaints.casework.violation_codes import set_violation_codes
from complaints.core.crypto import current_keyring
from complaints.core.phones import ReportedNumber
from complaints.directory.lookup import link_reported_platform
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.intake.access import hash_access_code, new_access_code, new_public_id, next_reference
from complaints.intake.evidence import CheckedFile, attach_evidence
from complaints.intake.evidence_store import EvidenceStore, delete_after_commit
from complaints.models import (
    ActorType,
    Complaint,
    ComplaintStatus,
    EventKind,
    Evidence,
    FilingOrigin,
    PublicationStatus,
    ReportedPhone,
    private,
)
from complaints.models.base import utcnow


@dataclass
class ComplaintSubmission:
    """Everything a consumer tells us on the form, as plain validated values, named as the form's fields."""

    #: The platform's name as the consumer typed it.
    platform: str
    #: The violation codes ticked, and the most serious of them.
    violations: list[str]
    primary_violation: str
    narrative: str
    collector_kind: str = "unknown"
    collector_name: str = ""
    #: The collectors' numbers, normalised where recognised, else as typed.
    collector_phones: list[ReportedNumber] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    third_parties: list[str] = field(default_factory=list)
    calls_per_day: int | None = None
    first_incident_on: dt.date | None = None
    last_incident_on: dt.date | None = None
    amount_owed: Decimal | None = None
    days_overdue: int | None = None
    loan_reference: str = ""
    stage: str = "reminder"
    province: str = ""
    desired_outcome: str = ""
    consent_share_identity: bool = False
    consent_publish: bool = False
    consent_contact: bool = False
    consent_share_with_platform: bool = False
    fears_retaliation: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    language: str = "zh_Hans"

    @classmethod
    def from_form(cls, data: Mapping[str, Any], *, language: str) -> ComplaintSubmission:
        """The submission from a validated complaint form's ``data``: each value under its field's name.

        A question left unanswered (None) keeps the default; the form's other fields (files, the
        CSRF token, the honeypot) are not part of a submission.
        """
        names = {f.name for f in fields(cls)} - {"language"}
        return cls(**{name: data[name] for name in names if data.get(name) is not None}, language=language)


@dataclass(frozen=True)
class Receipt:
    """What the consumer is shown once: the reference and the secret access code."""

    complaint: Complaint
    access_code: str


def file_complaint(
    submission: ComplaintSubmission, files: list[CheckedFile], store: EvidenceStore, *, origin: str = ""
) -> Receipt:
    """Create a complaint with its codes, numbers and evidence; return the one-time receipt.

    ``origin`` is the address it was filed from: only a keyed hash of its network is kept, about a
    day, to tie copies filed from one place (campaigns).
    """
    # Everything that can be made before the first write is made here: the reference counter's
    # row lock (the write lock on SQLite) is held until the commit and makes every other filing wait.
    access_code = new_access_code()
    access_code_hash = hash_access_code(access_code)
    now = utcnow()
    platform = link_reported_platform(submission.platform)
    complaint = Complaint(
        reference=next_reference(now),
        public_id=new_public_id(),
        access_code_hash=access_code_hash,
        status=ComplaintStatus.SUBMITTED.value,
        platform=platform,
        platform_name_reported=submission.platform.strip(),
        collector_kind_reported=submission.collector_kind,
        collector_name_reported=submission.collector_name.strip(),
        amount_owed=submission.amount_owed,
        days_overdue=submission.days_overdue,
        loan_reference=submission.loan_reference.strip(),
        stage=submission.stage,
        first_incident_on=submission.first_incident_on,
        last_incident_on=submission.last_incident_on,
        channels=list(dict.fromkeys(submission.channels)),
        third_parties=list(dict.fromkeys(submission.third_parties)),
        calls_per_day=submission.calls_per_day,
        narrative=submission.narrative.strip(),
        desired_outcome=submission.desired_outcome.strip(),
        province=submission.province,
        language=submission.language,
        consent_share_identity=submission.consent_share_identity,
        consent_publish=submission.consent_publish,
        consent_contact=submission.consent_contact,
        consent_share_with_platform=submission.consent_share_with_platform,
        fears_retaliation=submission.fears_retaliation,
        contact_name=submission.contact_name.strip(),
        contact_phone=submission.contact_phone,
        contact_email=submission.contact_email.strip(),
        publication_status=(
            PublicationStatus.PENDING.value if submission.consent_publish else PublicationStatus.NOT_CONSENTED.value
        ),
        submitted_at=now,
        updated_at=now,
    )
    set_violation_codes(
        complaint,
        submission.violations,
        submission.primary_violation,
        codes_field="violations",
        primary_field="primary_violation",
    )
    # One row per stored string: two spellings of one number have become the same normalised number.
    reported = {number.phone: number for number in submission.collector_phones}
    complaint.reported_phones = [ReportedPhone(phone=n.phone, normalised=n.normalised) for n in reported.values()]
    db.session.add(complaint)
    db.session.flush()
    attach_evidence(complaint, files, store)
    network = private.network_hash(current_keyring(), origin) if origin else ""
    if network:
        db.session.add(FilingOrigin(complaint_id=complaint.id, network_hash=network, filed_at=now))
    record_event(
        EventKind.SUBMITTED,
        complaint=complaint,
        actor_type=ActorType.COMPLAINANT,
        data={"evidence_files": len(files), "codes": complaint.codes},
        visible_to_complainant=True,
    )
    campaigns.attach(complaint)
    return Receipt(complaint=complaint, access_code=access_code)


def add_information(complaint: Complaint, text: str, files: list[CheckedFile], store: EvidenceStore) -> None:
    """The consumer adds text or files; an answer to a request for information reopens triage."""
    if not complaint.is_open:
        raise DomainError(str(_l("This complaint is closed and cannot be changed.")))
    text = text.strip()
    if not text and not files:
        raise DomainError(str(_l("Write something or choose a file to add.")), "text")
    attached = attach_evidence(complaint, files, store)
    record_event(
        EventKind.INFORMATION_ADDED,
        complaint=complaint,
        actor_type=ActorType.COMPLAINANT,
        data={"text": text, "evidence_files": len(attached)},
        visible_to_complainant=True,
    )
    complaint.updated_at = utcnow()
    if complaint.status == ComplaintStatus.NEEDS_INFO.value:
        apply_transition(complaint, Action.ANSWER_INFO, actor_type=ActorType.COMPLAINANT)


def withdraw_complaint(complaint: Complaint, *, delete_evidence: bool, store: EvidenceStore) -> None:
    """The consumer withdraws; they may ask for their evidence to be deleted at once."""
    apply_transition(
        complaint,
        Action.WITHDRAW,
        actor_type=ActorType.COMPLAINANT,
        data={"evidence_deletion_requested": delete_evidence},
    )
    if complaint.consent_publish:
        complaint.consent_publish = False
        complaint.publication_status = PublicationStatus.WITHHELD.value
    if delete_evidence:
        purge_evidence(complaint, store)


def purge_evidence(complaint: Complaint, store: EvidenceStore) -> int:
    """Delete a complaint's evidence files after commit, keeping the rows (hash, size) for the record."""
    purged = 0
    now = utcnow()
    for evidence in complaint.evidence:
        if evidence.purged_at is not None:
            continue
        still_used = db.session.scalar(
            select(func.count())
            .select_from(Evidence)
            .where(
                Evidence.storage_key == evidence.storage_key,
                Evidence.id != evidence.id,
                Evidence.purged_at.is_(None),
            )
        )
        if not still_used:
            delete_after_commit(db.session, store, evidence.storage_key)
        evidence.purged_at = now
        purged += 1
    db.session.flush()
    return purged
