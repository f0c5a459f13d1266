"""An officer enrols, signs in, triages and refers a consumer's complaint; the consumer sees it; axe on every page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from complaints.models import Role
from tests.browser.consumer import (
    Consumer,
    arrive,
    evidence_files,
    expect_status_page,
    fill_form,
    look_up,
    open_form,
    read_receipt,
    send_form,
    timeline_entry,
)
from tests.browser.officer import (
    BROWSER_LANGUAGE,
    OfficerVisit,
    create_account,
    directory_platform,
    enrol,
    enrolled_account,
    expect_controls_named_apart,
    file_twin,
    sign_in,
    sign_out,
)
from tests.browser.visit import Visit
from tests.browser.words import TYPED

pytestmark = pytest.mark.browser

#: The violation the consumer form ticks first; its routing rule suggests the police.
VIOLENCE = "THR-01"
SUGGESTED_REGULATOR = "POLICE"
#: The violation the consumer form marks as the main one.
MAIN_VIOLATION = "THR-03"


def file_with_evidence(visit: Callable[..., Visit], lang: str, tmp_path: Path) -> tuple[Consumer, str, str]:
    """A consumer files a complaint with a screenshot and a call recording; the reference and access code."""
    consumer = arrive(visit, lang, "phone")
    files = evidence_files(tmp_path)
    open_form(consumer)
    fill_form(consumer, files=[files["chat.png"], files["call.amr"]])
    send_form(consumer)
    reference, access_code = read_receipt(consumer)
    return consumer, reference, access_code


def filter_queue(officer: OfficerVisit, platform: str, violation: str) -> None:
    """Open the queue's filters: this platform, this violation, only complaints with evidence."""
    page, words = officer.page, officer.words
    page.get_by_text(words["filter_and_search"], exact=True).click()
    field = page.get_by_label(words["platform"], exact=True)
    field.fill(platform[:2])
    # The type-ahead offers the platform as its label (name and number), which is what the filter sends.
    offered = page.locator(f'#f-platform-suggestions option[value^="{platform} #"]').first
    expect(offered).to_be_attached()
    field.fill(offered.get_attribute("value") or "")
    page.get_by_label(words["violation"], exact=True).select_option(label=violation)
    page.get_by_role("checkbox", name=words["with_evidence"]).check()
    page.get_by_role("button", name=words["apply"], exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]evidence=1"))


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_an_officer_enrols_triages_and_refers_a_complaint_with_evidence_and_the_consumer_sees_it_referred(
    visit: Callable[..., Visit], live_app: Flask, tmp_path: Path, lang: str
) -> None:
    directory_platform(live_app, TYPED[lang]["platform"], kind="other")  # a platform the directory knows
    filer, reference, access_code = file_with_evidence(visit, lang, tmp_path)
    typed_platform = filer.typed["platform"]
    violence = f"{VIOLENCE} {filer.words['violation_a']}"
    twin = file_twin(live_app, typed_platform, [VIOLENCE, MAIN_VIOLATION], filer.typed["narrative"])

    # Enrolment from the one-time link, then signing out and in again with a fresh code.
    officer = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, f"officer-{lang.lower()}@example.test")
    page, words, desk = officer.page, officer.words, officer.visit
    authenticator = enrol(officer, create_account(live_app, officer.email))
    sign_out(officer)
    desk.check_accessibility("sign-in")
    enrolment_code = authenticator.used_codes[-1]
    sign_in(officer, authenticator, code=enrolment_code)
    expect(page.get_by_role("alert")).to_contain_text(words["sign_in_failed"])
    desk.check_accessibility("sign-in refused (code already used)")
    sign_in(officer, authenticator)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["queue"])
    desk.check_accessibility("queue")

    # The queue, filtered down to this platform, violation and complaints with evidence.
    filter_queue(officer, typed_platform, violence)
    table = page.get_by_role("table", name=words["complaints"])
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text(typed_platform)
    for row in rows.all():
        expect(row).to_contain_text(typed_platform)
    expect(table.get_by_role("link", name=twin)).to_have_count(0)
    desk.check_accessibility("filtered queue")
    table.get_by_role("link", name=reference).click()

    # The case page: the evidence is shown and can be downloaded.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{words['complaint']} {reference}")
    evidence = page.get_by_role("region", name=words["evidence"], exact=True)
    image = evidence.get_by_role("img", name=words["evidence_image"])
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    expect(evidence.locator("audio")).to_have_count(1)
    with page.expect_download() as download:
        evidence.get_by_role("link", name=words["download"]).first.click()
    downloaded_sha256 = hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest()
    expect(evidence).to_contain_text(downloaded_sha256)
    desk.check_accessibility("case page")
    expect_controls_named_apart(desk, "case page")

    # The twin telling the same story is suggested as a duplicate; side by side, it is not one to close.
    duplicates = page.get_by_role("region", name=words["possible_duplicates"])
    expect(duplicates).to_contain_text(words["near_identical"])
    duplicates.get_by_role("link", name=twin).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["compare"])
    desk.check_accessibility("duplicates side by side")
    page.get_by_role("link", name=f"← {reference}").click()

    # Triage: the consumer's codes are kept, severity raised, the evidence marked as verified.
    triage = page.get_by_role("region", name=words["accept_at_triage"])
    expect(triage.get_by_role("checkbox", name=violence)).to_be_checked()
    expect(triage.get_by_label(words["main_violation"], exact=True)).to_have_value(MAIN_VIOLATION)
    triage.get_by_label(words["severity"], exact=True).select_option(label=words["high"])
    triage.get_by_role("checkbox", name=words["evidence_verified_box"]).check()
    triage.get_by_role("button", name=words["accept"], exact=True).click()
    expect(page.get_by_text(words["accepted_flash"])).to_be_visible()
    summary = page.locator(".case-summary")
    expect(summary).to_contain_text(words["accepted"])
    expect(summary).to_contain_text(words["evidence_verified"])

    # Referral to the regulator the routing rules suggest.
    referral = page.get_by_role("region", name=words["refer_heading"])
    expect(referral).to_contain_text(words["suggested"])
    expect(referral.get_by_role("listitem").filter(has_text=SUGGESTED_REGULATOR)).to_have_count(1)
    expect(referral.get_by_label(words["regulator"], exact=True)).to_have_value(SUGGESTED_REGULATOR)
    desk.check_accessibility("case page with the referral form")
    referral.get_by_label(words["regulator_reference"]).fill("JX-2026-0815")
    referral.get_by_role("button", name=words["record_referral"]).click()
    expect(page.get_by_text(words["referral_recorded"])).to_be_visible()
    expect(summary).to_contain_text(words["referred"])
    desk.check_accessibility("case page after the referral")
    expect_controls_named_apart(desk, "case page after the referral")

    # The printable packet lists the evidence by SHA-256 and leaves out the unconsented identity.
    page.get_by_role("link", name=words["referral_packet"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{words['packet_heading']} {reference}")
    expect(page.get_by_role("cell", name=downloaded_sha256)).to_be_visible()
    expect(page.get_by_text(words["anonymised"])).to_be_visible()
    desk.check_accessibility("referral packet")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name=words["workspace"])).to_be_hidden()
    expect(page.get_by_role("cell", name=downloaded_sha256)).to_be_visible()
    page.emulate_media(media="screen")

    # The consumer, on another device, sees the complaint sent to a regulator.
    consumer = arrive(visit, lang, "phone")
    look_up(consumer, reference, access_code)
    expect_status_page(consumer, reference, "referred")
    expect(timeline_entry(consumer, "referred")).to_have_count(1)
    consumer.visit.check_accessibility("status page of a referred complaint")

    supervisor_reads_the_audit_log_and_the_directory(visit, live_app, lang, reference, typed_platform)


def supervisor_reads_the_audit_log_and_the_directory(
    visit: Callable[..., Visit], live_app: Flask, lang: str, reference: str, platform: str
) -> None:
    """A supervisor finds the evidence opening and the packet in the audit log, then walks the directory."""
    chief = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, f"chief-{lang.lower()}@example.test")
    authenticator = enrolled_account(live_app, chief.email, Role.ADMIN)
    page, words, desk = chief.page, chief.words, chief.visit
    desk.goto("/officer/")
    sign_in(chief, authenticator)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["queue"])
    workspace = page.get_by_role("navigation", name=words["workspace"])

    workspace.get_by_role("link", name=words["audit_log"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["audit_log"])
    page.get_by_label(words["complaint_reference"]).fill(reference)
    page.get_by_role("button", name=words["apply"], exact=True).click()
    records = page.get_by_role("table", name=words["audit_log"]).locator("tbody tr")
    expect(records.filter(has_text=words["evidence_opened"]).first).to_be_visible()
    expect(records.filter(has_text=words["packet_opened"])).to_have_count(1)
    desk.check_accessibility("audit log filtered by complaint")

    workspace.get_by_role("link", name=words["accounts"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["accounts"])
    expect(page.get_by_role("row").filter(has_text=f"officer-{lang.lower()}@example.test")).to_have_count(1)
    desk.check_accessibility("accounts")
    expect_controls_named_apart(desk, "accounts")

    workspace.get_by_role("link", name=words["directory"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["platforms"])
    desk.check_accessibility("platforms")
    page.get_by_role("table", name=words["platforms"]).get_by_role("link", name=platform, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(platform)
    desk.check_accessibility("a platform")
    directory = page.get_by_role("navigation", name=words["directory"])
    for section in ("collectors", "regulators", "routing_rules"):
        directory.get_by_role("link", name=words[section]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words[section])
        desk.check_accessibility(section)
        expect_controls_named_apart(desk, section)
    directory.get_by_role("link", name=words["regulators"]).click()
    page.get_by_role("link", name=SUGGESTED_REGULATOR, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUGGESTED_REGULATOR)
    desk.check_accessibility("a regulator")


def test_on_a_phone_the_queue_fits_the_screen_and_passes_axe(visit: Callable[..., Visit], live_app: Flask) -> None:
    officer = OfficerVisit(visit("phone", "zh-CN"), "zh_Hans", "officer-phone@example.test")
    authenticator = enrolled_account(live_app, officer.email, Role.OFFICER)
    officer.visit.goto("/officer/sign-in")
    officer.visit.check_accessibility("sign-in on a phone")
    sign_in(officer, authenticator)
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text(officer.words["queue"])
    page.get_by_text(officer.words["filter_and_search"], exact=True).click()
    expect(page.get_by_label(officer.words["platform"], exact=True)).to_be_visible()
    officer.visit.check_accessibility("queue on a phone")
    # The wide table scrolls inside its frame; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
