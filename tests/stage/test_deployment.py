"""Consumer and officer journeys through the deployment README.md sets up: nginx (TLS), gunicorn, PostgreSQL, Redis.

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
