"""A private person's name typed as the platform stays private, in a real Chromium (issue 10).

Before, the typed ``张伟 13800138000`` became an unverified platform that the next visitor's
type-ahead offered and the statistics listed once a triage kept it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import Complaint, Role
from tests.browser.consumer import arrive, fill_form, open_form, read_receipt, send_form
from tests.browser.officer import BROWSER_LANGUAGE, OfficerVisit, directory_platform, enrolled_account, sign_in
from tests.browser.visit import Visit

pytestmark = pytest.mark.browser

PRIVATE_NAME = "张伟 13800138000"
PRIVATE_PARTS = ("张伟", "13800138000")
VERIFIED = "虚构分期乐园"


def _offered(page: Page, typed: str) -> list[str]:
    """What the platform field's type-ahead offers once its answer for this text arrived."""
    page.wait_for_load_state("load")  # the type-ahead listens only once the page's script has run
    field = page.locator("#platform")
    with page.expect_response(lambda r: "/platforms/suggest" in r.url and r.status == 200) as answer:
        field.fill(typed)
    answer.value.finished()
    return [o.get_attribute("value") or "" for o in page.locator("#platform-suggestions option").all()]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_a_typed_private_name_is_never_offered_nor_published_and_triage_links_a_verified_platform(
    visit: Callable[..., Visit], live_app: Flask, lang: str
) -> None:
    platform_id = directory_platform(live_app, f"{VERIFIED}{lang}", kind="installment_mall")

    # A consumer types a private person's name and phone number as the platform.
    filer = arrive(visit, lang, "phone")
    open_form(filer)
    fill_form(filer)
    filer.page.get_by_label(filer.words["platform"]).fill(PRIVATE_NAME)
    send_form(filer)
    reference, _code = read_receipt(filer)

    # The next visitor's type-ahead offers verified platforms only: not the typed name, whatever is typed.
    other = arrive(visit, lang, "desktop")
    open_form(other)
    for typed in ("张伟", "138", "1380013"):
        offered = _offered(other.page, typed)
        assert not any(part in value for value in offered for part in PRIVATE_PARTS), (typed, offered)
    assert f"{VERIFIED}{lang}" in _offered(other.page, VERIFIED[:3])

    # The officer sees what was typed, is refused acceptance without a verified platform, then links one.
    officer = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, f"typed-names-{lang.lower()}@example.test")
    authenticator = enrolled_account(live_app, officer.email, Role.OFFICER)
    officer.visit.goto("/officer/sign-in")
    sign_in(officer, authenticator)
    with live_app.app_context():
        complaint_id = db.session.scalar(select(Complaint.id).where(Complaint.reference == reference))
    page, words = officer.page, officer.words
    officer.visit.goto(f"/officer/complaints/{complaint_id}")
    expect(page.locator(".facts").first).to_contain_text(PRIVATE_NAME)
    triage = page.get_by_role("region", name=words["accept_at_triage"])
    triage.get_by_role("button", name=words["accept"], exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    officer.visit.check_accessibility("triage refused without a verified platform")
    triage = page.get_by_role("region", name=words["accept_at_triage"])
    field = triage.get_by_label(words["platform"], exact=True)
    field.fill(VERIFIED[:3])
    offered = page.locator(f'#platform-suggestions option[value^="{VERIFIED}{lang} #"]').first
    expect(offered).to_be_attached()
    field.fill(offered.get_attribute("value") or "")
    triage.get_by_role("button", name=words["accept"], exact=True).click()
    expect(page.get_by_text(words["accepted_flash"])).to_be_visible()

    # The public statistics name the verified platform, never what the consumer typed.
    reader = arrive(visit, lang, "desktop")
    for path in ("/statistics/", f"/statistics/platform/{platform_id}", "/statistics/data"):
        reader.visit.goto(path)
        body = reader.page.locator("body")
        for part in PRIVATE_PARTS:
            expect(body).not_to_contain_text(part)
    reader.visit.goto(f"/statistics/platform/{platform_id}")
    expect(reader.page.get_by_role("heading", level=1)).to_contain_text(f"{VERIFIED}{lang}")
