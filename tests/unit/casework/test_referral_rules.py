"""Referral rules: which regulators the routing suggests, what a referral records, when it is overdue."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from complaints.casework import referral
from complaints.core.clock import local_today
from complaints.errors import DomainError, InvalidTransition
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, ComplaintViolation, Referral, Regulator, RoutingRule
from complaints.models.base import utcnow
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer

ADDRESS = "192.0.2.15"
TODAY = dt.date(2026, 11, 20)


def regulator(code: str) -> Regulator:
    """A seeded regulator."""
    found = db.session.get(Regulator, code)
    assert found is not None
    return found


def complaint_with(kind: str | None, codes: list[str], narrative: str = "每天打电话骂人。") -> Complaint:
    """An unsaved complaint on a platform of that kind (or none), with those codes."""
    platform = PlatformFactory.build(kind=kind) if kind is not None else None
    complaint = Complaint(platform=platform, narrative=narrative)
    complaint.violations = [ComplaintViolation(code=c, primary=(i == 0)) for i, c in enumerate(codes)]
    return complaint


def suggested(complaint: Complaint) -> list[str]:
    """The suggested regulators' codes, in the order offered."""
    return [s.regulator.code for s in referral.suggest_regulators(complaint)]


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


# Credit threats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "narrative",
    [
        "说要让我上征信",
        "威胁影响我的信用记录",
        "说会写进信用报告",
        "要把我上黑名单",
        "They said my credit record would be ruined",
        "threatened my Credit Report",
        "CREDIT HISTORY",
        "my credit score",
    ],
)
def test_a_threat_to_the_credit_record_is_recognised_in_either_language(narrative: str) -> None:
    assert referral.mentions_credit_threat(Complaint(narrative=narrative)) is True


@pytest.mark.parametrize("narrative", ["每天打电话骂人", "they called my credit card company", "", None])
def test_a_narrative_without_such_a_threat_is_not_one(narrative: str | None) -> None:
    assert referral.mentions_credit_threat(Complaint(narrative=narrative)) is False


# Routing suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("bank_card", ["NFRA"]),
        ("consumer_finance", ["NFRA"]),
        ("microlender", ["LFRB", "NIFA"]),
        ("lending_app", ["LFRB", "NIFA"]),
        ("installment_mall", ["LFRB", "SAMR"]),
        ("phone_rental", ["LFRB", "SAMR"]),
        ("bnpl", ["LFRB", "SAMR"]),
        ("other", []),
    ],
)
def test_the_platforms_kind_suggests_the_domains_regulators(kind: str, expected: list[str]) -> None:
    assert suggested(complaint_with(kind, ["ABU-01"])) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("THR-01", ["POLICE"]), ("PRP-01", ["POLICE"]), ("VIS-01", ["POLICE"]), ("TP-04", ["CAC"]), ("TP-03", ["CAC"])],
)
def test_these_violations_suggest_the_police_or_the_cyberspace_administration(code: str, expected: list[str]) -> None:
    assert suggested(complaint_with("other", ["ABU-01", code])) == expected


def test_a_credit_threat_suggests_the_central_bank() -> None:
    assert suggested(complaint_with("other", ["ABU-01"], "他们说要让我上征信")) == ["PBOC"]


def test_suggestions_are_merged_one_per_regulator_in_the_regulators_order_with_every_reason() -> None:
    complaint = complaint_with("lending_app", ["VIS-01", "THR-01", "TP-03", "PRP-01"], "说要上征信")
    suggestions = referral.suggest_regulators(complaint)
    assert [s.regulator.code for s in suggestions] == ["LFRB", "PBOC", "NIFA", "CAC", "POLICE"]
    # Every reason, once; their order follows the routing rules' ids, which re-seeding the reference data moves.
    reasons = {s.regulator.code: sorted((r.match_type, r.match_value) for r in s.reasons) for s in suggestions}
    assert reasons == {
        "LFRB": [("platform_kind", "lending_app")],
        "PBOC": [("credit_threat", "*")],
        "NIFA": [("platform_kind", "lending_app")],
        "CAC": [("violation", "TP-03")],
        "POLICE": [("violation", "PRP-01"), ("violation", "THR-01"), ("violation", "VIS-01")],
    }
    assert all(isinstance(s.regulator, Regulator) for s in suggestions)


def test_regulators_in_the_same_place_of_the_order_come_by_code() -> None:
    complaint = complaint_with("lending_app", ["THR-01", "TP-03"])
    for code in ("POLICE", "CAC", "NIFA", "LFRB"):
        regulator(code).sort_order = 1
    db.session.flush()
    assert suggested(complaint) == ["CAC", "LFRB", "NIFA", "POLICE"]
    db.session.rollback()


def test_a_complaint_without_a_platform_is_routed_by_its_codes_alone() -> None:
    assert suggested(complaint_with(None, ["ABU-01"])) == []
    assert suggested(complaint_with(None, ["TP-04"])) == ["CAC"]


def test_an_inactive_regulator_is_never_suggested() -> None:
    complaint = complaint_with("lending_app", ["THR-01"])
    regulator("POLICE").active = False
    db.session.flush()
    assert suggested(complaint) == ["LFRB", "NIFA"]
    db.session.rollback()


def test_a_rule_a_supervisor_adds_is_followed() -> None:
    complaint = complaint_with("other", ["TIM-01"])
    assert suggested(complaint) == []
    db.session.add(RoutingRule(match_type="violation", match_value="TIM-01", regulator_code="NIFA"))
    db.session.flush()
    assert suggested(complaint) == ["NIFA"]
    db.session.rollback()


def test_a_code_or_kind_matches_only_its_own_kind_of_rule() -> None:
    # A platform kind spelled like a violation code (and the reverse) matches nothing.
    db.session.add(RoutingRule(match_type="platform_kind", match_value="ABU-01", regulator_code="SAMR"))
    db.session.add(RoutingRule(match_type="violation", match_value="other", regulator_code="CAC"))
    db.session.flush()
    assert suggested(complaint_with("other", ["ABU-01"])) == []
    db.session.rollback()


# Recording a referral ------------------------------------------------------------------------------


def test_a_referral_records_the_regulator_the_channel_and_the_follow_up_date() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(status="accepted")
    sent = local_today() - dt.timedelta(days=3)
    made = referral.refer_complaint(
        complaint,
        regulator("SAMR"),
        channel="web_portal",
        sent_on=sent,
        regulator_reference="  SAMR-2026-77  ",
        by=officer,
        remote_addr=ADDRESS,
    )
    assert db.session.scalars(select(Referral)).one() is made
    assert (made.complaint, made.regulator, made.regulator_code, made.officer_id) == (
        complaint,
        regulator("SAMR"),
        "SAMR",
        officer.id,
    )
    assert (made.channel, made.sent_on, made.regulator_reference, made.status) == (
        "web_portal",
        sent,
        "SAMR-2026-77",
        "sent",
    )
    assert made.due_on == sent + dt.timedelta(days=15)
    assert made.identity_shared is False
    assert complaint.status == "referred"
    [event] = events_of(complaint)
    assert (event.kind, event.officer_id, event.remote_addr) == ("status_changed", officer.id, ADDRESS)
    assert event.data == {
        "action": "refer",
        "from": "accepted",
        "to": "referred",
        "referral_id": made.id,
        "regulator": "SAMR",
        "channel": "web_portal",
        "identity_shared": False,
        "due_on": (sent + dt.timedelta(days=15)).isoformat(),
    }


def test_the_follow_up_date_is_the_regulators_promise() -> None:
    officer = make_officer()
    for code, days in (("POLICE", 7), ("NFRA", 30)):
        complaint = ComplaintFactory(status="accepted")
        made = referral.refer_complaint(complaint, regulator(code), channel="hotline", sent_on=TODAY, by=officer)
        assert made.due_on == TODAY + dt.timedelta(days=days)


def test_by_default_a_referral_has_no_reference_no_identity_and_no_address() -> None:
    complaint = ComplaintFactory(status="accepted", consent_share_identity=True)
    made = referral.refer_complaint(complaint, regulator("NFRA"), channel="hotline", sent_on=TODAY, by=make_officer())
    assert (made.regulator_reference, made.identity_shared) == ("", False)
    assert events_of(complaint)[0].remote_addr == ""
    referral.update_referral(
        made, status="acknowledged", regulator_reference="", outcome_notes="", by=make_officer("u@example.test")
    )
    assert events_of(complaint)[-1].remote_addr == ""


def test_a_referred_complaint_can_go_to_a_second_regulator() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(status="accepted")
    referral.refer_complaint(complaint, regulator("SAMR"), channel="hotline", sent_on=TODAY, by=officer)
    referral.refer_complaint(complaint, regulator("POLICE"), channel="post", sent_on=TODAY, by=officer)
    assert sorted(db.session.scalars(select(Referral.regulator_code))) == ["POLICE", "SAMR"]
    assert [(e.data["from"], e.data["to"]) for e in events_of(complaint)] == [
        ("accepted", "referred"),
        ("referred", "referred"),
    ]


@pytest.mark.parametrize(
    ("ticked", "consented", "shared"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_identity_goes_to_the_regulator_only_when_ticked_and_consented(
    ticked: bool, consented: bool, shared: bool
) -> None:
    complaint = ComplaintFactory(status="accepted", consent_share_identity=consented)
    made = referral.refer_complaint(
        complaint, regulator("NFRA"), channel="email", sent_on=TODAY, include_identity=ticked, by=make_officer()
    )
    assert made.identity_shared is shared
    assert events_of(complaint)[0].data["identity_shared"] is shared


def test_the_regulators_reference_is_cut_at_100_characters() -> None:
    complaint = ComplaintFactory(status="accepted")
    made = referral.refer_complaint(
        complaint, regulator("NFRA"), channel="email", sent_on=TODAY, regulator_reference="R" * 150, by=make_officer()
    )
    assert made.regulator_reference == "R" * 100


def test_a_referral_can_be_dated_today_but_not_tomorrow() -> None:
    officer = make_officer()
    complaint = ComplaintFactory(status="accepted")
    tomorrow = local_today() + dt.timedelta(days=1)
    with refused("sent_on", "The date cannot be in the future."):
        referral.refer_complaint(complaint, regulator("NFRA"), channel="hotline", sent_on=tomorrow, by=officer)
    assert complaint.status == "accepted" and db.session.scalars(select(Referral)).all() == []
    made = referral.refer_complaint(complaint, regulator("NFRA"), channel="hotline", sent_on=local_today(), by=officer)
    assert made.sent_on == local_today()


@pytest.mark.parametrize("channel", ["hotline", "web_portal", "email", "post"])
def test_each_channel_of_the_domain_is_accepted(channel: str) -> None:
    complaint = ComplaintFactory(status="accepted")
    made = referral.refer_complaint(complaint, regulator("NFRA"), channel=channel, sent_on=TODAY, by=make_officer())
    assert made.channel == channel


@pytest.mark.parametrize("channel", ["", "fax", "HOTLINE"])
def test_an_unknown_channel_is_refused(channel: str) -> None:
    officer, complaint = make_officer(), ComplaintFactory(status="accepted")
    with refused("channel", "Choose how the referral was sent."):
        referral.refer_complaint(complaint, regulator("NFRA"), channel=channel, sent_on=TODAY, by=officer)
    assert complaint.status == "accepted" and db.session.scalars(select(Referral)).all() == []


def test_an_inactive_regulator_takes_no_referral() -> None:
    officer, complaint = make_officer(), ComplaintFactory(status="accepted")
    closed = regulator("CAC")
    closed.active = False
    with refused("regulator", "This regulator no longer takes referrals."):
        referral.refer_complaint(complaint, closed, channel="hotline", sent_on=TODAY, by=officer)
    assert complaint.status == "accepted" and db.session.scalars(select(Referral)).all() == []
    db.session.rollback()


def test_a_complaint_not_yet_accepted_cannot_be_referred() -> None:
    complaint = ComplaintFactory()
    with pytest.raises(InvalidTransition):
        referral.refer_complaint(complaint, regulator("NFRA"), channel="hotline", sent_on=TODAY, by=make_officer())
    assert complaint.status == "submitted"


# Following up --------------------------------------------------------------------------------------


_officers = itertools.count()


def referred(**values: object) -> Referral:
    """A referral to SAMR sent today, by a fresh officer, with the values given."""
    officer = make_officer(f"referrer{next(_officers)}@example.test")
    made = referral.refer_complaint(
        ComplaintFactory(status="accepted"), regulator("SAMR"), channel="hotline", sent_on=TODAY, by=officer
    )
    for name, value in values.items():
        setattr(made, name, value)
    db.session.flush()
    return made


def test_the_regulators_answer_is_recorded_with_what_changed() -> None:
    officer = make_officer("followup@example.test")
    sent = referred(regulator_reference="SAMR-1")
    complaint = sent.complaint
    start = utcnow()
    referral.update_referral(
        sent,
        status="action_taken",
        regulator_reference="  SAMR-1  ",
        outcome_notes="  约谈平台  ",
        by=officer,
        remote_addr=ADDRESS,
    )
    assert (sent.status, sent.regulator_reference, sent.outcome_notes) == ("action_taken", "SAMR-1", "约谈平台")
    assert sent.updated_at >= start and complaint.updated_at >= start
    event = events_of(complaint)[-1]
    assert (event.kind, event.officer_id, event.remote_addr, event.visible_to_complainant) == (
        "referral_updated",
        officer.id,
        ADDRESS,
        False,
    )
    assert event.data == {
        "referral_id": sent.id,
        "regulator": "SAMR",
        "changes": {
            "status": {"from": "sent", "to": "action_taken"},
            "outcome_notes": {"from": "", "to": "约谈平台"},
        },
    }


def test_every_field_that_changed_is_listed() -> None:
    sent = referred()
    referral.update_referral(
        sent, status="acknowledged", regulator_reference="X-9", outcome_notes="", by=make_officer()
    )
    changes = events_of(sent.complaint)[-1].data["changes"]
    assert changes == {
        "status": {"from": "sent", "to": "acknowledged"},
        "regulator_reference": {"from": "", "to": "X-9"},
    }


def test_an_answer_that_changes_nothing_records_nothing() -> None:
    sent = referred(regulator_reference="SAMR-1", outcome_notes="等待")
    before = (sent.updated_at, sent.complaint.updated_at, len(events_of(sent.complaint)))
    referral.update_referral(
        sent, status="sent", regulator_reference=" SAMR-1 ", outcome_notes="等待 ", by=make_officer()
    )
    assert (sent.updated_at, sent.complaint.updated_at, len(events_of(sent.complaint))) == before


def test_the_reference_and_the_notes_are_cut_at_their_limits() -> None:
    sent = referred()
    referral.update_referral(
        sent, status="declined", regulator_reference="R" * 150, outcome_notes="注" * 6000, by=make_officer()
    )
    assert (sent.regulator_reference, sent.outcome_notes) == ("R" * 100, "注" * 5000)


@pytest.mark.parametrize("status", ["", "closed", "SENT"])
def test_an_unknown_referral_status_is_refused(status: str) -> None:
    sent = referred()
    events = len(events_of(sent.complaint))
    with refused("status", "Choose a status."):
        referral.update_referral(sent, status=status, regulator_reference="", outcome_notes="", by=make_officer())
    assert sent.status == "sent" and len(events_of(sent.complaint)) == events


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("sent", TODAY - dt.timedelta(days=1), True),
        ("acknowledged", TODAY - dt.timedelta(days=1), True),
        ("sent", TODAY, False),
        ("acknowledged", TODAY, False),
        ("sent", TODAY + dt.timedelta(days=1), False),
        ("action_taken", TODAY - dt.timedelta(days=30), False),
        ("declined", TODAY - dt.timedelta(days=30), False),
        ("no_response", TODAY - dt.timedelta(days=30), False),
    ],
)
def test_a_referral_is_overdue_only_while_waiting_past_its_due_date(
    status: str, due_on: dt.date, overdue: bool
) -> None:
    assert referral.is_overdue(Referral(status=status, due_on=due_on), TODAY) is overdue


def test_overdue_is_judged_against_today_when_no_day_is_given() -> None:
    today = local_today()
    assert referral.is_overdue(Referral(status="sent", due_on=today - dt.timedelta(days=1))) is True
    assert referral.is_overdue(Referral(status="sent", due_on=today)) is False
