"""Steps a consumer takes, written as a person does them: by labels, roles and the words on the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests import media
from tests.browser.visit import Visit
from tests.browser.words import TYPED, WORDS

REFERENCE = re.compile(r"^CW-\d{4}-\d{6}$")
HTML_LANG = {"zh_Hans": "zh-Hans", "en": "en"}


@dataclass
class Consumer:
    """A visitor reading the site in one language on one viewport."""

    visit: Visit
    lang: str

    @property
    def page(self) -> Page:
        """The visitor's browser tab."""
        return self.visit.page

    @property
    def words(self) -> dict[str, str]:
        """What the pages say in the visitor's language."""
        return WORDS[self.lang]

    @property
    def typed(self) -> dict[str, str]:
        """What the visitor types in their language."""
        return TYPED[self.lang]


def arrive(visit: Callable[..., Visit], lang: str, viewport: str) -> Consumer:
    """Open the home page; the browser's language picks one language, the switcher gives the other.

    On a phone the browser asks for Chinese, on a desktop for English, so that each journey both
    meets a language chosen by Accept-Language and one chosen with the visible switcher.
    """
    browser_language = "zh-CN" if viewport == "phone" else "en-US"
    consumer = Consumer(visit(viewport, browser_language), lang)
    page = consumer.visit.goto("/")
    if browser_language[:2] != lang[:2]:
        page.get_by_role("link", name=consumer.words["switch_to"], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
    expect(page.get_by_role("heading", level=1)).to_have_text(consumer.words["home_heading"])
    return consumer


def evidence_files(folder: Path) -> dict[str, Path]:
    """Two images and an AMR call recording for the form, and one more image for later."""
    files = {
        "photo.jpg": media.jpeg_with_gps("red"),
        "chat.png": media.png("blue"),
        "call.amr": media.amr(),
        "later.png": media.png("green"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def open_form(consumer: Consumer) -> None:
    """Follow the main navigation to the complaint form."""
    page = consumer.page
    page.get_by_role("link", name=consumer.words["file"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(consumer.words["file"])


def fill_form(consumer: Consumer, *, narrative: bool = True, files: list[Path] | None = None) -> None:
    """Type the platform, say who called, tick two violations and choose the main one, tell the story, attach files."""
    page, words = consumer.page, consumer.words
    page.get_by_label(words["platform"]).fill(consumer.typed["platform"])
    page.get_by_role("group", name=words["collector_kind"]).get_by_label(words["agency"]).check()
    page.get_by_role("checkbox", name=words["violation_a"]).check()
    page.get_by_role("checkbox", name=words["violation_b"]).check()
    main = page.get_by_role("combobox", name=words["main_violation"], exact=True)
    main.select_option(value=main.locator("option").filter(has_text=words["violation_b"]).get_attribute("value"))
    if narrative:
        page.get_by_role("textbox", name=words["narrative"]).fill(consumer.typed["narrative"])
    if files:
        page.get_by_label(words["evidence"]).set_input_files(files)


def send_form(consumer: Consumer) -> None:
    """Press the form's send button."""
    consumer.page.get_by_role("button", name=consumer.words["send_complaint"]).click()


def read_receipt(consumer: Consumer) -> tuple[str, str]:
    """On the receipt: the reference and the access code, as the visitor would copy them down."""
    page, words = consumer.page, consumer.words
    expect(page.get_by_role("heading", level=1)).to_have_text(words["received"])
    codes = page.locator(".receipt-codes > div")
    reference = codes.filter(has_text=words["reference"]).locator("dd").inner_text().strip()
    access_code = codes.filter(has_text=words["access_code"]).locator("dd").inner_text().strip()
    assert REFERENCE.match(reference), reference
    assert len(access_code) >= 8, access_code
    return reference, access_code


def expect_status_page(consumer: Consumer, reference: str, status_word: str) -> None:
    """The status page of this complaint, showing the status in plain words."""
    page, words = consumer.page, consumer.words
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{words['your_complaint']} {reference}")
    expect(page.locator("[data-status]")).to_have_text(words[status_word])


def timeline_entry(consumer: Consumer, what: str) -> Locator:
    """The status page's timeline entry that says ``what`` (a key of the words)."""
    timeline = consumer.page.get_by_role("region", name=consumer.words["timeline"])
    return timeline.get_by_role("listitem").filter(has_text=consumer.words[what])


def look_up(consumer: Consumer, reference: str, access_code: str) -> None:
    """From the main navigation, open a complaint with its reference and access code."""
    page, words = consumer.page, consumer.words
    page.get_by_role("link", name=words["check_status"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["lookup_heading"])
    consumer.visit.check_accessibility("status lookup")
    page.get_by_role("textbox", name=words["lookup_reference"]).fill(reference)
    page.get_by_role("textbox", name=words["access_code"]).fill(access_code)
    page.get_by_role("button", name=words["open"], exact=True).click()
