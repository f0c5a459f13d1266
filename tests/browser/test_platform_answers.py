"""The platform response loop end to end in Chromium: filed, sent, answered by an invited responder, mailed,
disputed by the consumer, referred by the officer with the whole exchange, and counted on the statistics."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from complaints.casework import platform_loop, triage
from complaints.extensions import db
from complaints.intake.filing import ComplaintSubmission, file_complaint
from complaints.intake.storage import evidence_store
from complaints.models import Collector, Officer, Role
from complaints.statistics import answers
from complaints.statistics.periods import ALL_TIME
from tests.browser.consumer import arrive, expect_status_page, fill_form, look_up, open_form, read_receipt, send_form
from tests.browser.officer import (
    BROWSER_LANGUAGE,
    OfficerVisit,
    directory_platform,
    enrol,
    enrolled_account,
    sign_in,
)
from tests.browser.platform_loop import ANSWER, CONSUMER_EMAIL, CONSUMER_NAME, DISPUTE, PLATFORM, WORDS
from tests.browser.statistics import largest_other_platform
from tests.browser.visit import Visit
from tests.support.smtp_server import SmtpServer, serving

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp_server(live_app: Flask) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that the served app's send-mail worker delivers to."""
    with serving(live_app) as server:
        yield server


def send_mail(live_app: Flask) -> None:
    """What the `flask send-mail` worker beside the web servers does on each pass.

    Inside the served app's own context: the CLI would otherwise run in the suite's app, already current.
    """
    with live_app.app_context():
        result = live_app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output


def directory_collector(live_app: Flask, name: str) -> int:
    """A collector of this name in the directory (what an officer linked once); its id."""
    with live_app.app_context():
        collector = Collector(name=name, kind="agency")
        db.session.add(collector)
        db.session.commit()
        return collector.id


def more_accepted(
    live_app: Flask,
    platform: str,
    collector_id: int,
    officer_email: str,
    *,
    count: int,
    responder_email: str | None = None,
    disputed: int = 0,
) -> None:
    """Complaints about the platform filed and accepted with the collector, as the journey's was; with a
    responder, also sent and answered in time, and the first ``disputed`` of them disputed by their consumers."""
    with live_app.app_context():
        officer = db.session.scalars(select(Officer).where(Officer.email == officer_email)).one()
        responder = (
            db.session.scalars(select(Officer).where(Officer.email == responder_email)).one()
            if responder_email
            else None
        )
        for n in range(count):
            submission = ComplaintSubmission(
                platform=platform,
                violations=["THR-01"],
                primary_violation="THR-01",
                narrative=f"催收员第{n + 1}次打电话威胁我的家人。",
            )
            complaint = file_complaint(submission, [], evidence_store()).complaint
            decision = triage.TriageDecision(
                codes=["THR-01"], primary_code="THR-01", collector_id=collector_id, send_to_platform=bool(responder)
            )
            triage.accept(complaint, decision, by=officer)
            if responder is not None:
                platform_loop.respond(complaint, responder, "non_monetary_relief", "已停止催收，并向您道歉。")
            if n < disputed:
                platform_loop.review(complaint, "disputed", "电话还在继续，问题没有解决。")
            db.session.commit()


@pytest.mark.parametrize(("lang", "viewport"), [("zh_Hans", "phone"), ("en", "desktop")])
def test_a_platform_answers_the_consumer_disputes_and_the_officer_refers_the_whole_exchange(
    visit: Callable[..., Visit], live_app: Flask, smtp_server: SmtpServer, lang: str, viewport: str
) -> None:
    words = WORDS[lang]
    suffix = lang.lower().replace("_", "-")
    # The platform the consumer names is a verified entry of the directory, so the complaint links to it;
    # a name of this test's own: other journeys put the form's usual platform in the same directory.
    consumer = arrive(visit, lang, viewport)
    platform_name = PLATFORM[lang]
    platform_id = directory_platform(live_app, platform_name)
    # A collector of this journey's own: its platform's complaints are all linked to it (step 7 says why).
    collector_id = directory_collector(live_app, f"{platform_name} {words['collector_suffix']}")

    # 1. The consumer files, agreeing to be contacted and to share their identity with the platform.
    open_form(consumer)
    fill_form(consumer)
    page = consumer.page
    page.get_by_label(consumer.words["platform"]).fill(platform_name)
    page.get_by_role("checkbox", name=words["contact_me"]).check()
    page.get_by_role("checkbox", name=words["share_with_platform"]).check()
    page.get_by_role("textbox", name=words["your_name"]).fill(CONSUMER_NAME)
    email = f"{suffix}.{CONSUMER_EMAIL}"
    page.get_by_role("textbox", name=words["your_email"]).fill(email)
    send_form(consumer)
    reference, access_code = read_receipt(consumer)

    # 2. An officer accepts it at triage; sending it to the platform is what the form proposes.
    officer = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, f"loop-officer-{suffix}@example.org")
    officer_key = enrolled_account(live_app, officer.email, Role.ADMIN)
    officer.visit.goto("/officer/sign-in")
    sign_in(officer, officer_key)
    officer.page.get_by_role("link", name=reference).click()
    triage_form = officer.page.get_by_role("region", name=words["accept_at_triage"])
    expect(triage_form.get_by_role("checkbox", name=words["send_to_platform"])).to_be_checked()
    triage_form.get_by_role("combobox", name=words["collector"], exact=True).fill(f"#{collector_id}")
    triage_form.get_by_role("button", name=words["accept"], exact=True).click()
    expect(officer.page.get_by_text(words["accepted_flash"])).to_be_visible()

    # 3. The supervisor invites the platform's representative, who enrols from the link and answers.
    officer.visit.goto("/officer/accounts")
    responder_email = f"desk-{suffix}@fictional-lender.example.org"
    officer.page.get_by_role("textbox", name=words["representative_email"]).fill(responder_email)
    officer.page.get_by_role("combobox", name=words["platform_they_answer"]).fill(f"#{platform_id}")
    officer.page.get_by_role("button", name=words["invite"], exact=True).click()
    link = officer.page.locator("#enrolment-link").inner_text().strip()
    enrolment_path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    officer.visit.check_accessibility("accounts page with a responder's invitation")

    responder = OfficerVisit(visit("desktop", BROWSER_LANGUAGE[lang]), lang, responder_email)
    enrol(responder, enrolment_path)
    portal = responder.page
    expect(portal.get_by_role("heading", level=1)).to_have_text(words["complaints_about"].format(platform_name))
    responder.visit.check_accessibility("responder portal")
    portal.get_by_role("link", name=reference).click()
    expect(portal.locator("main")).to_contain_text(CONSUMER_NAME)  # shared with the consumer's consent
    responder.visit.check_accessibility("a complaint in the responder portal")
    portal.get_by_role("radio", name=words["non_monetary"]).check()
    portal.get_by_role("textbox", name=words["answer_text"]).fill(ANSWER[lang])
    portal.get_by_role("button", name=words["send_answer"]).click()
    expect(portal.get_by_text(words["answer_sent"])).to_be_visible()
    # The responder sees no officer page.
    assert responder.visit.context.request.get(f"{officer.visit.base}/officer/").status == 403

    # 4. The mail reaches the consumer at the local SMTP server, saying only where to look.
    send_mail(live_app)
    to_consumer = [m for m in smtp_server.delivered if m.rcpt_tos == [email]]
    answered = [m for m in to_consumer if reference in str(m.email["Subject"]) and "/status" in m.text]
    assert answered, [(m.rcpt_tos, str(m.email["Subject"]), m.text) for m in smtp_server.delivered]
    assert all(ANSWER[lang] not in m.text and CONSUMER_NAME not in m.text for m in to_consumer)
    assert any(m.rcpt_tos == [responder_email] for m in smtp_server.delivered) is False, (
        "the responder was invited after the complaint was sent, so no notice went to them"
    )

    # 5. The consumer opens the status page, reads the answer and disputes it.
    look_up(consumer, reference, access_code)
    expect_status_page(consumer, reference, "accepted")
    section = page.get_by_role("region", name=words["platform_answer"])
    expect(section).to_contain_text(ANSWER[lang])
    consumer.visit.check_accessibility("status page with the platform's answer")
    section.get_by_role("radio", name=words["dispute"]).check()
    section.get_by_role("textbox", name=words["why_not"]).fill(DISPUTE[lang])
    section.get_by_role("button", name=words["send_my_answer"]).click()
    expect(page.get_by_text(words["disputed_flash"])).to_be_visible()
    expect(page.get_by_text(words["you_said_disputed"])).to_be_visible()
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 6. The dispute is back before the officer, who refers it; the packet carries the whole exchange.
    officer.visit.goto("/officer/")
    officer.page.get_by_role("link", name=re.compile(re.escape(words["back_from_platform"]))).click()
    officer.page.get_by_role("link", name=reference).click()
    expect(officer.page.locator("main")).to_contain_text(DISPUTE[lang])
    expect(officer.page.locator("main")).to_contain_text(words["disputed_stage"])
    referral = officer.page.get_by_role("region", name=words["refer_heading"])
    referral.get_by_label(words["regulator"], exact=True).select_option("NFRA")
    referral.get_by_role("button", name=words["record_referral"]).click()
    expect(officer.page.get_by_text(words["referral_recorded"])).to_be_visible()
    officer.page.get_by_role("link", name=words["referral_packet"], exact=True).first.click()
    packet = officer.page.locator("main")
    expect(packet).to_contain_text(words["exchange"])
    expect(packet).to_contain_text(ANSWER[lang])
    expect(packet).to_contain_text(DISPUTE[lang])

    # 7. The statistics home shows how the platform answers: all in time, half disputed. The database is
    # shared with the other journeys, whose small platforms complementary suppression protects by hiding
    # a visible neighbour; so the figures are built such that this platform's row is never that neighbour,
    # whatever else the database holds, and the page must show the numbers, never "—":
    # - every complaint of the platform is linked to the journey's own collector, with those of a second
    #   platform of the journey's and nothing else: no line of the platforms × collectors table through
    #   the platform's one non-zero cell ever has a small cell, so neither that cell nor its row total is
    #   hidden for a small count's sake;
    # - the only line left that can hide the platform's total is the one of all platforms' totals, which
    #   hides visible totals smallest first, so the second platform's (k + 1) before this one's (2m, the
    #   largest); and once a total of k + 1 is hidden, no hidden total of that line can be worked out any
    #   more (it leaves each of them a complaint of doubt), so nothing larger is hidden;
    # - the platform's own cells are 0 or at least k (2m sent and answered in time, m disputed, m not
    #   reviewed), so its shares are 100% and 50%: a figure wrong or swapped shows.
    k = int(live_app.config["STATS_MIN_CELL"])
    second_platform = f"{platform_name} {words['second_suffix']}"
    directory_platform(live_app, second_platform)
    more_accepted(live_app, second_platform, collector_id, officer.email, count=k + 1)
    m = max(k, largest_other_platform(live_app, platform_id) // 2 + 1)
    more_accepted(
        live_app,
        platform_name,
        collector_id,
        officer.email,
        count=2 * m - 1,
        responder_email=responder_email,
        disputed=m - 1,
    )
    with live_app.app_context():
        published = answers.for_platform(ALL_TIME, platform_id)
    assert (published.share_in_time, published.share_disputed) == (1.0, 0.5), published
    stats = consumer.visit.goto("/statistics/")
    row = stats.get_by_role("row").filter(has=stats.get_by_role("link", name=platform_name, exact=True))
    expect(row.locator("td.answered-in-time")).to_have_text("100%")
    expect(row.locator("td.disputed")).to_have_text("50%")
    consumer.visit.check_accessibility("statistics home with the answer columns")
