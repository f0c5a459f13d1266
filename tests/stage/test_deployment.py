"""Consumer, officer and responder journeys through the deployment README.md sets up: nginx (TLS), gunicorn,
PostgreSQL, Redis.

Over HTTPS Flask-WTF refuses a form POST without a same-origin Referer (WTF_CSRF_SSL_STRICT); the
plain-HTTP browser tests cannot see that, this stage does (issue 11, finding 2: a
`<meta name="referrer" content="no-referrer">` in the base page made every form POST answer 400).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.consumer import (
    Consumer,
    evidence_files,
    expect_status_page,
    fill_form,
    look_up,
    open_form,
    read_receipt,
    send_form,
)
from tests.browser.officer import OfficerVisit, enrol, sign_in, sign_out
from tests.browser.platform_loop import ANSWER, CONSUMER_NAME, WORDS
from tests.browser.visit import Visit
from tests.stage.conftest import Deployment

pytestmark = pytest.mark.browser

StageVisit = Callable[..., tuple[Visit, list[Response]]]


def posted(page: Page, action: Callable[[], None], what: str) -> None:
    """Do ``action``, which sends a form; the POST must not be refused with 400."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        action()
    response = answer.value
    assert response.status != 400, (
        f"{what}: POST {response.url} answered 400 through the deployment "
        f"(Referer sent: {response.request.headers.get('referer')!r})"
    )


def test_a_consumer_files_on_the_phone_in_chinese_and_looks_the_complaint_up(
    stage_visit: StageVisit, deployment: Deployment, tmp_path: Path
) -> None:
    visitor, _ = stage_visit("phone", "zh-CN")
    consumer = Consumer(visitor, "zh_Hans")
    page = visitor.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(consumer.words["home_heading"])
    assert page.url.startswith("https://")

    open_form(consumer)
    fill_form(consumer, files=[evidence_files(tmp_path)["chat.png"]])
    posted(page, lambda: send_form(consumer), "filing a complaint")
    reference, access_code = read_receipt(consumer)

    posted(page, lambda: look_up(consumer, reference, access_code), "looking up the status")
    expect_status_page(consumer, reference, "submitted")


def test_an_officer_enrols_from_the_printed_link_signs_in_and_opens_a_complaint(
    stage_visit: StageVisit, deployment: Deployment, tmp_path: Path
) -> None:
    filer, _ = stage_visit("phone", "zh-CN")
    consumer = Consumer(filer, "zh_Hans")
    filer.goto("/")
    open_form(consumer)
    fill_form(consumer)
    posted(filer.page, lambda: send_form(consumer), "filing a complaint")
    reference, _ = read_receipt(consumer)

    printed = deployment.flask("create-officer", "--email", "chief@example.test", "--role", "admin")
    link = printed.strip().splitlines()[-1]
    assert link.startswith(deployment.base_url + "/officer/enrol/"), printed

    desk, _ = stage_visit("desktop", "zh-CN")
    officer = OfficerVisit(desk, "zh_Hans", "chief@example.test")
    page, words = officer.page, officer.words
    authenticator = enrol(officer, link.removeprefix(deployment.base_url))
    sign_out(officer)
    posted(page, lambda: sign_in(officer, authenticator), "signing in")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["queue"])
    page.get_by_role("table", name=words["complaints"]).get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{words['complaint']} {reference}")


def test_a_responder_invited_through_the_pages_answers_and_the_consumer_settles(
    stage_visit: StageVisit, deployment: Deployment
) -> None:
    """The platform loop over HTTPS: every step a person takes on the real pages, across gunicorn's workers."""
    platform_name = "虚构部署回音分期"
    filer, _ = stage_visit("phone", "zh-CN")
    consumer = Consumer(filer, "zh_Hans")
    filer.goto("/")
    open_form(consumer)
    fill_form(consumer)
    page, mine = filer.page, WORDS["zh_Hans"]
    page.get_by_label(consumer.words["platform"]).fill(platform_name)
    page.get_by_role("checkbox", name=mine["share_with_platform"]).check()
    page.get_by_role("textbox", name=mine["your_name"]).fill(CONSUMER_NAME)
    posted(page, lambda: send_form(consumer), "filing a complaint")
    reference, access_code = read_receipt(consumer)

    # A supervisor, created as the operator does, enrols; at triage adds the platform the consumer named
    # (a new directory entry, verified) and sends the complaint to it, then invites its representative.
    printed = deployment.flask("create-officer", "--email", "loop-chief@example.test", "--role", "admin")
    desk, _ = stage_visit("desktop", "en-US")
    officer = OfficerVisit(desk, "en", "loop-chief@example.test")
    theirs = WORDS["en"]
    enrol(officer, printed.strip().splitlines()[-1].removeprefix(deployment.base_url))
    desk.goto("/officer/")
    officer.page.get_by_role("link", name=reference).click()
    triage = officer.page.get_by_role("region", name=theirs["accept_at_triage"])
    triage.get_by_role("textbox", name=theirs["add_platform"]).fill(platform_name)
    expect(triage.get_by_role("checkbox", name=theirs["send_to_platform"])).to_be_checked()
    accept = triage.get_by_role("button", name=theirs["accept"], exact=True)
    posted(officer.page, accept.click, "accepting and sending to the platform")
    expect(officer.page.get_by_text(theirs["accepted_flash"])).to_be_visible()
    desk.goto("/officer/accounts")
    officer.page.get_by_role("textbox", name=theirs["representative_email"]).fill("desk@stage-lender.example.org")
    officer.page.get_by_role("combobox", name=theirs["platform_they_answer"]).fill(platform_name)
    invite = officer.page.get_by_role("button", name=theirs["invite"], exact=True)
    posted(officer.page, invite.click, "inviting the platform's representative")
    link = officer.page.locator("#enrolment-link").inner_text().strip()
    assert link.startswith(deployment.base_url + "/officer/enrol/"), link

    # The representative enrols from the link, signs out and in again, and answers in the portal.
    portal_visit, _ = stage_visit("desktop", "en-US")
    responder = OfficerVisit(portal_visit, "en", "desk@stage-lender.example.org")
    portal = responder.page
    authenticator = enrol(responder, link.removeprefix(deployment.base_url))
    expect(portal.get_by_role("heading", level=1)).to_have_text(theirs["complaints_about"].format(platform_name))
    sign_out_button = portal.get_by_role("navigation", name=theirs["responder_portal"]).get_by_role(
        "button", name=responder.words["sign_out"]
    )
    posted(portal, sign_out_button.click, "a responder signing out")
    posted(portal, lambda: sign_in(responder, authenticator), "a responder signing in")
    expect(portal.get_by_role("heading", level=1)).to_have_text(theirs["complaints_about"].format(platform_name))
    portal.get_by_role("link", name=reference).click()
    expect(portal.locator("main")).to_contain_text(CONSUMER_NAME)  # shared with the consumer's consent
    portal.get_by_role("radio", name=theirs["non_monetary"]).check()
    portal.get_by_role("textbox", name=theirs["answer_text"]).fill(ANSWER["en"])
    send_answer = portal.get_by_role("button", name=theirs["send_answer"])
    posted(portal, send_answer.click, "answering in the portal")
    expect(portal.get_by_text(theirs["answer_sent"])).to_be_visible()

    # The consumer reads the answer on the status page and says it settled the complaint.
    posted(page, lambda: look_up(consumer, reference, access_code), "looking up the status")
    expect_status_page(consumer, reference, "accepted")
    section = page.get_by_role("region", name=mine["platform_answer"])
    expect(section).to_contain_text(ANSWER["en"])
    section.get_by_role("radio", name=mine["settle"]).check()
    send_review = section.get_by_role("button", name=mine["send_my_answer"])
    posted(page, send_review.click, "settling on the status page")
    expect(page.get_by_text(mine["settled_flash"])).to_be_visible()
    expect(page.get_by_text(mine["you_said_settled"])).to_be_visible()

    # The representative sees the consumer's verdict, and no officer page.
    portal.reload()
    expect(portal.locator("main")).to_contain_text(theirs["consumers_review"])
    assert portal_visit.context.request.get(deployment.base_url + "/officer/").status == 403
