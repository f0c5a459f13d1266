"""What a first-time visitor tripped over on the statistics: squeezed phone tables, charts hiding small counts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from complaints.extensions import db
from tests.browser.visit import ROOT, Visit
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint

pytestmark = pytest.mark.browser

#: A fictional platform with a long name, so a squeezed column or a clipped chart label shows.
LONG_NAME_ZH = "示范长名称消费金融分期服务平台"
LONG_NAME_EN = "Exemplary Long-Named Consumer Instalment Finance Platform"
#: Provinces of its complaints: Guangdong's 8 are shown, Beijing's and Shanghai's 2 each are hidden as "<5".
PROVINCES = {"44": 8, "11": 2, "31": 2}
#: Violation codes with long labels (THR-03 "Threats to expose the debt to contacts or the public").
CODES = ["THR-03", "TP-03"]
#: Where the report's screenshots go when STATS_SCREENSHOTS=1; a normal run writes none (they are tracked files).
SCREENSHOTS = ROOT / "bench" / "results" / "screenshots"
TAKE_SCREENSHOTS = os.environ.get("STATS_SCREENSHOTS") == "1"
#: A header or first-column cell narrower than this many characters of its font reads one character a line.
MIN_CHARS = 3

MEASURE_CELLS = """table => {
  const cells = [...table.querySelectorAll("thead th"), ...table.querySelectorAll("tbody th[scope=row]")];
  return cells.filter(c => c.offsetParent !== null).map(c => {
    const em = parseFloat(getComputedStyle(c).fontSize);
    const range = document.createRange();
    range.selectNodeContents(c);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    return {text: c.innerText.trim(), width: c.getBoundingClientRect().width, em, lines};
  });
}"""

STICKY_FIRST_COLUMN = """table => {
  const wrap = table.closest(".table-wrap");
  const first = table.querySelector("tbody th[scope=row]") || table.querySelector("tbody td");
  const before = first.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
  wrap.scrollLeft = wrap.scrollWidth;
  const after = first.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
  const scrolled = wrap.scrollLeft;
  wrap.scrollLeft = 0;
  return {
    scrolls: wrap.scrollWidth > wrap.clientWidth, scrolled, before, after,
    overflow: getComputedStyle(wrap).overflowX, position: getComputedStyle(first).position,
    cards: getComputedStyle(table).display !== "table",
  };
}"""

#: Each chart label's box, and whether its text is cut (wider than its box, or ellipsised), against its figure.
MEASURE_LABELS = """figure => {
  const box = figure.getBoundingClientRect();
  return [...figure.querySelectorAll(".bar-label")].map(l => {
    const r = l.getBoundingClientRect();
    return {
      text: l.textContent.trim(), inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.width > 0,
      cut: l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1
        || getComputedStyle(l).textOverflow === "ellipsis",
    };
  });
}"""


@dataclass(frozen=True)
class LongWorld:
    """The platform of this file's journeys."""

    platform_id: int
    collector_id: int
    month: str


@pytest.fixture(scope="module")
def long_world(live_app: Flask) -> LongWorld:
    """Twelve accepted complaints this month about the long-named platform, from three provinces."""
    first = dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with live_app.app_context():
        platform = PlatformFactory(name_zh=LONG_NAME_ZH, name_en=LONG_NAME_EN)
        collector = CollectorFactory(name="示范长名称催收服务有限公司")
        n = 0
        for province, count in PROVINCES.items():
            for _ in range(count):
                n += 1
                accepted_complaint(
                    submitted=first + dt.timedelta(minutes=n),
                    days_to_triage=0,
                    platform=platform,
                    collector=collector,
                    province=province,
                    codes=CODES,
                )
        world = LongWorld(platform.id, collector.id, first.strftime("%Y-%m"))
        db.session.remove()
    return world


def _screenshot(page: Page, name: str) -> None:
    """Keep the phone's view of the table for the report (before/after the fix), when asked to."""
    if not TAKE_SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def _check_phone_table(page: Page, table_selector: str) -> None:
    """No header or first-column cell is squeezed to a few characters; the table scrolls with its first column held."""
    for table in page.locator(table_selector).all():
        cells = table.evaluate(MEASURE_CELLS)
        squeezed = [
            c
            for c in cells
            if c["width"] < MIN_CHARS * c["em"] or (len(c["text"]) > 1 and c["lines"] >= len(c["text"]))
        ]
        assert not squeezed, f"cells narrower than {MIN_CHARS} characters or one character a line: {squeezed}"
        layout = table.evaluate(STICKY_FIRST_COLUMN)
        if layout["cards"]:
            continue
        if layout["scrolls"]:
            assert layout["overflow"] in ("auto", "scroll"), layout
            assert layout["position"] == "sticky" and abs(layout["after"] - layout["before"]) < 1, layout


def test_the_statistics_tables_keep_readable_columns_on_a_phone(
    visit: Callable[..., Visit], long_world: LongWorld
) -> None:
    """At 390×844 in Chinese: the home table and every table of a platform page keep their words whole."""
    v = visit("phone", "zh-CN")
    page = v.goto("/statistics/")
    row = page.locator("#platforms tbody tr", has_text=LONG_NAME_ZH)
    expect(row).to_be_visible()
    row.scroll_into_view_if_needed()
    _screenshot(page, "stats-phone-after.png")
    _check_phone_table(page, "#platforms")
    page.locator("#platforms").evaluate("t => { t.closest('.table-wrap').scrollLeft = 160; }")
    _screenshot(page, "stats-phone-after-scrolled.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    v.check_accessibility("statistics home on a phone")

    for what, path in (
        ("platform page", f"/statistics/platform/{long_world.platform_id}"),
        ("collector page", f"/statistics/collector/{long_world.collector_id}"),
        ("violation page", f"/statistics/violation/{CODES[0]}"),
        ("data page", "/statistics/data"),
        ("data dictionary", "/statistics/data/dictionary"),
    ):
        v.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _check_phone_table(page, "main table")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, what
        v.check_accessibility(f"{what} on a phone")


@pytest.mark.parametrize(("viewport", "browser_language"), [("desktop", "en-US"), ("phone", "zh-CN")])
def test_a_chart_draws_a_hidden_count_marked_and_its_labels_whole(
    visit: Callable[..., Visit], long_world: LongWorld, viewport: str, browser_language: str
) -> None:
    """The province chart marks Beijing's and Shanghai's "<5" as hidden, not zero; no label is cut."""
    v = visit(viewport, browser_language)
    page = v.goto(f"/statistics/platform/{long_world.platform_id}")
    province = page.locator("#by_province figure.stats-chart")
    expect(province).to_be_visible()
    for table_id in ("by_violation", "by_province"):
        if TAKE_SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / f"stats-chart-{table_id}-{viewport}-after.png"
            page.locator(f"#{table_id}").screenshot(path=str(shot))
    hidden_bars = province.locator(".bar-row.suppressed")
    expect(hidden_bars).to_have_count(2)
    for bar in hidden_bars.all():
        expect(bar.locator(".bar-value")).to_have_text("<5")
        box = bar.locator("svg rect").bounding_box()
        assert box is not None and box["width"] >= 8, f"a hidden count drawn as (almost) nothing: {box}"
    shown = province.locator(".bar-row:not(.suppressed) svg rect").first.bounding_box()
    assert shown is not None and shown["width"] > 0
    expect(province.locator(".chart-legend")).to_contain_text("<5")

    for figure in page.locator("figure.stats-chart:has(.bar-row)").all():
        labels = figure.evaluate(MEASURE_LABELS)
        assert labels and all(label["inside"] and not label["cut"] for label in labels), labels
    violations = page.locator("#by_violation")
    chart_labels = violations.locator("figure.stats-chart .bar-label").all_text_contents()
    assert chart_labels == violations.locator("tbody th").all_text_contents(), (
        "the chart's labels are the table's, whole"
    )
    assert any(label.startswith("THR-03 ") for label in chart_labels), chart_labels
    v.check_accessibility(f"platform page charts ({viewport})")
