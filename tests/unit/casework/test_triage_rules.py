"""Triage rules: what each officer action changes, refuses and records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from complaints.casework import triage
from complaints.casework.triage import TriageDecision
from complaints.casework.violation_codes import set_violation_codes
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db
from complaints.models import CaseEvent, Collector, Complaint, Platform, Resolution
from complaints.models.base import utcnow
from tests.factories import CollectorFactory, ComplaintFactory, EvidenceFactory, PlatformFactory
from tests.factories_officer import make_officer

ADDRESS = "198.51.100.4"


def events_of(complaint: Complaint) -> list[CaseEvent]:
    """The complaint's case events, oldest first."""
    db.session.flush()
    return list(
        db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id).order_by(CaseEvent.id))
    )


@contextmanager
def refused(field: str, message: str) -> Iterator[None]:
    """The block raises a DomainError on that field with that English message."""
    with force_locale("en"), pytest.raises(DomainError) as caught:
        yield
    assert (caught.value.field, caught.value.message, str(caught.value)) == (field, message, message)


# Text officers write -------------------------------------------------------------------------------


def test_a_note_is_trimmed_recorded_for_officers_only_and_touches_the_complaint() -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    start = utcnow()
    triage.add_note(complaint, "  内部备注  ", by=officer, remote_addr=ADDRESS)
    [event] = events_of(complaint)
    assert (event.kind, event.officer_id, event.actor_type) == ("note", officer.id, "officer")
    assert event.data == {"text": "内部备注"}
    assert (event.public_message, event.visible_to_complainant, event.remote_addr) == ("", False, ADDRESS)
    assert complaint.updated_at >= start


def test_a_message_to_the_consumer_is_trimmed_and_shown_on_their_status_page() -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    start = utcnow()
    triage.message_complainant(complaint, "\n您好，请补充材料。 ", by=officer, remote_addr=ADDRESS)
    [event] = events_of(complaint)
    assert (event.kind, event.officer_id, event.actor_type) == ("message_to_complainant", officer.id, "officer")
    assert (event.public_message, event.visible_to_complainant, event.remote_addr) == (
        "您好，请补充材料。",
        True,
        ADDRESS,
    )
    assert event.data == {}
    assert complaint.updated_at >= start


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_refused_and_nothing_is_recorded(text: str) -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    with refused("text", "Write something first."):
        triage.add_note(complaint, text, by=officer)
    with refused("text", "Write something first."):
        triage.message_complainant(complaint, text, by=officer)
    with refused("text", "Write something first."):
        triage.request_information(complaint, text, by=officer)
    with refused("text", "Write something first."):
        triage.reject(complaint, Resolution.REJECTED_SPAM, text, by=officer)
    assert complaint.status == "submitted" and events_of(complaint) == []


def test_text_up_to_the_limit_is_kept_whole_and_one_character_more_is_refused() -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    assert triage.MAX_TEXT == 5000
    triage.add_note(complaint, "  " + "记" * 5000 + "  ", by=officer)
    assert events_of(complaint)[0].data["text"] == "记" * 5000
    with refused("text", "Keep it under 5000 characters."):
        triage.add_note(complaint, "记" * 5001, by=officer)
    with refused("text", "Keep it under 5000 characters."):
        triage.message_complainant(complaint, "记" * 5001, by=officer)
    assert len(events_of(complaint)) == 1


def test_a_refusal_is_in_the_officers_language() -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    with force_locale("zh_Hans"), pytest.raises(DomainError) as caught:
        triage.add_note(complaint, " ", by=officer)
    assert caught.value.message != "Write something first." and caught.value.field == "text"


# Assignment ----------------------------------------------------------------------------------------


def test_assigning_gives_the_complaint_to_an_officer_and_records_who_had_it() -> None:
    supervisor, first, second = (
        make_officer("sup@example.test"),
        make_officer("a@example.test"),
        make_officer("b@example.test"),
    )
    complaint = ComplaintFactory()
    start = utcnow()
    assert triage.assign(complaint, first, by=supervisor, remote_addr=ADDRESS) is True
    assert (complaint.assignee, complaint.assignee_id) == (first, first.id)
    assert complaint.updated_at >= start
    assert triage.assign(complaint, second, by=supervisor) is True
    assert (complaint.assignee, complaint.assignee_id) == (second, second.id)
    assigned, reassigned = events_of(complaint)
    assert (assigned.kind, assigned.officer_id, assigned.remote_addr) == ("assigned", supervisor.id, ADDRESS)
    assert assigned.data == {"from": None, "to": first.id}
    assert reassigned.data == {"from": first.id, "to": second.id}
    assert not assigned.visible_to_complainant


def test_unassigning_leaves_the_complaint_with_nobody() -> None:
    supervisor, officer = make_officer("sup@example.test"), make_officer("a@example.test")
    complaint = ComplaintFactory(assignee=officer)
    assert triage.assign(complaint, None, by=supervisor, remote_addr=ADDRESS) is True
    assert (complaint.assignee, complaint.assignee_id) == (None, None)
    [event] = events_of(complaint)
    assert (event.kind, event.data, event.officer_id, event.remote_addr) == (
        "unassigned",
        {"from": officer.id, "to": None},
        supervisor.id,
        ADDRESS,
    )


def test_assigning_to_whoever_has_it_already_changes_and_records_nothing() -> None:
    supervisor, officer = make_officer("sup@example.test"), make_officer("a@example.test")
    complaint = ComplaintFactory(assignee=officer)
    before = complaint.updated_at
    assert triage.assign(complaint, officer, by=supervisor) is False
    assert triage.assign(ComplaintFactory(), None, by=supervisor) is False
    assert complaint.updated_at == before
    assert db.session.scalars(select(CaseEvent)).all() == []


def test_a_disabled_account_cannot_be_given_a_complaint() -> None:
    supervisor = make_officer("sup@example.test")
    disabled = make_officer("gone@example.test", active=False)
    complaint = ComplaintFactory()
    with refused("assignee", "This account is disabled."):
        triage.assign(complaint, disabled, by=supervisor)
    assert complaint.assignee_id is None and events_of(complaint) == []


# Asking the consumer, rejecting, closing ----------------------------------------------------------------


def test_asking_for_information_puts_the_complaint_in_needs_info_with_the_question_shown() -> None:
    officer, complaint = make_officer(), ComplaintFactory()
    triage.request_information(complaint, " 请补充录音 ", by=officer, remote_addr=ADDRESS)
    assert complaint.status == "needs_info"
    [event] = events_of(complaint)
    assert (event.kind, event.officer_id, event.remote_addr) == ("status_changed", officer.id, ADDRESS)
    assert (event.public_message, event.visible_to_complainant) == ("请补充录音", True)
    assert event.data == {"action": "request_info", "from": "submitted", "to": "needs_info"}


@pytest.mark.parametrize("resolution", triage.REJECTIONS, ids=str)
def test_a_rejection_closes_with_its_reason_shown_to_the_consumer(resolution: Resolution) -> None:
    officer, complaint = make_officer(), ComplaintFactory(status="needs_info")
    triage.reject(complaint, resolution, "  不属于催收问题 ", by=officer, remote_addr=ADDRESS)
    assert (complaint.status, complaint.resolution) == ("closed", resolution.value)
    [event] = events_of(complaint)
    assert (event.public_message, event.officer_id, event.remote_addr) == ("不属于催收问题", officer.id, ADDRESS)
    assert event.data == {"action": "reject", "from": "needs_info", "to": "closed", "resolution": resolution.value}


def test_the_rejections_and_closings_offered_are_the_domains() -> None:
    assert set(triage.REJECTIONS) == {
        Resolution.REJECTED_OUT_OF_SCOPE,
        Resolution.REJECTED_INSUFFICIENT,
        Resolution.REJECTED_SPAM,
    }
    assert set(triage.CLOSINGS) == {Resolution.RESOLVED, Resolution.REGULATOR_ACTION, Resolution.UNRESOLVED}


def test_a_rejection_is_not_a_closing_and_a_closing_is_not_a_rejection() -> None:
    officer = make_officer()
    with pytest.raises(InvalidTransition):
        triage.reject(ComplaintFactory(), Resolution.RESOLVED, "理由", by=officer)
    with pytest.raises(InvalidTransition):
        triage.close(ComplaintFactory(status="accepted"), Resolution.REJECTED_SPAM, by=officer)


@pytest.mark.parametrize("resolution", triage.CLOSINGS, ids=str)
def test_closing_carries_the_resolution_and_a_trimmed_message(resolution: Resolution) -> None:
    officer, complaint = make_officer(), ComplaintFactory(status="referred")
    triage.close(complaint, resolution, "  平台已停止催收。 ", by=officer, remote_addr=ADDRESS)
    assert (complaint.status, complaint.resolution) == ("closed", resolution.value)
    [event] = events_of(complaint)
    assert (event.public_message, event.officer_id, event.remote_addr) == ("平台已停止催收。", officer.id, ADDRESS)
    assert event.data == {"action": "close", "from": "referred", "to": "closed", "resolution": resolution.value}


def test_closing_needs_no_message_and_cuts_a_long_one_at_the_limit() -> None:
    officer = make_officer()
    quiet, long = ComplaintFactory(status="accepted"), ComplaintFactory(status="accepted")
    triage.close(quiet, Resolution.UNRESOLVED, by=officer)
    triage.close(long, Resolution.RESOLVED, " " + "结" * 6000, by=officer)
    assert events_of(quiet)[0].public_message == ""
    assert events_of(long)[0].public_message == "结" * 5000


# Duplicates --------------------------------------------------------------------------------------------


def test_a_duplicate_closes_and_points_at_the_complaint_that_carries_on() -> None:
    officer, copy, original = make_officer(), ComplaintFactory(), ComplaintFactory(status="accepted")
    triage.mark_duplicate(copy, original, by=officer, remote_addr=ADDRESS)
    assert (copy.status, copy.resolution, copy.duplicate_of_id) == ("closed", "duplicate", original.id)
    assert original.status == "accepted" and original.duplicate_of_id is None
    [event] = events_of(copy)
    assert (event.officer_id, event.remote_addr) == (officer.id, ADDRESS)
    assert event.data == {
        "action": "mark_duplicate",
        "from": "submitted",
        "to": "closed",
        "resolution": "duplicate",
        "duplicate_of": original.reference,
    }


# The walk stops at the chain's end rather than asking for a row with no id (SQLAlchemy warns, and
# says it may raise in a future release).
@pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")
def test_a_complaint_may_duplicate_one_that_is_itself_a_duplicate_of_a_third() -> None:
    officer = make_officer()
    first, second, third = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    triage.mark_duplicate(second, first, by=officer)
    triage.mark_duplicate(third, second, by=officer)
    assert (third.status, third.duplicate_of_id) == ("closed", second.id)


def test_a_complaint_cannot_duplicate_itself_directly_or_round_a_chain() -> None:
    officer = make_officer()
    first, second, third = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    with refused("reference", "A complaint cannot duplicate itself."):
        triage.mark_duplicate(first, first, by=officer)
    second.duplicate_of_id = first.id
    third.duplicate_of_id = second.id
    db.session.flush()
    with refused("reference", "A complaint cannot duplicate itself."):
        triage.mark_duplicate(first, second, by=officer)
    with refused("reference", "A complaint cannot duplicate itself."):
        triage.mark_duplicate(first, third, by=officer)
    assert (first.status, first.duplicate_of_id) == ("submitted", None)
    assert events_of(first) == []


def test_a_loop_already_in_the_duplicate_links_is_refused_rather_than_followed_forever() -> None:
    officer = make_officer()
    first, second, third = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    second.duplicate_of_id, third.duplicate_of_id = third.id, second.id
    db.session.flush()
    with refused("reference", "A complaint cannot duplicate itself."):
        triage.mark_duplicate(first, second, by=officer)
    assert first.status == "submitted"


def test_actions_called_without_a_request_address_record_none() -> None:
    officer = make_officer()
    asked, accepted, copy = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    triage.assign(asked, officer, by=officer)
    triage.add_note(asked, "备注", by=officer)
    triage.message_complainant(asked, "您好", by=officer)
    triage.request_information(asked, "请补充", by=officer)
    triage.reject(asked, Resolution.REJECTED_INSUFFICIENT, "信息不足", by=officer)
    triage.accept(accepted, TriageDecision(codes=["ABU-01"], primary_code="ABU-01"), by=officer)
    triage.close(accepted, Resolution.RESOLVED, by=officer)
    triage.mark_duplicate(copy, accepted, by=officer)
    events = [*events_of(asked), *events_of(accepted), *events_of(copy)]
    assert len(events) == 9  # acceptance also records triage's decision not to send it to the platform
    assert {e.remote_addr for e in events} == {""}
    assert events_of(accepted)[-1].public_message == ""


# Codes -------------------------------------------------------------------------------------------------


def test_codes_are_replaced_deduplicated_in_order_with_exactly_one_primary() -> None:
    complaint = ComplaintFactory(codes=["ABU-01", "TP-02"])
    kept = next(v for v in complaint.violations if v.code == "TP-02")
    set_violation_codes(complaint, ["THR-01", "", "TP-02", "THR-01"], "TP-02")
    db.session.flush()
    assert [v.code for v in complaint.violations] == ["THR-01", "TP-02"]
    assert [v.primary for v in complaint.violations] == [False, True]
    assert complaint.primary_code == "TP-02"
    assert next(v for v in complaint.violations if v.code == "TP-02") is kept


def test_a_code_made_primary_loses_nothing_and_the_old_primary_becomes_secondary() -> None:
    complaint = ComplaintFactory(codes=["ABU-01", "TP-02"])
    set_violation_codes(complaint, ["ABU-01", "TP-02"], "TP-02")
    assert {v.code: v.primary for v in complaint.violations} == {"ABU-01": False, "TP-02": True}


@pytest.mark.parametrize(
    ("codes", "primary", "field", "message"),
    [
        ([], "", "codes", "Choose at least one kind of violation."),
        (["", ""], "", "codes", "Choose at least one kind of violation."),
        (["ABU-01"], "TP-02", "primary_code", "The main violation must be one of the ticked ones."),
        # One code and no main one named is that code (the one rule, as on the consumer's form); two need a choice.
        (["ABU-01", "TP-02"], "", "primary_code", "Choose the main violation."),
        (["ABU-01", "NOPE-99"], "ABU-01", "codes", "Unknown violation code."),
        (["NOPE-99"], "NOPE-99", "codes", "Unknown violation code."),
    ],
)
def test_codes_that_are_missing_unknown_or_without_their_primary_are_refused(
    codes: list[str], primary: str, field: str, message: str
) -> None:
    complaint = ComplaintFactory(codes=["IMP-01"])
    with refused(field, message):
        set_violation_codes(complaint, codes, primary)
    assert complaint.codes == ["IMP-01"] and complaint.primary_code == "IMP-01"


# Accepting at triage -----------------------------------------------------------------------------------


def test_accepting_unchanged_records_an_empty_correction() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(codes=["ABU-01", "TP-02"])
    platform, start = complaint.platform, utcnow()
    triage.accept(complaint, TriageDecision(codes=["ABU-01", "TP-02"], primary_code="ABU-01"), by=officer)
    assert complaint.status == "accepted" and complaint.accepted_at >= start
    assert complaint.platform is platform and complaint.collector is None
    assert (complaint.severity, complaint.evidence_verified) == ("normal", False)
    event, decided = events_of(complaint)
    assert (decided.kind, decided.data["step"]) == ("platform_withheld", "withhold")
    assert event.officer_id == officer.id
    assert event.data == {"action": "accept", "from": "submitted", "to": "accepted", "triage": {}}


def test_accepting_records_each_correction_from_what_was_to_what_is() -> None:
    officer = make_officer()
    old_platform, new_platform = PlatformFactory(), PlatformFactory()
    old_collector, new_collector = CollectorFactory(), CollectorFactory()
    complaint = ComplaintFactory(platform=old_platform, collector=old_collector, codes=["ABU-01", "TP-02"])
    decision = TriageDecision(
        codes=["THR-01", "ABU-01"],
        primary_code="THR-01",
        severity="urgent",
        evidence_verified=True,
        platform_id=new_platform.id,
        collector_id=new_collector.id,
    )
    triage.accept(complaint, decision, by=officer, remote_addr=ADDRESS)
    assert (complaint.platform, complaint.platform_id) == (new_platform, new_platform.id)
    assert (complaint.collector, complaint.collector_id) == (new_collector, new_collector.id)
    assert (complaint.codes, complaint.primary_code) == (["THR-01", "ABU-01"], "THR-01")
    assert (complaint.severity, complaint.evidence_verified) == ("urgent", True)
    event, decided = events_of(complaint)
    assert (decided.kind, decided.data["step"]) == ("platform_withheld", "withhold")
    assert event.remote_addr == ADDRESS
    assert event.data["triage"] == {
        "platform_id": {"from": old_platform.id, "to": new_platform.id},
        "collector_id": {"from": old_collector.id, "to": new_collector.id},
        "codes": {"from": ["ABU-01", "TP-02"], "to": ["THR-01", "ABU-01"]},
        "primary": {"from": "ABU-01", "to": "THR-01"},
        "severity": {"from": "normal", "to": "urgent"},
        "evidence_verified": {"from": False, "to": True},
    }


@pytest.mark.parametrize("severity", ["urgent", "high", "normal"])
def test_each_severity_of_the_domain_is_accepted(severity: str) -> None:
    complaint = ComplaintFactory()
    decision = TriageDecision(codes=["ABU-01"], primary_code="ABU-01", severity=severity)
    triage.accept(complaint, decision, by=make_officer())
    assert complaint.severity == severity


def test_an_unknown_severity_is_refused_before_anything_changes() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(codes=["ABU-01"])
    decision = TriageDecision(codes=["THR-01"], primary_code="THR-01", severity="critical", new_platform_name="新平台")
    with refused("severity", "Choose a severity."):
        triage.accept(complaint, decision, by=officer)
    assert complaint.status == "submitted" and complaint.codes == ["ABU-01"]
    assert db.session.scalars(select(Platform).where(Platform.name_zh == "新平台")).all() == []


def test_a_new_platform_named_at_triage_is_created_verified_and_findable() -> None:
    complaint = ComplaintFactory()
    decision = TriageDecision(
        codes=["ABU-01"], primary_code="ABU-01", new_platform_name="  闪电借款  ", new_platform_kind="microlender"
    )
    triage.accept(complaint, decision, by=make_officer())
    platform = complaint.platform
    assert platform.id is not None and complaint.platform_id == platform.id
    assert (platform.name_zh, platform.name_en, platform.kind) == ("闪电借款", "", "microlender")
    assert platform.verified is True
    assert "闪电借款" in platform.search_text and "sdjk" in platform.search_text
    assert db.session.get(Platform, platform.id) is platform
    assert events_of(complaint)[0].data["triage"]["platform_id"]["to"] == platform.id


def test_a_new_platform_of_an_unknown_kind_is_other_and_its_name_is_cut_at_200() -> None:
    complaint = ComplaintFactory()
    decision = TriageDecision(
        codes=["ABU-01"], primary_code="ABU-01", new_platform_name="平" * 250, new_platform_kind="casino"
    )
    triage.accept(complaint, decision, by=make_officer())
    assert (complaint.platform.name_zh, complaint.platform.kind) == ("平" * 200, "other")


def test_a_blank_new_platform_name_keeps_the_chosen_or_reported_platform() -> None:
    chosen = PlatformFactory()
    complaint = ComplaintFactory()
    reported = complaint.platform
    triage.accept(
        complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", new_platform_name="   "), by=make_officer()
    )
    assert complaint.platform is reported
    other = ComplaintFactory()
    decision = TriageDecision(codes=["ABU-01"], primary_code="ABU-01", new_platform_name=" ", platform_id=chosen.id)
    triage.accept(other, decision, by=make_officer("b@example.test"))
    assert other.platform is chosen


def test_a_platform_that_is_missing_or_merged_away_cannot_be_chosen() -> None:
    officer = make_officer()
    survivor = PlatformFactory()
    merged = PlatformFactory(merged_into_id=survivor.id)
    complaint = ComplaintFactory()
    reported = complaint.platform
    for platform_id in (merged.id, 999_999):
        decision = TriageDecision(codes=["ABU-01"], primary_code="ABU-01", platform_id=platform_id)
        with refused("platform_id", "Choose a platform from the directory."):
            triage.accept(complaint, decision, by=officer)
    assert complaint.platform is reported and complaint.status == "submitted"


def test_a_new_collector_named_at_triage_is_created_with_its_kind() -> None:
    complaint = ComplaintFactory()
    decision = TriageDecision(
        codes=["ABU-01"], primary_code="ABU-01", new_collector_name="  虚构律所  ", new_collector_kind="law_firm"
    )
    triage.accept(complaint, decision, by=make_officer())
    collector = complaint.collector
    assert collector is not None and collector.id is not None and complaint.collector_id == collector.id
    assert (collector.name, collector.kind) == ("虚构律所", "law_firm")
    assert db.session.get(Collector, collector.id) is collector
    assert events_of(complaint)[0].data["triage"]["collector_id"] == {"from": None, "to": collector.id}


def test_a_new_collector_of_an_unknown_kind_is_unknown_and_its_name_is_cut_at_200() -> None:
    complaint = ComplaintFactory()
    decision = TriageDecision(
        codes=["ABU-01"], primary_code="ABU-01", new_collector_name="催" * 250, new_collector_kind="gang"
    )
    triage.accept(complaint, decision, by=make_officer())
    assert (complaint.collector.name, complaint.collector.kind) == ("催" * 200, "unknown")


def test_without_a_new_or_chosen_collector_the_complaint_keeps_its_own() -> None:
    collector = CollectorFactory()
    complaint = ComplaintFactory(collector=collector)
    triage.accept(
        complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", new_collector_name=" "), by=make_officer()
    )
    assert (complaint.collector, complaint.collector_id) == (collector, collector.id)
    assert "collector_id" not in events_of(complaint)[0].data["triage"]


def test_a_collector_that_is_missing_or_merged_away_cannot_be_chosen() -> None:
    officer = make_officer()
    survivor = CollectorFactory()
    merged = CollectorFactory(merged_into_id=survivor.id)
    complaint = ComplaintFactory()
    for collector_id in (merged.id, 999_999):
        decision = TriageDecision(codes=["ABU-01"], primary_code="ABU-01", collector_id=collector_id)
        with refused("collector_id", "Choose a collector from the directory."):
            triage.accept(complaint, decision, by=officer)
    assert complaint.collector is None and complaint.status == "submitted"


def test_evidence_is_verified_one_by_one_when_files_are_named() -> None:
    complaint = ComplaintFactory()
    shown, unshown = EvidenceFactory(complaint=complaint), EvidenceFactory(complaint=complaint, verified=True)
    decision = TriageDecision(
        codes=["ABU-01"], primary_code="ABU-01", evidence_verified=True, verified_evidence_ids=[shown.id]
    )
    triage.accept(complaint, decision, by=make_officer())
    assert (shown.verified, unshown.verified) == (True, False)


def test_evidence_is_all_verified_when_the_complaint_is_and_no_file_is_named() -> None:
    complaint = ComplaintFactory()
    files = [EvidenceFactory(complaint=complaint), EvidenceFactory(complaint=complaint)]
    decision = TriageDecision(codes=["ABU-01"], primary_code="ABU-01", evidence_verified=True)
    triage.accept(complaint, decision, by=make_officer())
    assert [e.verified for e in files] == [True, True]


def test_no_evidence_stays_verified_when_the_complaint_is_not() -> None:
    complaint = ComplaintFactory()
    files = [EvidenceFactory(complaint=complaint, verified=True), EvidenceFactory(complaint=complaint)]
    triage.accept(complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01"), by=make_officer())
    assert [e.verified for e in files] == [False, False]


def test_only_a_submitted_complaint_can_be_accepted() -> None:
    complaint = ComplaintFactory(status="needs_info")
    with pytest.raises(InvalidTransition):
        triage.accept(complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01"), by=make_officer())
    assert complaint.status == "needs_info"
