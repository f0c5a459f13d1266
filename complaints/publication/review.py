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
from complaints.publication.private_values import PrivateValues
from complaints.publication.redaction import Finding, every_hit, find_personal_details, redact_narrative

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
    "plate": _l("licence plate"),
    "address": _l("address"),
    "loan_reference": _l("loan reference"),
    "name": _l("personal name"),
    "kept": _l("platform or collector name (stays readable)"),
}


@dataclass(frozen=True)
class Found:
    """A personal detail still present in a supervisor's text: its kind, the text itself, and whether
    it is one of the complaint's own values (the consumer's name, phone, e-mail, loan reference)."""

    kind: str
    text: str
    private: bool = False


@dataclass(frozen=True)
class Piece:
    """A stretch of a text on the review page: plain (``kind`` empty), or hit by a check."""

    text: str
    #: The kind of the hit (``KIND_LABELS``), "kept" for a directory name that stays readable, or "".
    kind: str = ""
    #: Every check that hit this stretch only found a kept platform or collector name.
    kept: bool = False
    #: One of the complaint's own values is in this stretch.
    private: bool = False

    @property
    def label(self) -> str:
        """What the hit is called, for the reviewer."""
        return str(KIND_LABELS.get(self.kind, self.kind))


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
    """Names that stay readable in the redacted text: a verified platform's names and aliases, the collector's.

    Only what officers vouched for: a platform as the consumer typed it (unverified) may be a person's
    name (王小明), and the collector is linked to the complaint by an officer alone. A complaint may
    have no directory platform at all.
    """
    names: list[str] = []
    platform = complaint.platform
    if platform is not None and platform.verified:
        names += [platform.name_zh, platform.name_en, *(alias.alias for alias in platform.aliases)]
    if complaint.collector is not None:
        names.append(complaint.collector.name)
    return [name for name in names if name and name.strip()]


def private_values(complaint: Complaint) -> PrivateValues:
    """The complaint's own private values, to be removed from its narrative wherever and however they appear."""
    return PrivateValues.of(
        contact_name=complaint.contact_name or "",
        contact_phone=complaint.contact_phone or "",
        contact_email=complaint.contact_email or "",
        loan_reference=complaint.loan_reference or "",
        collector_name=complaint.collector_name_reported or "",
    )


def preview(complaint: Complaint) -> str:
    """The automatic redaction of the complaint's narrative, in the language it was filed in."""
    return redact_narrative(
        complaint.narrative, complaint.language, keep=keep_names(complaint), private=private_values(complaint)
    )


def remaining_details(complaint: Complaint, text: str) -> list[Found]:
    """The personal details still in a text: what the rules find, and the complaint's own values in any form.

    The complaint's directory names are excepted, as whole names only.
    """
    findings = find_personal_details(text, keep_names(complaint), private_values(complaint))
    return [Found(f.kind, text[f.start : f.end], f.private) for f in findings]


def highlights(complaint: Complaint, text: str) -> list[Piece]:
    """A text cut into pieces, each stretch that any check hits marked, for the reviewer to see.

    Unlike the redaction, nothing is left out: names that a kept name shields, candidates that lost
    to an overlapping one, and the kept names themselves are all marked, beside the complaint's own values.
    """
    hits = every_hit(text, keep_names(complaint), private_values(complaint))
    pieces: list[Piece] = []
    position = 0
    for cluster in _clusters(hits):
        start, end = cluster[0].start, max(hit.end for hit in cluster)
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(_piece(text[start:end], cluster))
        position = end
    if position < len(text) or not pieces:
        pieces.append(Piece(text[position:]))
    return pieces


def _clusters(hits: list[Finding]) -> list[list[Finding]]:
    """Hits (sorted by start) grouped where they overlap."""
    clusters: list[list[Finding]] = []
    end = -1
    for hit in hits:
        if clusters and hit.start < end:
            clusters[-1].append(hit)
            end = max(end, hit.end)
        else:
            clusters.append([hit])
            end = hit.end
    return clusters


def _piece(text: str, cluster: list[Finding]) -> Piece:
    """One marked stretch: named after a private value if one is there, else after its longest personal hit."""
    personal = [hit for hit in cluster if hit.kind != "kept"]
    if not personal:
        return Piece(text, "kept", kept=True)
    best = max(personal, key=lambda hit: (hit.private, hit.end - hit.start))
    return Piece(text, best.kind, private=any(hit.private for hit in personal))


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


def _listed(found: list[Found]) -> str:
    return "; ".join(f"{f.text} ({KIND_LABELS.get(f.kind, f.kind)})" for f in found)


def _refusal(found: list[Found]) -> str:
    """Why a text is refused: the complaint's own values first, then what the rules still find."""
    own = [f for f in found if f.private]
    other = [f for f in found if not f.private]
    messages = []
    if own:
        messages.append(
            _l(
                "The text still contains the complainant's own details from the complaint form, in whatever "
                "form they are written: %(found)s. Replace them with [已删除] or [removed].",
                found=_listed(own),
            )
        )
    if other:
        messages.append(
            _l(
                "The text still contains personal details: %(found)s. Replace them with [已删除] or [removed].",
                found=_listed(other),
            )
        )
    return " ".join(str(message) for message in messages)


def approve(complaint: Complaint, officer: Officer, text: str, *, remote_addr: str = "") -> None:
    """Publish the supervisor's (corrected) redacted text, once nothing personal is left in it.

    Not the redaction rules alone decide: the complaint's own values (its contact name, phone,
    e-mail, loan reference, a reported collector who is a person) are looked for in every written
    form, so a text that still holds the consumer's phone in Chinese numerals is refused.
    """
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
        raise PersonalDetailsRemain(_refusal(found), found)
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
