"""Referral to regulators: routing suggestions, recording a referral, following up on it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.audit.events import record_event
from complaints.casework.lifecycle import Action, apply_transition
from complaints.core.clock import local_today
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import (
    Complaint,
    EventKind,
    Officer,
    Referral,
    ReferralChannel,
    ReferralStatus,
    Regulator,
    RoutingMatch,
    RoutingRule,
)
from complaints.models.base import utcnow

#: A referral in these statuses still waits for the regulator's answer.
WAITING = (ReferralStatus.SENT.value, ReferralStatus.ACKNOWLEDGED.value)

#: Words in a narrative that reveal a threat to the consumer's credit record (the `credit_threat` rule).
CREDIT_THREAT = re.compile(r"征信|信用记录|信用报告|上黑名单|credit (record|report|history|score)", re.IGNORECASE)


@dataclass
class RoutingSuggestion:
    """A regulator the rules suggest for a complaint, with the rules that matched."""

    regulator: Regulator
    reasons: list[RoutingRule] = field(default_factory=list)


def mentions_credit_threat(complaint: Complaint) -> bool:
    """Whether the narrative speaks of the credit record (征信): such threats go to the central bank."""
    return bool(CREDIT_THREAT.search(complaint.narrative or ""))


def may_share_identity(complaint: Complaint, *, asked: bool) -> bool:
    """Whether a referral may carry the consumer's identity: only if the officer asked and the consumer consented.

    Consent is read again at each use, so a packet printed after the consumer withdrew it stays anonymous.
    """
    return bool(asked and complaint.consent_share_identity)


@dataclass(frozen=True)
class IdentityDisclosure:
    """What a packet says about the consumer's identity: the consumer's choice, the officer's, and the outcome."""

    #: The consumer consents (now) to their identity going to regulators.
    consented: bool
    #: The officer attached the identity to this referral (False for a packet of no referral).
    attached: bool
    #: The identity is printed: attached, and still consented to (`may_share_identity`).
    shown: bool


def identity_disclosure(complaint: Complaint, referral: Referral | None) -> IdentityDisclosure:
    """The consumer's choice and the officer's, kept apart, and whether the packet may show the identity."""
    attached = bool(referral is not None and referral.identity_shared)
    return IdentityDisclosure(
        consented=bool(complaint.consent_share_identity),
        attached=attached,
        shown=may_share_identity(complaint, asked=attached),
    )


@dataclass(frozen=True)
class ReferralForConsumer:
    """What the consumer may read of one referral: who has the complaint, how to reach them, when.

    Plain values only, so the status page cannot show an officer, a note or the regulator's answer.
    """

    regulator_name: str
    #: How the regulator takes complaints (a `labels.REGULATOR_CHANNELS` code) and its number or address.
    intake_channel: str
    intake_contact: str
    #: The regulator's own reference for the complaint, once it gave one.
    regulator_reference: str
    sent_on: dt.date
    #: When we follow up if the regulator has not answered.
    due_on: dt.date
    identity_shared: bool


def referrals_for_consumer(complaint: Complaint, language: str) -> list[ReferralForConsumer]:
    """The complaint's referrals as the consumer may see them, in the order they were made."""
    referrals = db.session.scalars(
        select(Referral).where(Referral.complaint_id == complaint.id).order_by(Referral.sent_on, Referral.id)
    )
    return [
        ReferralForConsumer(
            regulator_name=r.regulator.name(language),
            intake_channel=r.regulator.intake_channel,
            intake_contact=r.regulator.intake_contact,
            regulator_reference=r.regulator_reference,
            sent_on=r.sent_on,
            due_on=r.due_on,
            identity_shared=identity_disclosure(complaint, r).shown,
        )
        for r in referrals
    ]


def suggest_regulators(complaint: Complaint) -> list[RoutingSuggestion]:
    """Regulators suggested by the routing rules for this complaint's codes, platform kind and narrative."""
    codes = set(complaint.codes)
    kind = complaint.platform.kind if complaint.platform is not None else ""
    credit = mentions_credit_threat(complaint)
    found: dict[str, RoutingSuggestion] = {}
    for rule in db.session.scalars(select(RoutingRule).order_by(RoutingRule.id)):
        matched = (
            (rule.match_type == RoutingMatch.VIOLATION.value and rule.match_value in codes)
            or (rule.match_type == RoutingMatch.PLATFORM_KIND.value and rule.match_value == kind)
            or (rule.match_type == RoutingMatch.CREDIT_THREAT.value and credit)
        )
        if matched and rule.regulator.active:
            found.setdefault(rule.regulator_code, RoutingSuggestion(rule.regulator)).reasons.append(rule)
    return sorted(found.values(), key=lambda s: (s.regulator.sort_order, s.regulator.code))


def refer_complaint(
    complaint: Complaint,
    regulator: Regulator,
    *,
    channel: str,
    sent_on: dt.date,
    regulator_reference: str = "",
    include_identity: bool = False,
    by: Officer,
    remote_addr: str = "",
) -> Referral:
    """Record that the complaint was sent to a regulator; identity goes along only with consent."""
    if channel not in ReferralChannel.values():
        raise DomainError(str(_l("Choose how the referral was sent.")), "channel")
    if not regulator.active:
        raise DomainError(str(_l("This regulator no longer takes referrals.")), "regulator")
    if sent_on > local_today():
        raise DomainError(str(_l("The date cannot be in the future.")), "sent_on")
    # A second click, a resent form or a reload: the regulator already has it and has not answered.
    waiting = db.session.scalar(
        select(Referral).where(
            Referral.complaint_id == complaint.id,
            Referral.regulator_code == regulator.code,
            Referral.status.in_(WAITING),
        )
    )
    if waiting is not None:
        raise DomainError(
            str(
                _l(
                    "This complaint was already referred to %(regulator)s on %(date)s and is waiting for its answer.",
                    regulator=regulator.code,
                    date=waiting.sent_on.isoformat(),
                )
            ),
            "regulator",
        )
    referral = Referral(
        complaint=complaint,
        regulator=regulator,
        regulator_code=regulator.code,
        officer_id=by.id,
        channel=channel,
        sent_on=sent_on,
        regulator_reference=regulator_reference.strip()[:100],
        status=ReferralStatus.SENT.value,
        due_on=sent_on + dt.timedelta(days=regulator.response_days),
        identity_shared=may_share_identity(complaint, asked=include_identity),
    )
    db.session.add(referral)
    db.session.flush()
    apply_transition(
        complaint,
        Action.REFER,
        officer=by,
        data={
            "referral_id": referral.id,
            "regulator": regulator.code,
            "channel": channel,
            "identity_shared": referral.identity_shared,
            "due_on": referral.due_on.isoformat(),
        },
        remote_addr=remote_addr,
    )
    return referral


def update_referral(
    referral: Referral,
    *,
    status: str,
    regulator_reference: str,
    outcome_notes: str,
    by: Officer,
    remote_addr: str = "",
) -> None:
    """Record what the regulator did; a later answer moves the referral off the overdue list."""
    if status not in ReferralStatus.values():
        raise DomainError(str(_l("Choose a status.")), "status")
    changes = {}
    for name, value in (
        ("status", status),
        ("regulator_reference", regulator_reference.strip()[:100]),
        ("outcome_notes", outcome_notes.strip()[:5000]),
    ):
        if getattr(referral, name) != value:
            changes[name] = {"from": getattr(referral, name), "to": value}
            setattr(referral, name, value)
    if not changes:
        return
    referral.updated_at = utcnow()
    referral.complaint.updated_at = utcnow()
    record_event(
        EventKind.REFERRAL_UPDATED,
        complaint=referral.complaint,
        officer=by,
        data={"referral_id": referral.id, "regulator": referral.regulator_code, "changes": changes},
        remote_addr=remote_addr,
    )


def is_overdue(referral: Referral, today: dt.date | None = None) -> bool:
    """Whether the regulator's promised answer is late."""
    today = today or local_today()
    return referral.status in WAITING and referral.due_on < today
