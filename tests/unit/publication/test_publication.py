"""Publication rules: who may be published, the re-check of corrected text, revocation and withdrawn consent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from complaints.errors import DomainError
from complaints.extensions import db
from complaints.intake.filing import withdraw_complaint
from complaints.intake.storage import evidence_store
from complaints.models import CaseEvent, Complaint, Officer, PlatformAlias
from complaints.publication import review as publication
from complaints.publication.review import PersonalDetailsRemain
from tests.factories import CollectorFactory, ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin

NARRATIVE = "虚构速贷的催收员张伟打电话13812345678骚扰我，还给我同事李娜发短信，说要找上门。"
ACCEPTED = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def consented(**values: Any) -> Complaint:
    """An accepted complaint whose consumer consented to publication, about 虚构速贷."""
    platform = PlatformFactory(name_zh="虚构速贷", name_en="Fictional Quick Loans")
    defaults: dict[str, Any] = {
        "platform": platform,
        "status": "accepted",
        "accepted_at": ACCEPTED,
        "consent_publish": True,
        "publication_status": "pending",
        "narrative": NARRATIVE,
    }
    return ComplaintFactory(**(defaults | values))  # type: ignore[no-any-return]


@pytest.fixture
def admin() -> Officer:
    return make_admin()


def events(kind: str) -> list[CaseEvent]:
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.kind == kind).order_by(CaseEvent.id)))


def test_the_preview_removes_names_and_numbers_but_keeps_the_directory_names() -> None:
    complaint = consented()
    complaint.collector = CollectorFactory(name="虚构资产管理公司")
    complaint.platform.aliases.append(PlatformAlias(alias="速贷App"))
    complaint.narrative = "速贷App和虚构资产管理公司的张伟打电话13812345678。"
    preview = publication.preview(complaint)
    assert "13812345678" not in preview and "张伟" not in preview
    assert "虚构资产管理公司" in preview and "速贷App" in preview
    assert publication.keep_names(complaint)[:2] == ["虚构速贷", "Fictional Quick Loans"]


def test_approval_stores_the_corrected_text_and_records_no_narrative(admin: Officer) -> None:
    complaint = consented()
    corrected = publication.preview(complaint).replace("找上门", "[已删除]")
    publication.approve(complaint, admin, corrected, remote_addr="192.0.2.7")
    assert complaint.publication_status == "approved"
    assert complaint.narrative_redacted == corrected
    [event] = events("publication_approved")
    assert event.officer_id == admin.id and event.data["corrected"] is True
    recorded = json.dumps(event.data, ensure_ascii=False)
    assert "骚扰" not in recorded and "虚构速贷" not in recorded


@pytest.mark.parametrize(
    "values",
    [
        {"consent_publish": False, "publication_status": "not_consented"},
        {"consent_publish": False, "publication_status": "pending"},
        {"accepted_at": None, "status": "submitted"},
    ],
)
def test_complaints_without_consent_or_triage_cannot_be_approved_or_withheld(
    admin: Officer, values: dict[str, Any]
) -> None:
    complaint = consented(**values)
    before = complaint.publication_status
    assert not publication.is_eligible(complaint)
    with pytest.raises(DomainError):
        publication.approve(complaint, admin, "催收员每天打电话。")
    with pytest.raises(DomainError):
        publication.withhold(complaint, admin, "不适合")
    assert complaint.publication_status == before
    assert complaint.narrative_redacted == "" and events("publication_approved") == []


@pytest.mark.parametrize(
    ("leftover", "kind"),
    [
        ("13812345678", "mobile"),
        ("zhang.wei@example.test", "email"),
        ("www.xugou-sudai.test/pay", "url"),
        ("110101199003074514", "id_number"),
        ("6222 0212 3456 7894", "bank_card"),
        ("王芳", "name"),
    ],
)
def test_a_corrected_text_that_still_holds_a_personal_detail_is_refused_and_says_what(
    admin: Officer, leftover: str, kind: str
) -> None:
    complaint = consented()
    text = f"虚构速贷的催收员每天打电话，联系人 {leftover} 说要起诉我。"
    with pytest.raises(PersonalDetailsRemain) as refused:
        publication.approve(complaint, admin, text)
    assert refused.value.found == [publication.Found(kind, leftover)]
    assert leftover in refused.value.message and str(publication.KIND_LABELS[kind]) in refused.value.message
    assert refused.value.field == "text"
    assert complaint.publication_status == "pending" and complaint.narrative_redacted == ""


def test_the_platform_name_may_stay_in_the_approved_text(admin: Officer) -> None:
    complaint = consented()
    publication.approve(complaint, admin, "虚构速贷 (Fictional Quick Loans) 的催收员[已删除]每天打电话。")
    assert complaint.publication_status == "approved"


def test_an_empty_text_or_a_second_approval_is_refused(admin: Officer) -> None:
    complaint = consented()
    with pytest.raises(DomainError):
        publication.approve(complaint, admin, "   ")
    publication.approve(complaint, admin, "催收员每天打电话。")
    with pytest.raises(DomainError):
        publication.approve(complaint, admin, "催收员每天打电话两次。")
    assert complaint.narrative_redacted == "催收员每天打电话。"


def test_withholding_needs_a_pending_narrative_and_a_reason(admin: Officer) -> None:
    complaint = consented()
    with pytest.raises(DomainError):
        publication.withhold(complaint, admin, "  ")
    publication.withhold(complaint, admin, "叙述能识别出当事人")
    assert complaint.publication_status == "withheld"
    assert events("publication_withheld")[0].data["reason"] == "叙述能识别出当事人"
    with pytest.raises(DomainError):
        publication.withhold(complaint, admin, "再次")


def test_revoking_returns_the_narrative_to_review_or_withholds_it(admin: Officer) -> None:
    complaint = consented()
    publication.approve(complaint, admin, "催收员每天打电话。")
    publication.revoke(complaint, admin, withhold=False)
    assert complaint.publication_status == "pending"
    assert complaint.narrative_redacted == "催收员每天打电话。"  # kept as the draft, not published
    publication.approve(complaint, admin, "催收员每天打电话。")
    with pytest.raises(DomainError):
        publication.revoke(complaint, admin, withhold=True)  # a reason is needed to withhold
    publication.revoke(complaint, admin, withhold=True, reason="平台要求核实")
    assert complaint.publication_status == "withheld" and complaint.narrative_redacted == ""
    assert [e.data["to"] for e in events("publication_revoked")] == ["pending", "withheld"]
    with pytest.raises(DomainError):
        publication.revoke(complaint, admin, withhold=False)
    publication.reopen(complaint, admin)
    assert complaint.publication_status == "pending"


def test_withdrawing_consent_clears_an_approved_narrative_and_blocks_approval(admin: Officer) -> None:
    complaint = consented()
    publication.approve(complaint, admin, "催收员每天打电话。")
    publication.withdraw_consent(complaint)
    assert not complaint.consent_publish
    assert complaint.publication_status == "withheld" and complaint.narrative_redacted == ""
    [event] = events("publication_consent_withdrawn")
    assert event.visible_to_complainant and event.officer_id is None
    with pytest.raises(DomainError):
        publication.reopen(complaint, admin)
    with pytest.raises(DomainError):
        publication.withdraw_consent(complaint)


def test_an_approved_narrative_loses_publication_when_the_complaint_is_withdrawn(admin: Officer) -> None:
    complaint = consented()
    publication.approve(complaint, admin, "催收员每天打电话。")
    withdraw_complaint(complaint, delete_evidence=False, store=evidence_store())
    assert complaint.publication_status == "withheld" and not complaint.consent_publish


def test_the_public_only_ever_sees_approved_text(admin: Officer) -> None:
    complaint = consented(narrative_redacted="草稿：催收员每天打电话。")
    other = consented(publication_status="approved", narrative_redacted="催收员每天打电话。")
    published = select(Complaint.id).where(publication.published_clause())
    assert publication.published_text(complaint) == ""  # a pending draft is not public
    assert list(db.session.scalars(published)) == [other.id]
    publication.approve(complaint, admin, "催收员每天打电话。")
    assert publication.published_text(complaint) == "催收员每天打电话。"
    assert sorted(db.session.scalars(published)) == sorted([complaint.id, other.id])
    publication.revoke(complaint, admin, withhold=False)
    assert publication.published_text(complaint) == ""
    other.consent_publish = False  # even a row left approved by hand stops being public without consent
    db.session.flush()
    assert publication.published_text(other) == "" and list(db.session.scalars(published)) == []


def test_nul_characters_never_reach_the_database(admin: Officer) -> None:
    complaint = consented()
    publication.approve(complaint, admin, "催收员\x00每天打电话。")
    assert complaint.narrative_redacted == "催收员每天打电话。"
    publication.revoke(complaint, admin, withhold=True, reason="\x00原因")
    assert publication.published_text(complaint) == ""
    assert events("publication_revoked")[0].data["reason"] == "原因"


# --- the complaint's own private values and the keep-list -----------------------------------------


def test_approval_is_refused_while_the_text_holds_the_complaints_phone_in_chinese_numerals(admin: Officer) -> None:
    complaint = consented(contact_phone="13800138000", contact_name="郑丽华")
    text = "虚构速贷的催收员[已删除]把我的号码一三八零零一三八零零零发到了群里。"
    with pytest.raises(PersonalDetailsRemain) as refused:
        publication.approve(complaint, admin, text)
    assert refused.value.found == [publication.Found("mobile", "一三八零零一三八零零零", private=True)]
    assert "一三八零零一三八零零零" in refused.value.message
    assert complaint.publication_status == "pending" and complaint.narrative_redacted == ""


def test_the_refusal_of_a_private_value_is_translated_chinese_first(app: Any, admin: Officer) -> None:
    from flask_babel import force_locale

    complaint = consented(contact_name="郑丽华")
    with force_locale("zh_Hans"), pytest.raises(PersonalDetailsRemain) as refused:
        publication.approve(complaint, admin, "投诉人郑 丽 华每天被骚扰。")
    assert "投诉人自己的" in refused.value.message and "郑 丽 华" in refused.value.message


def test_the_preview_removes_the_complaints_own_values_in_any_written_form() -> None:
    complaint = consented(
        contact_name="郑丽华",
        contact_phone="13800138000",
        contact_email="zlh@example.test",
        loan_reference="JK2024-0098-7731",
        collector_name_reported="潘志刚",
        narrative="我是丽华，电话幺三八 0013 八零零零，合同JK 2024 0098 7731，潘志刚每天骂我。",
    )
    assert publication.preview(complaint) == "我是[已删除]，电话[已删除]，合同[已删除]，[已删除]每天骂我。"


def test_only_verified_platforms_and_officer_linked_collectors_are_kept() -> None:
    complaint = consented()
    complaint.platform = PlatformFactory(name_zh="王小明", name_en="", verified=False)  # as a consumer typed it
    complaint.narrative = "王小明打电话骂我"
    assert publication.keep_names(complaint) == []
    assert "王小明" not in publication.preview(complaint)
    complaint.collector = CollectorFactory(name="虚构资产管理公司")
    assert publication.keep_names(complaint) == ["虚构资产管理公司"]


def test_a_kept_name_never_keeps_a_longer_personal_name_that_contains_it() -> None:
    complaint = consented()
    complaint.platform = PlatformFactory(name_zh="建国", name_en="", verified=True)
    complaint.narrative = "建国的催收员王建国打电话骂我"
    assert publication.preview(complaint) == "建国的催收员[已删除]打电话骂我"


def test_a_complaint_without_a_directory_platform_still_gets_its_preview() -> None:
    complaint = consented()
    with db.session.no_autoflush:  # the column may become nullable; this schema does not allow it yet
        complaint.platform = None  # type: ignore[assignment]  # intake may leave the platform unlinked
        assert publication.keep_names(complaint) == []
        assert "[已删除]" in publication.preview(complaint)
        db.session.expunge(complaint)


def test_highlights_mark_every_hit_including_what_the_automatic_pass_left_in() -> None:
    complaint = consented(contact_phone="13800138000")
    text = "虚构速贷的张伟打一三八零零一三八零零零。"
    pieces = publication.highlights(complaint, text)
    assert "".join(piece.text for piece in pieces) == text
    marked = [(piece.text, piece.kind, piece.kept) for piece in pieces if piece.kind]
    assert ("张伟", "name", False) in marked
    assert ("一三八零零一三八零零零", "mobile", False) in marked
    assert ("虚构速贷", "kept", True) in marked
