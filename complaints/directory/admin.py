"""Supervisors keep the directory: platforms, collectors, regulators and routing rules, with every change recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from complaints.audit.events import record_event
from complaints.core.phones import normalise_phone, split_phone_list
from complaints.directory.lookup import normalise_name, refresh_search_text
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import (
    Collector,
    CollectorKind,
    CollectorPhone,
    Complaint,
    EventKind,
    Officer,
    Platform,
    PlatformAlias,
    PlatformKind,
    ReferralChannel,
    Regulator,
    RoutingMatch,
    RoutingRule,
)
from complaints.models.base import utcnow


def _apply(instance: Any, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the values that differ; return {name: {from, to}} for the audit record."""
    changes: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if getattr(instance, name) != value:
            changes[name] = {"from": getattr(instance, name), "to": value}
            setattr(instance, name, value)
    return changes


def _has_accepted_complaints(platform: Platform) -> bool:
    accepted = select(Complaint.id).where(Complaint.platform_id == platform.id, Complaint.accepted_at.is_not(None))
    return db.session.scalar(accepted.limit(1)) is not None


@dataclass
class PlatformEdit:
    """A supervisor's version of a platform entry."""

    name_zh: str
    name_en: str = ""
    kind: str = PlatformKind.OTHER.value
    operating_company: str = ""
    verified: bool = False
    aliases: list[str] = field(default_factory=list)


def update_platform(platform: Platform, edit: PlatformEdit, *, by: Officer, remote_addr: str = "") -> None:
    """Edit names (both languages), aliases, kind, company and the verified flag."""
    if not edit.name_zh.strip():
        raise DomainError(str(_l("A platform needs a Chinese name.")), "name_zh")
    if edit.kind not in PlatformKind.values():
        raise DomainError(str(_l("Choose a kind.")), "kind")
    if platform.verified and not edit.verified and _has_accepted_complaints(platform):
        # Its accepted complaints count in the public statistics, which name verified platforms only.
        raise DomainError(
            str(
                _l("Complaints accepted at triage name this platform: link them to another one before unverifying it.")
            ),
            "verified",
        )
    changes = _apply(
        platform,
        {
            "name_zh": edit.name_zh.strip()[:200],
            "name_en": edit.name_en.strip()[:200],
            "kind": edit.kind,
            "operating_company": edit.operating_company.strip()[:300],
            "verified": edit.verified,
        },
    )
    wanted = list(dict.fromkeys(a.strip()[:200] for a in edit.aliases if a.strip()))
    current = [a.alias for a in platform.aliases]
    if wanted != current:
        changes["aliases"] = {"from": current, "to": wanted}
        kept = {a.alias: a for a in platform.aliases}
        platform.aliases = [kept.get(alias) or PlatformAlias(alias=alias) for alias in wanted]
    refresh_search_text(platform)
    db.session.flush()
    if changes:
        record_event(
            EventKind.PLATFORM_UPDATED,
            officer=by,
            data={"platform_id": platform.id, "changes": changes},
            remote_addr=remote_addr,
        )


@dataclass(frozen=True)
class _Merge:
    """What differs between merging two platforms and merging two collectors."""

    #: The directory entry's model, and the complaint column that points at it.
    entity: type[Platform] | type[Collector]
    complaint_column: Any
    #: The refusals, in the entity's words.
    same_entity: str
    already_merged: str
    #: The audit event, and the source's name recorded in it.
    event_kind: EventKind
    name_of: Callable[[Any], str]
    #: What else follows the source into the target (aliases, phone numbers), before the flush.
    carry_over: Callable[[Any, Any], None]


def _merge(
    merge: _Merge, source: Platform | Collector, target: Platform | Collector, *, by: Officer, remote_addr: str
) -> int:
    """Merge ``source`` into ``target``: its complaints and earlier merges follow; returns the complaints moved."""
    if source.id == target.id:
        raise DomainError(merge.same_entity, "target")
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise DomainError(merge.already_merged, "target")
    column = merge.complaint_column
    moved = db.session.scalar(select(func.count()).select_from(Complaint).where(column == source.id)) or 0
    db.session.execute(
        update(Complaint)
        .where(column == source.id)
        .values({column: target.id, Complaint.updated_at: utcnow()})
        .execution_options(synchronize_session="fetch")
    )
    entity = merge.entity
    db.session.execute(update(entity).where(entity.merged_into_id == source.id).values(merged_into_id=target.id))
    merge.carry_over(source, target)
    source.merged_into_id = target.id
    db.session.flush()
    record_event(
        merge.event_kind,
        officer=by,
        data={"from": source.id, "from_name": merge.name_of(source), "into": target.id, "complaints": moved},
        remote_addr=remote_addr,
    )
    return int(moved)


def _carry_platform_over(source: Platform, target: Platform) -> None:
    """The source's names live on as the target's aliases, its responders answer for the target;
    a verified source verifies the target."""
    known = {normalise_name(n) for n in (target.name_zh, target.name_en, *(a.alias for a in target.aliases)) if n}
    for name in (source.name_zh, source.name_en, *(a.alias for a in source.aliases)):
        if name and normalise_name(name) not in known:
            target.aliases.append(PlatformAlias(alias=name))
            known.add(normalise_name(name))
    target.verified = target.verified or source.verified
    refresh_search_text(target)
    # The two entries were one platform: its representatives now answer for the entry that carries on,
    # whose complaints (the source's included) their portal then lists.
    db.session.execute(update(Officer).where(Officer.platform_id == source.id).values(platform_id=target.id))


def _carry_collector_over(source: Collector, target: Collector) -> None:
    """The source's phone numbers become the target's."""
    db.session.execute(
        update(CollectorPhone).where(CollectorPhone.collector_id == source.id).values(collector_id=target.id)
    )
    db.session.expire(target, ["phones"])
    db.session.expire(source, ["phones"])


def merge_platforms(source: Platform, target: Platform, *, by: Officer, remote_addr: str = "") -> int:
    """Move every complaint of ``source`` to ``target``; the old names live on as aliases. Returns complaints moved."""
    merge = _Merge(
        entity=Platform,
        complaint_column=Complaint.platform_id,
        same_entity=str(_l("Choose another platform to merge into.")),
        already_merged=str(_l("This platform was already merged.")),
        event_kind=EventKind.PLATFORM_MERGED,
        name_of=lambda platform: platform.name_zh,
        carry_over=_carry_platform_over,
    )
    return _merge(merge, source, target, by=by, remote_addr=remote_addr)


def _phones(raw: str) -> list[str]:
    numbers = []
    for part in split_phone_list(raw):
        number = normalise_phone(part)
        if number is None:
            raise DomainError(str(_l("Not a phone number: %(value)s", value=part[:40])), "phones")
        numbers.append(number)
    return list(dict.fromkeys(numbers))


def _set_phones(collector: Collector, raw: str) -> list[str]:
    wanted = _phones(raw)
    taken = db.session.scalars(
        select(CollectorPhone).where(CollectorPhone.phone.in_(wanted), CollectorPhone.collector_id != collector.id)
    ).first()
    if taken is not None:
        raise DomainError(str(_l("%(phone)s already belongs to another collector.", phone=taken.phone)), "phones")
    kept = {p.phone: p for p in collector.phones}
    collector.phones = [kept.get(number) or CollectorPhone(phone=number) for number in wanted]
    return wanted


def save_collector(
    collector: Collector | None, name: str, kind: str, notes: str, phones: str, *, by: Officer, remote_addr: str = ""
) -> Collector:
    """Create a collector or edit one, with its phone numbers (each number belongs to one collector)."""
    if not name.strip():
        raise DomainError(str(_l("A collector needs a name.")), "name")
    if kind not in CollectorKind.values():
        raise DomainError(str(_l("Choose a kind.")), "kind")
    created = collector is None
    if collector is None:
        collector = Collector(name=name.strip()[:200], kind=kind)
        db.session.add(collector)
    before = [p.phone for p in collector.phones]
    changes = _apply(collector, {"name": name.strip()[:200], "kind": kind, "notes": notes.strip()[:5000]})
    with db.session.no_autoflush:
        wanted = _set_phones(collector, phones)
    if wanted != before:
        changes["phones"] = {"from": before, "to": wanted}
    db.session.flush()
    if changes or created:
        record_event(
            EventKind.COLLECTOR_UPDATED,
            officer=by,
            data={"collector_id": collector.id, "created": created, "changes": changes},
            remote_addr=remote_addr,
        )
    return collector


def merge_collectors(source: Collector, target: Collector, *, by: Officer, remote_addr: str = "") -> int:
    """Move complaints and phone numbers of ``source`` to ``target``. Returns complaints moved."""
    merge = _Merge(
        entity=Collector,
        complaint_column=Complaint.collector_id,
        same_entity=str(_l("Choose another collector to merge into.")),
        already_merged=str(_l("This collector was already merged.")),
        event_kind=EventKind.COLLECTOR_MERGED,
        name_of=lambda collector: collector.name,
        carry_over=_carry_collector_over,
    )
    return _merge(merge, source, target, by=by, remote_addr=remote_addr)


def link_complaint(collector: Collector, complaint: Complaint, *, by: Officer, remote_addr: str = "") -> None:
    """Link a complaint to this canonical collector."""
    if collector.merged_into_id is not None:
        raise DomainError(str(_l("This collector was already merged.")), "reference")
    if complaint.collector_id == collector.id:
        return
    previous = complaint.collector_id
    complaint.collector_id = collector.id
    complaint.updated_at = utcnow()
    db.session.flush()
    record_event(
        EventKind.COLLECTOR_LINKED,
        complaint=complaint,
        officer=by,
        data={"from": previous, "to": collector.id},
        remote_addr=remote_addr,
    )


@dataclass
class RegulatorEdit:
    """A supervisor's version of a regulator entry."""

    name_zh: str
    name_en: str
    handles_zh: str = ""
    handles_en: str = ""
    intake_channel: str = ReferralChannel.HOTLINE.value
    intake_contact: str = ""
    response_days: int = 30
    active: bool = True


def update_regulator(regulator: Regulator, edit: RegulatorEdit, *, by: Officer, remote_addr: str = "") -> None:
    """Edit a regulator's names, remit, intake channel and promised response time."""
    if not edit.name_zh.strip() or not edit.name_en.strip():
        raise DomainError(str(_l("A regulator needs a name in both languages.")), "name_zh")
    if not 1 <= edit.response_days <= 365:
        raise DomainError(str(_l("Between 1 and 365 days.")), "response_days")
    if edit.intake_channel not in ReferralChannel.values():
        raise DomainError(str(_l("Choose a channel.")), "intake_channel")
    changes = _apply(
        regulator,
        {
            "name_zh": edit.name_zh.strip()[:200],
            "name_en": edit.name_en.strip()[:200],
            "handles_zh": edit.handles_zh.strip(),
            "handles_en": edit.handles_en.strip(),
            "intake_channel": edit.intake_channel,
            "intake_contact": edit.intake_contact.strip()[:300],
            "response_days": edit.response_days,
            "active": edit.active,
        },
    )
    db.session.flush()
    if changes:
        record_event(
            EventKind.REGULATOR_UPDATED,
            officer=by,
            data={"regulator": regulator.code, "changes": changes},
            remote_addr=remote_addr,
        )


def add_routing_rule(
    match_type: str, match_value: str, regulator: Regulator, note: str = "", *, by: Officer, remote_addr: str = ""
) -> RoutingRule:
    """A new suggestion rule: complaints matching this are suggested for that regulator."""
    if match_type not in RoutingMatch.values():
        raise DomainError(str(_l("Choose what the rule matches.")), "match_type")
    value = "*" if match_type == RoutingMatch.CREDIT_THREAT.value else match_value.strip()
    if match_type == RoutingMatch.PLATFORM_KIND.value and value not in PlatformKind.values():
        raise DomainError(str(_l("Not a platform kind.")), "match_value")
    if not value:
        raise DomainError(str(_l("Say what the rule matches.")), "match_value")
    exists = db.session.scalar(
        select(RoutingRule).where(
            RoutingRule.match_type == match_type,
            RoutingRule.match_value == value,
            RoutingRule.regulator_code == regulator.code,
        )
    )
    if exists is not None:
        raise DomainError(str(_l("This rule exists already.")), "match_value")
    rule = RoutingRule(match_type=match_type, match_value=value, regulator_code=regulator.code, note=note.strip())
    db.session.add(rule)
    db.session.flush()
    record_event(
        EventKind.ROUTING_RULE_ADDED,
        officer=by,
        data={"rule_id": rule.id, "match_type": match_type, "match_value": value, "regulator": regulator.code},
        remote_addr=remote_addr,
    )
    return rule


def delete_routing_rule(rule: RoutingRule, *, by: Officer, remote_addr: str = "") -> None:
    """Remove a suggestion rule (referrals already made are untouched)."""
    record_event(
        EventKind.ROUTING_RULE_REMOVED,
        officer=by,
        data={
            "rule_id": rule.id,
            "match_type": rule.match_type,
            "match_value": rule.match_value,
            "regulator": rule.regulator_code,
        },
        remote_addr=remote_addr,
    )
    db.session.delete(rule)
    db.session.flush()
