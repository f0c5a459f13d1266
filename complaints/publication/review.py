"""The narrative publication queue: redaction preview, approval, withholding, revocation, consent withdrawal."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement

from complaints.audit.events import record_event
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import ActorType, Complaint, EventKind, Officer, PublicationStatus
from complaints.models.base import utcnow
from complaints.publication.redaction import find_personal_details, redact_narrative

#: The longest published narrative and the longest reason for withholding one.
TEXT_MAX = 10_000
REASON_MAX = 500

P = PublicationStatus

#: What each kind of personal detail is called when a corrected text is refused.
KIND_LABELS = {
    "email": _l("e-mail address"),
    "url": _l("web address"),
    "wechat_qq": _l("WeChat or QQ id"),
    "id_number": _l("ID number"),
    "bank_card": _l("bank card number"),
    "mobile": _l("mobile number"),
    "landline": _l("phone number"),
    "name": _l("personal name"),
}


@dataclass(frozen=True)
class Found:
    """A personal detail still present in a supervisor's text: its kind and the text itself."""

    kind: str
    text: str


class PersonalDetailsRemain(DomainError):  # noqa: N818 - the domain's word
    """The corrected text still holds personal details; nothing was approved."""

    def __init__(self, message: str, found: list[Found]) -> None:
        super().__init__(message, "text")
        self.found = found


def is_eligible(complaint: Complaint) -> bool:
    """Whether a complaint's narrative may be published at all: consent given and triage passed."""
    return bool(complaint.consent_publish) and complaint.accepted_at is not None


def published_text(complaint: Complaint) -> str:
    """The narrative the public may read: the approved redacted text, or nothing at all."""
    if complaint.publication_status == P.APPROVED.value and is_eligible(complaint):
        return complaint.narrative_redacted
    return ""


def published_clause() -> ColumnElement[bool]:
    """The SQL condition under which a complaint's ``narrative_published`` may appear in a public dataset.

    ``narrative_published`` is the clear copy of the approved text (kept by the model from
    ``narrative_redacted`` and ``publication_status``); drafts stay encrypted.
    """
    return (
        (Complaint.publication_status == P.APPROVED.value)
        & Complaint.consent_publish.is_(True)
        & Complaint.accepted_at.is_not(None)
    )


def keep_names(complaint: Complaint) -> list[str]:
    """Directory names that stay readable in the redacted text: the platform's names and aliases, the collector's."""
    platform = complaint.platform
    names = [platform.name_zh, platform.name_en, *(alias.alias for alias in platform.aliases)] if platform else []
    if complaint.collector is not None:
        names.append(complaint.collector.name)
    return [name for name in names if name and name.strip()]


def preview(complaint: Complaint) -> str:
    """The automatic redaction of the complaint's narrative, in the language it was filed in."""
    return redact_narrative(complaint.narrative, complaint.language, keep=keep_names(complaint))


def remaining_details(complaint: Complaint, text: str) -> list[Found]:
    """The personal details the redaction rules still find in a text (the complaint's directory names excepted)."""
    return [Found(f.kind, text[f.start : f.end]) for f in find_personal_details(text, keep_names(complaint))]


def _clean(text: str) -> str:
    """Text as stored: trimmed, without NUL characters (PostgreSQL text cannot hold them)."""
    return text.replace("\x00", "").strip()


def _require_eligible(complaint: Complaint) -> None:
    if not complaint.consent_publish:
        raise DomainError(str(_l("The consumer has not consented to publication (or withdrew consent).")))
    if complaint.accepted_at is None:
        raise DomainError(str(_l("Only complaints that passed triage can be published.")))


def _record(kind: EventKind, complaint: Complaint, officer: Officer, remote_addr: str, **data: object) -> None:
    complaint.updated_at = utcnow()
    db.session.flush()
    record_event(kind, complaint=complaint, officer=officer, data=dict(data), remote_addr=remote_addr)


def approve(complaint: Complaint, officer: Officer, text: str, *, remote_addr: str = "") -> None:
    """Publish the supervisor's (corrected) redacted text, once the redaction rules find nothing left in it."""
    _require_eligible(complaint)
    if complaint.publication_status == P.APPROVED.value:
        raise DomainError(str(_l("This narrative is already approved. Revoke the approval to change it.")))
    text = _clean(text)
    if not text:
        raise DomainError(str(_l("Enter the text to publish.")), "text")
    if len(text) > TEXT_MAX:
        raise DomainError(str(_l("The text is too long.")), "text")
    found = remaining_details(complaint, text)
    if found:
        listed = "; ".join(f"{f.text} ({KIND_LABELS.get(f.kind, f.kind)})" for f in found)
        message = _l(
            "The text still contains personal details: %(found)s. Replace them with [已删除] or [removed].",
            found=listed,
        )
        raise PersonalDetailsRemain(str(message), found)
    before = complaint.publication_status
    complaint.narrative_redacted = text
    complaint.publication_status = P.APPROVED.value
    _record(
        EventKind.PUBLICATION_APPROVED,
        complaint,
        officer,
        remote_addr,
        previous=before,
        corrected=text != preview(complaint),
        characters=len(text),
    )


def withhold(complaint: Complaint, officer: Officer, reason: str, *, remote_addr: str = "") -> None:
    """Keep a pending narrative out of the public dataset, with the supervisor's reason."""
    _require_eligible(complaint)
    if complaint.publication_status != P.PENDING.value:
        raise DomainError(str(_l("Only a narrative waiting for review can be withheld; revoke an approval instead.")))
    reason = _clean(reason)
    if not reason:
        raise DomainError(str(_l("Say why the narrative is withheld.")), "reason")
    complaint.narrative_redacted = ""
    complaint.publication_status = P.WITHHELD.value
    _record(
        EventKind.PUBLICATION_WITHHELD,
        complaint,
        officer,
        remote_addr,
        previous=P.PENDING.value,
        reason=reason[:REASON_MAX],
    )


def revoke(complaint: Complaint, officer: Officer, *, withhold: bool, reason: str = "", remote_addr: str = "") -> None:
    """Take back an approval: the narrative returns to review (pending), or is withheld with a reason."""
    if complaint.publication_status != P.APPROVED.value:
        raise DomainError(str(_l("Only an approved narrative can have its approval revoked.")))
    reason = _clean(reason)
    if withhold and not reason:
        raise DomainError(str(_l("Say why the narrative is withheld.")), "reason")
    target = P.WITHHELD if withhold or not complaint.consent_publish else P.PENDING
    complaint.publication_status = target.value
    if target is P.WITHHELD:
        complaint.narrative_redacted = ""
    _record(
        EventKind.PUBLICATION_REVOKED,
        complaint,
        officer,
        remote_addr,
        previous=P.APPROVED.value,
        to=target.value,
        reason=reason[:REASON_MAX],
    )


def reopen(complaint: Complaint, officer: Officer, *, remote_addr: str = "") -> None:
    """Return a withheld narrative to review, if the consumer's consent still stands."""
    _require_eligible(complaint)
    if complaint.publication_status != P.WITHHELD.value:
        raise DomainError(str(_l("Only a withheld narrative can be returned to review.")))
    complaint.publication_status = P.PENDING.value
    _record(EventKind.PUBLICATION_REOPENED, complaint, officer, remote_addr, previous=P.WITHHELD.value)


def withdraw_consent(complaint: Complaint) -> None:
    """The consumer takes back consent to publish: nothing of the narrative stays ready for publication."""
    if not complaint.consent_publish:
        raise DomainError(str(_l("Your story is not set to be published.")))
    before = complaint.publication_status
    complaint.consent_publish = False
    complaint.publication_status = P.WITHHELD.value
    complaint.narrative_redacted = ""
    complaint.updated_at = utcnow()
    db.session.flush()
    record_event(
        EventKind.PUBLICATION_CONSENT_WITHDRAWN,
        complaint=complaint,
        actor_type=ActorType.COMPLAINANT,
        data={"previous": before},
        visible_to_complainant=True,
    )
