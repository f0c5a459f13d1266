"""What a first-time consumer tripped over on the form: a collector's bulk-SMS number, a limit that counted mistakes.

The app here is this module's own (its own database, CSRF on, a filing limit of two per browser),
so that filing to the limit does not touch the other browser tests' app.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from complaints.extensions import db
from tests.browser.consumer import Consumer, arrive, fill_form, open_form, read_receipt, send_form
from tests.browser.visit import Visit
from tests.conftest import make_test_app
from tests.databases import own_database

pytestmark = pytest.mark.browser

#: Accepted filings per browser in this module's app.
PER_BROWSER = 2
#: Sending the form with a mistake this often used to use up the filing limit (20 an hour) and lose the form.
MISTAKES = 21

WORDS = {
    "en": {
        "collector_phones": "Phone numbers they called or texted from",
        "contact_phone": "Your phone number (optional)",
        "contact_me": "Contact me about this complaint.",
        "desired_outcome": "What would you like to happen?",
        "call_back": "mobile number (11 digits, such as 138 0013 8000) or a landline with its area code",
        "wait": re.compile(r"Please wait (\d+) minutes?, then send the form again"),
    },
    "zh_Hans": {
        "collector_phones": "对方打电话或发短信用的号码",
        "contact_phone": "您的电话号码（选填）",
        "contact_me": "可以就这件投诉联系我。",
        "desired_outcome": "您希望得到怎样的处理？",
        "call_back": "请填写手机号（11 位，例如 138 0013 8000）或带区号的固定电话",
        "wait": re.compile(r"请等 (\d+) 分钟后再提交"),
    },
}
#: The numbers a collection agency really texted and called from (fictional subscriber parts).
COLLECTOR_NUMBERS = "10690000123\n95588\n400-800-1234\n0755-8888 6666\n8888 6666"
OUTCOME = {"en": "Only contact me, never my family.", "zh_Hans": "只联系我本人，不要再打扰我的家人。"}

BOTH_WAYS = pytest.mark.parametrize(("lang", "viewport"), [("zh_Hans", "phone"), ("en", "desktop")])


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """This module's app: its own database and instance, CSRF on, a low per-browser filing limit."""
    with own_database(tmp_path_factory.mktemp("intake-db") / "intake.db", prefix="cw_intake") as url:
        application = make_test_app(
            tmp_path_factory.mktemp("intake-instance"),
            url,
            WTF_CSRF_ENABLED=True,
            FILING_LIMIT_PER_BROWSER=f"{PER_BROWSER} per hour",
        )
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[str]:
    """This module's app served from a thread on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="intake-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def expect_form_again(consumer: Consumer) -> None:
    """The form is back, with its list of problems."""
    page = consumer.page
    expect(page.get_by_role("heading", level=1)).to_have_text(consumer.words["file"])
    expect(page.get_by_text(consumer.words["check_the_form"])).to_be_visible()


@BOTH_WAYS
def test_a_collectors_bulk_sms_number_is_accepted_and_the_own_number_is_explained(
    visit: Callable[..., Visit], lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words = consumer.page, WORDS[lang]
    open_form(consumer)
    fill_form(consumer)
    # The numbers from the collector's texts and calls, as the consumer copies them off the phone.
    page.get_by_role("textbox", name=words["collector_phones"]).fill(COLLECTOR_NUMBERS)
    send_form(consumer)
    read_receipt(consumer)

    # A mistake new users make: their own number typed as the collector's gateway number.
    open_form(consumer)
    fill_form(consumer)
    page.get_by_role("checkbox", name=words["contact_me"]).check()
    own_number = page.get_by_role("textbox", name=words["contact_phone"])
    own_number.fill("10690000123")
    send_form(consumer)
    expect_form_again(consumer)
    expect(own_number).to_have_accessible_description(re.compile(re.escape(words["call_back"])))
    expect(own_number).to_have_value("10690000123")
    consumer.visit.check_accessibility("form with the own number explained")
    own_number.fill("１３８ ００１３ ８０００")  # typed with a Chinese input method's full-width digits
    send_form(consumer)
    read_receipt(consumer)


@BOTH_WAYS
def test_mistakes_do_not_use_up_the_filing_limit_and_over_it_the_form_keeps_what_was_typed(
    visit: Callable[..., Visit], lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words = consumer.page, WORDS[lang]
    narrative = page.get_by_role("textbox", name=consumer.words["narrative"])
    open_form(consumer)
    fill_form(consumer, narrative=False)
    for _ in range(MISTAKES):
        send_form(consumer)
        expect_form_again(consumer)
        expect(page.get_by_text(consumer.words["describe"]).first).to_be_visible()
    narrative.fill(consumer.typed["narrative"])
    send_form(consumer)
    read_receipt(consumer)

    for filing in range(PER_BROWSER):
        open_form(consumer)
        fill_form(consumer)
        outcome = page.get_by_role("textbox", name=words["desired_outcome"])
        outcome.fill(OUTCOME[lang])
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            send_form(consumer)
        if filing + 1 < PER_BROWSER:
            read_receipt(consumer)
    assert answer.value.status == 429
    retry_after = int(answer.value.headers["retry-after"])
    assert 0 < retry_after <= 3600

    notice = page.get_by_role("alert").filter(has_text=words["wait"])
    expect(notice).to_be_visible()
    shown = words["wait"].search(notice.inner_text())
    assert shown and int(shown.group(1)) == -(-retry_after // 60), (notice.inner_text(), retry_after)
    expect(narrative).to_have_value(consumer.typed["narrative"])
    expect(page.get_by_role("textbox", name=words["desired_outcome"])).to_have_value(OUTCOME[lang])
    expect(page.get_by_label(consumer.words["platform"])).to_have_value(consumer.typed["platform"])
    consumer.visit.check_accessibility("form over the filing limit")
    # The 429 is the answer this test wants; Chromium logs it as a failed resource, which is no fault of the page.
    consumer.visit.problems[:] = [p for p in consumer.visit.problems if "status of 429" not in p]
