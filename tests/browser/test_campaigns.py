"""A campaign in Chromium: an agent's batch forms one as it is filed, an officer closes its copies as duplicates
of one in a single action, and the platform's public count drops by as many."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from complaints.casework import triage
from complaints.extensions import db
from complaints.intake.filing import ComplaintSubmission, file_complaint
from complaints.intake.storage import evidence_store
from complaints.models import Complaint, Officer, Role
from tests.browser.officer import BROWSER_LANGUAGE, OfficerVisit, directory_platform, enrolled_account, sign_in
from tests.browser.statistics import largest_other_platform
from tests.browser.visit import Visit
from tests.data import campaign_corpus

pytestmark = pytest.mark.browser

#: The batch's size: an agent's template filed for six clients, each copy changed a little.
BATCH = 6
#: Fictional platforms of this journey's own, one per language (others share the served database).
PLATFORM = {"zh_Hans": "虚构快易分期", "en": "Fictional QuickEasy Instalments"}
WORDS = {
    "zh_Hans": {
        "campaigns": "批量投诉",
        "campaign": "批量投诉 {}",
        "near_duplicate": "陈述近似重复",
        "choose": "选择 {}",
        "original": "其他投诉所重复的那件投诉",
        "close_all": "作为其重复投诉结案",
        "closed_flash": "已将 {} 件投诉作为重复投诉结案。",
        "closed": "已结束",
    },
    "en": {
        "campaigns": "Campaigns",
        "campaign": "Campaign {}",
        "near_duplicate": "Near-duplicate narrative",
        "choose": "Choose {}",
        "original": "The complaint the others duplicate",
        "close_all": "Close as duplicates of it",
        "closed_flash": "{} complaints closed as duplicates.",
        "closed": "Closed",
    },
}


def _file_and_accept(live_app: Flask, platform: str, officer_email: str, narratives: list[str]) -> list[str]:
    """Complaints filed about the platform and accepted at triage; their references."""
    references = []
    with live_app.app_context():
        officer = db.session.scalars(select(Officer).where(Officer.email == officer_email)).one()
        for narrative in narratives:
            submission = ComplaintSubmission(
                platform=platform, violations=["THR-01"], primary_violation="THR-01", narrative=narrative
            )
            complaint = file_complaint(submission, [], evidence_store()).complaint
            triage.accept(complaint, triage.TriageDecision(codes=["THR-01"], primary_code="THR-01"), by=officer)
            db.session.commit()
            references.append(complaint.reference)
    return references


def _public_count(page: Page, platform: str) -> str:
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=platform, exact=True))
    return row.locator("td.count").inner_text().strip()


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_an_officer_closes_a_campaigns_copies_as_duplicates_at_once_and_the_public_count_drops(
    visit: Callable[..., Visit], live_app: Flask, lang: str
) -> None:
    words = WORDS[lang]
    platform = PLATFORM[lang]
    platform_id = directory_platform(live_app, platform)
    officer = OfficerVisit(
        visit("desktop", BROWSER_LANGUAGE[lang]), lang, f"campaign-officer-{lang.lower()}@example.org"
    )
    officer_key = enrolled_account(live_app, officer.email, Role.OFFICER)

    # People's own complaints about the platform: more than any other platform of the served database has,
    # so that no suppression hides its row before or after (the largest count is never the hidden one).
    genuine = [text.format(platform=platform, phone="15500001234") for text in campaign_corpus.GENUINE]
    own = max(largest_other_platform(live_app, platform_id) + BATCH + 1, 12)
    # (past thirty the stories repeat, and the repeats tie into campaigns of their own: no matter here)
    _file_and_accept(live_app, platform, officer.email, [genuine[n % len(genuine)] for n in range(own)])
    batch = _file_and_accept(
        live_app, platform, officer.email, [campaign_corpus.template_copy(n, platform) for n in range(BATCH)]
    )

    stats = visit("phone", BROWSER_LANGUAGE[lang])
    stats.goto("/statistics/")
    expect(
        stats.page.get_by_role("row").filter(has=stats.page.get_by_role("link", name=platform, exact=True))
    ).to_be_visible()
    assert _public_count(stats.page, platform) == str(own + BATCH)

    # 1. The officer finds the campaign the batch formed as it was filed, and sees why each copy is in it.
    officer.visit.goto("/officer/sign-in")
    sign_in(officer, officer_key)
    page = officer.page
    page.get_by_role("link", name=words["campaigns"], exact=True).click()
    with live_app.app_context():
        campaign_ids = set(db.session.scalars(select(Complaint.campaign_id).where(Complaint.reference.in_(batch))))
    assert len(campaign_ids) == 1 and None not in campaign_ids, "the batch forms one campaign"
    campaign_id = campaign_ids.pop()
    officer.visit.check_accessibility("campaigns")
    page.get_by_role("link", name=words["campaign"].format(campaign_id), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["campaign"].format(campaign_id))
    members = page.get_by_role("table")
    for reference in batch:
        expect(members.get_by_role("row").filter(has_text=reference)).to_contain_text(words["near_duplicate"])
    officer.visit.check_accessibility("a campaign")

    # 2. Every copy chosen, the first as the one they duplicate, closed in one action.
    for reference in batch:
        page.get_by_role("checkbox", name=words["choose"].format(reference)).check()
    page.get_by_label(words["original"]).select_option(label=batch[0])
    page.get_by_role("button", name=words["close_all"]).click()
    expect(page.get_by_text(words["closed_flash"].format(BATCH - 1))).to_be_visible()
    for reference in batch[1:]:
        expect(members.get_by_role("row").filter(has_text=reference)).to_contain_text(words["closed"])

    # 3. The public count drops by as many: the campaign counts once, under the complaint the others duplicate.
    stats.goto("/statistics/")
    assert _public_count(stats.page, platform) == str(own + 1)
