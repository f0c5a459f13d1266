"""A first-time officer and consumer around a referral: the packet's identity, Beijing dates, the status page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from complaints.casework import referral as referral_service
from complaints.casework import triage
from complaints.extensions import db
from complaints.intake.filing import ComplaintSubmission, file_complaint
from complaints.intake.storage import evidence_store
from complaints.models import Complaint, Officer, Referral, Regulator, Role
from tests.browser.consumer import Consumer, arrive, expect_status_page, look_up
from tests.browser.officer import BROWSER_LANGUAGE, OfficerVisit, enrolled_account, sign_in
from tests.browser.visit import Visit
from tests.frozen_clock import BEIJING_DATE, BEIJING_MORNING, freeze_clock

pytestmark = pytest.mark.browser

#: Fictional consumer details, to be found in a packet only when they may be.
CONTACT_NAME = "林晓雾"
CONTACT_PHONE = "+8613800138777"

#: What the pages say, in each language.
WORDS = {
    "en": {
        "queue": "Queue",
        "refer_heading": "Refer to a regulator",
        "regulator": "Regulator",
        "sent_on": "Sent on",
        "include_identity": "Include the consumer's identity and contact details",
        "record_referral": "Record referral",
        "referral_recorded": "Referral recorded.",
        "referral_packet": "Referral packet",
        "packet_heading": "Complaint referral",
        "consented": "The complainant consented to sharing their identity and contact details with the regulator.",
        "attached": "The case officer attached them to this referral.",
        "not_attached": "The case officer did not attach them to this referral",
        "did_not_consent": "did not consent",
        "next_steps": "What you can do next",
        "nfra": "National Financial Regulatory Administration",
        "hotline": "Hotline",
    },
    "zh_Hans": {
        "queue": "待办队列",
        "refer_heading": "转交监管部门",
        "regulator": "监管部门",
        "sent_on": "转交日期",
        "include_identity": "附上投诉人的身份和联系方式",
        "record_referral": "记录转交",
        "referral_recorded": "转交已记录。",
        "referral_packet": "转交材料",
        "packet_heading": "投诉转交函",
        "consented": "投诉人同意向监管部门提供其身份和联系方式。",
        "attached": "办案人员已在本次转交中附上这些信息。",
        "not_attached": "办案人员未在本次转交中附上这些信息",
        "did_not_consent": "未同意",
        "next_steps": "您接下来可以做什么",
        "nfra": "国家金融监督管理总局",
        "hotline": "热线电话",
    },
}


def accepted_complaint(live_app: Flask, officer_email: str, *, consent: bool) -> tuple[int, str, str]:
    """A complaint filed with or without consent to share identity, then accepted; its id, reference and code."""
    with live_app.app_context():
        submission = ComplaintSubmission(
            platform="虚构银行信用卡",
            violations=["THR-01", "THR-03"],
            primary_violation="THR-03",
            narrative="催收员每天给我单位打电话，说不还钱就上门。",
            consent_share_identity=consent,
            contact_name=CONTACT_NAME,
            contact_phone=CONTACT_PHONE,
        )
        receipt = file_complaint(submission, [], evidence_store())
        complaint = receipt.complaint
        officer = db.session.scalars(select(Officer).where(Officer.email == officer_email)).one()
        # the typed platform is not in the directory: the officer adds it at triage
        decision = triage.TriageDecision(
            codes=complaint.codes, primary_code="THR-03", new_platform_name="虚构银行信用卡", new_platform_kind="other"
        )
        triage.accept(complaint, decision, by=officer)
        db.session.commit()
        return complaint.id, complaint.reference, receipt.access_code


def signed_in_officer(visit: Callable[..., Visit], live_app: Flask, lang: str, email: str) -> OfficerVisit:
    """An officer at a desktop, signed in, looking at the queue."""
    officer = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, email)
    authenticator = enrolled_account(live_app, email, Role.OFFICER)
    officer.visit.goto("/officer/sign-in")
    sign_in(officer, authenticator)
    expect(officer.page.get_by_role("heading", level=1)).to_have_text(WORDS[lang]["queue"])
    return officer


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_a_packet_says_what_the_consumer_chose_and_what_the_officer_attached(
    visit: Callable[..., Visit], live_app: Flask, lang: str
) -> None:
    words = WORDS[lang]
    officer = signed_in_officer(visit, live_app, lang, f"packet-{lang.lower()}@example.test")
    complaint_id, reference, _code = accepted_complaint(live_app, officer.email, consent=True)
    page = officer.page
    officer.visit.goto(f"/officer/complaints/{complaint_id}")

    # The consumer consented: attaching their identity is what the form proposes.
    referral = page.get_by_role("region", name=words["refer_heading"])
    identity_box = referral.get_by_role("checkbox", name=words["include_identity"])
    expect(identity_box).to_be_checked()
    referral.get_by_label(words["regulator"], exact=True).select_option("NFRA")
    referral.get_by_role("button", name=words["record_referral"]).click()
    expect(page.get_by_text(words["referral_recorded"])).to_be_visible()
    page.get_by_role("link", name=words["referral_packet"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{words['packet_heading']} {reference}")
    expect(page.get_by_text(words["consented"])).to_be_visible()
    expect(page.get_by_text(words["attached"])).to_be_visible()
    expect(page.locator("main")).to_contain_text(CONTACT_NAME)
    expect(page.locator("main")).not_to_contain_text(words["did_not_consent"])
    officer.visit.check_accessibility("packet with the consented identity attached")

    # A second referral where the officer unticks the box: consented, but not attached, and it says so.
    officer.visit.goto(f"/officer/complaints/{complaint_id}")
    referral = page.get_by_role("region", name=words["refer_heading"])
    referral.get_by_label(words["regulator"], exact=True).select_option("POLICE")
    referral.get_by_role("checkbox", name=words["include_identity"]).uncheck()
    referral.get_by_role("button", name=words["record_referral"]).click()
    expect(page.get_by_text(words["referral_recorded"])).to_be_visible()
    page.get_by_role("link", name=words["referral_packet"], exact=True).last.click()
    expect(page.get_by_text(words["consented"])).to_be_visible()
    expect(page.get_by_text(words["not_attached"])).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(CONTACT_NAME)
    expect(page.locator("main")).not_to_contain_text(words["did_not_consent"])


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_at_half_past_five_in_beijing_the_referral_is_dated_today_in_beijing(
    visit: Callable[..., Visit], live_app: Flask, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_clock(monkeypatch, BEIJING_MORNING)
    words = WORDS[lang]
    officer = signed_in_officer(visit, live_app, lang, f"dawn-{lang.lower()}@example.test")
    complaint_id, _reference, _code = accepted_complaint(live_app, officer.email, consent=False)
    page = officer.page
    officer.visit.goto(f"/officer/complaints/{complaint_id}")
    referral = page.get_by_role("region", name=words["refer_heading"])
    expect(referral.get_by_label(words["sent_on"], exact=True)).to_have_value(BEIJING_DATE.isoformat())
    referral.get_by_role("button", name=words["record_referral"]).click()
    expect(page.get_by_text(words["referral_recorded"])).to_be_visible()
    with live_app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint is not None
        sent = [r.sent_on for r in db.session.scalars(select(Referral).where(Referral.complaint_id == complaint.id))]
    assert sent == [BEIJING_DATE]


def refer_with_an_officer_note(live_app: Flask, complaint_id: int, officer_email: str) -> None:
    """The officer refers the complaint to NFRA, writes an internal note and records the regulator's answer."""
    with live_app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        officer = db.session.scalars(select(Officer).where(Officer.email == officer_email)).one()
        nfra = db.session.get(Regulator, "NFRA")
        assert complaint is not None and nfra is not None
        made = referral_service.refer_complaint(
            complaint, nfra, channel="hotline", sent_on=complaint.submitted_at.date(), by=officer
        )
        triage.add_note(complaint, "内部备注：该平台曾多次被投诉。", by=officer)
        referral_service.update_referral(
            made,
            status="acknowledged",
            regulator_reference="NFRA-2026-4410",
            outcome_notes="监管部门内部意见：待核实。",
            by=officer,
        )
        db.session.commit()


@pytest.mark.parametrize(("lang", "viewport"), [("zh_Hans", "phone"), ("en", "desktop")])
def test_after_a_referral_the_consumer_learns_who_has_it_how_to_reach_them_and_what_to_do(
    visit: Callable[..., Visit], live_app: Flask, lang: str, viewport: str
) -> None:
    words = WORDS[lang]
    email = f"status-{lang.lower()}@example.test"
    enrolled_account(live_app, email, Role.OFFICER)
    complaint_id, reference, access_code = accepted_complaint(live_app, email, consent=False)
    refer_with_an_officer_note(live_app, complaint_id, email)

    consumer: Consumer = arrive(visit, lang, viewport)
    look_up(consumer, reference, access_code)
    expect_status_page(consumer, reference, "referred")
    page = consumer.page
    status = page.locator(".status-box")
    expect(status).to_contain_text(words["nfra"])
    expect(status).to_contain_text("12378")
    expect(status).to_contain_text(words["hotline"])
    expect(page.get_by_role("heading", name=words["next_steps"])).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text("内部备注")
    expect(main).not_to_contain_text("内部意见")
    consumer.visit.check_accessibility("status page naming the regulator")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
