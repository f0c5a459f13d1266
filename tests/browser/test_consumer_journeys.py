"""A consumer files, follows, adds to and withdraws a complaint in a real Chromium, in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Route, expect

from tests.browser.consumer import (
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
from tests.browser.visit import Visit

pytestmark = pytest.mark.browser

EVERY_WAY = pytest.mark.parametrize(
    ("lang", "viewport"),
    [("zh_Hans", "phone"), ("en", "phone"), ("zh_Hans", "desktop"), ("en", "desktop")],
)


@EVERY_WAY
def test_a_consumer_files_with_evidence_then_follows_and_adds_to_the_complaint(
    visit: Callable[..., Visit], tmp_path: Path, lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words, visitor = consumer.page, consumer.words, consumer.visit
    visitor.check_accessibility("home")
    files = evidence_files(tmp_path)

    open_form(consumer)
    visitor.check_accessibility("empty complaint form")
    fill_form(consumer, files=[files["photo.jpg"], files["chat.png"], files["call.amr"]])
    # With files chosen, the page's script uploads them itself (showing progress) and follows the answer.
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/complaints/new")) as sent:
        send_form(consumer)
    assert sent.value.request.headers.get("x-requested-with") == "collectwatch-upload"
    assert sent.value.headers["content-type"].startswith("application/json")
    reference, access_code = read_receipt(consumer)
    visitor.check_accessibility("receipt")
    visitor.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visitor.base)
    page.get_by_role("button", name=words["copy_both"]).click()
    expect(page.get_by_role("status")).to_have_text(words["copied"])
    copied = page.evaluate("navigator.clipboard.readText()")
    assert reference in copied and access_code in copied

    page.get_by_role("link", name=words["open_status_page"]).click()
    expect_status_page(consumer, reference, "submitted")
    page.get_by_role("button", name=words["close_on_device"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["home_heading"])

    look_up(consumer, reference, access_code)
    expect_status_page(consumer, reference, "submitted")
    expect(timeline_entry(consumer, "you_filed")).to_contain_text(words["attached_3"])
    visitor.check_accessibility("status page")

    page.get_by_role("textbox", name=words["add_information"]).fill(consumer.typed["more"])
    page.get_by_label(words["more_evidence"]).set_input_files(files["later.png"])
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_text(words["information_added"])).to_be_visible()
    added = timeline_entry(consumer, "you_added_information")
    expect(added).to_contain_text(consumer.typed["more"])
    expect(added).to_contain_text(words["attached_1"])
    expect_status_page(consumer, reference, "submitted")
    visitor.check_accessibility("status page after adding information")


@EVERY_WAY
def test_a_consumer_withdraws_a_complaint_after_confirming(
    visit: Callable[..., Visit], lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words, visitor = consumer.page, consumer.words, consumer.visit
    open_form(consumer)
    fill_form(consumer)
    send_form(consumer)
    reference, _code = read_receipt(consumer)
    page.get_by_role("link", name=words["open_status_page"]).click()

    page.get_by_role("link", name=words["withdraw_this"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["withdraw_heading"].format(reference=reference))
    visitor.check_accessibility("withdraw confirmation")
    page.get_by_role("button", name=words["withdraw"], exact=True).click()
    expect(page.get_by_text(words["tick_to_confirm"]).first).to_be_visible()
    visitor.check_accessibility("withdraw confirmation with an error")

    page.get_by_role("checkbox", name=words["confirm_withdraw"]).check()
    page.get_by_role("button", name=words["withdraw"], exact=True).click()
    expect(page.get_by_text(words["withdrawn"])).to_be_visible()
    expect(timeline_entry(consumer, "withdrawn_by_you")).to_be_visible()
    expect(page.get_by_role("link", name=words["withdraw_this"])).to_have_count(0)


@EVERY_WAY
def test_a_form_sent_without_the_story_shows_the_error_and_keeps_what_was_typed(
    visit: Callable[..., Visit], lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words = consumer.page, consumer.words
    open_form(consumer)
    fill_form(consumer, narrative=False)
    send_form(consumer)

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["check_the_form"])
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=words["describe"])).to_be_visible()
    narrative = page.get_by_role("textbox", name=words["narrative"])
    expect(narrative).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field.has-error").filter(has=narrative)).to_contain_text(words["describe"])
    expect(page.get_by_label(words["platform"])).to_have_value(consumer.typed["platform"])
    expect(page.get_by_role("checkbox", name=words["violation_b"])).to_be_checked()
    consumer.visit.check_accessibility("complaint form with errors")

    summary.get_by_role("link", name=words["describe"]).click()
    narrative.fill(consumer.typed["narrative"])
    send_form(consumer)
    read_receipt(consumer)


@pytest.mark.parametrize(("lang", "viewport"), [("zh_Hans", "phone"), ("en", "desktop")])
def test_a_refused_upload_form_is_shown_again_in_place_asking_for_the_files_again(
    visit: Callable[..., Visit], tmp_path: Path, lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words = consumer.page, consumer.words
    files = evidence_files(tmp_path)
    open_form(consumer)
    fill_form(consumer, narrative=False, files=[files["chat.png"]])
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/complaints/new")) as sent:
        send_form(consumer)
    assert sent.value.status == 422
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["check_the_form"])
    expect(summary).to_be_focused()
    expect(page.get_by_text(words["choose_files_again"], exact=False)).to_be_visible()
    expect(page.get_by_label(words["platform"])).to_have_value(consumer.typed["platform"])
    consumer.visit.check_accessibility("complaint form with errors after an upload")

    page.get_by_role("textbox", name=words["narrative"]).fill(consumer.typed["narrative"])
    page.get_by_label(words["evidence"]).set_input_files(files["chat.png"])
    send_form(consumer)
    read_receipt(consumer)


def test_without_javascript_the_form_with_files_still_gives_a_receipt(
    visit: Callable[..., Visit], tmp_path: Path
) -> None:
    files = evidence_files(tmp_path)
    plain = arrive(lambda *args: visit(*args, javascript=False), "zh_Hans", "phone")
    open_form(plain)
    fill_form(plain, files=[files["photo.jpg"], files["call.amr"]])
    with plain.page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/complaints/new")) as sent:
        send_form(plain)
    assert sent.value.status == 303
    read_receipt(plain)
    plain.page.get_by_role("link", name=plain.words["open_status_page"]).click()
    expect(timeline_entry(plain, "you_filed")).to_contain_text(plain.words["attached_2"])


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_the_rights_page_reads_well_and_passes_axe(visit: Callable[..., Visit], lang: str) -> None:
    consumer = arrive(visit, lang, "phone")
    consumer.page.get_by_role("link", name=consumer.words["rights"]).first.click()
    expect(consumer.page.get_by_role("heading", level=1)).to_have_text(consumer.words["rights_heading"])
    consumer.visit.check_accessibility("rights page")


@pytest.mark.parametrize(("lang", "viewport"), [("zh_Hans", "phone"), ("en", "desktop")])
def test_while_files_upload_the_form_shows_progress_and_cannot_be_sent_twice(
    visit: Callable[..., Visit], tmp_path: Path, lang: str, viewport: str
) -> None:
    consumer = arrive(visit, lang, viewport)
    page, words = consumer.page, consumer.words
    files = evidence_files(tmp_path)
    open_form(consumer)
    fill_form(consumer, files=[files["photo.jpg"], files["call.amr"]])
    progress = page.get_by_role("progressbar", name=words["upload_progress"])
    send_button = page.get_by_role("button", name=words["send_complaint"])
    seen_while_uploading: list[tuple[bool, bool]] = []

    def look_while_uploading(route: Route) -> None:
        """Note what the visitor sees at the moment the upload reaches the network, then let it through."""
        if route.request.method == "POST":
            seen_while_uploading.append((progress.is_visible(), send_button.is_disabled()))
        route.fallback()

    page.route("**/complaints/new", look_while_uploading)
    expect(progress).to_be_hidden()
    send_form(consumer)
    read_receipt(consumer)
    assert seen_while_uploading == [(True, True)]
