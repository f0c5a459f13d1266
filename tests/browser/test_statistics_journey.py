"""A visitor sorts the statistics, picks a month, changes language, keeps a platform's CSV; axe on every page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.browser.statistics import (
    EARLIER,
    HTML_LANG,
    PLATFORMS,
    PRIVATE,
    SEARCHED,
    STATS_WORDS,
    TABLE_CSV_HEADER,
    StatsWorld,
    build_world,
    check_pages,
    read_csv,
    row_names,
    sort_by_platform,
)
from tests.browser.visit import Visit

pytestmark = pytest.mark.browser

#: What the complaints hold that no public page or CSV may carry.
NEVER_SHOWN = [*PRIVATE.values(), "13900139000"]


@pytest.fixture(scope="module")
def stats_world(live_app: Flask) -> StatsWorld:
    """The live database with this journey's fictional platforms."""
    return build_world(live_app)


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_a_visitor_sorts_filters_and_downloads_a_platforms_figures(
    visit: Callable[..., Visit], stats_world: StatsWorld, lang: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Start in the browser's other language, switch with the switcher midway, end with the CSV in hand."""
    other = "en" if lang == "zh_Hans" else "zh_Hans"
    v = visit("desktop", "en-US" if other == "en" else "zh-CN")
    page, before, words = v.page, STATS_WORDS[other], STATS_WORDS[lang]

    v.goto("/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(before["heading"])
    expect(page.locator(".stats-framing")).to_contain_text(before["framing"])
    expect(page.locator("#platforms canvas").first).to_be_attached()  # Chart.js drew the sparklines
    expect(page.locator("#platforms tbody tr", has_text=SEARCHED).locator(".count")).to_have_text(str(9 + EARLIER))
    expect(page.locator("#platforms tbody tr", has_text="统计样本租机").locator(".suppressed")).to_have_text("<5")
    by_count = row_names(page)
    assert by_count.index("统计虚构贷") < by_count.index("统计演示花朵") < by_count.index("统计示例分期")

    descending = sort_by_platform(page, before, "descending")
    assert descending == sorted(by_count, reverse=True) and descending != by_count
    assert sort_by_platform(page, before, "ascending") == sorted(by_count)

    month_label = before["month"].format(key=stats_world.month)
    page.get_by_label(before["period"]).select_option(label=month_label)
    expect(page).to_have_url(re.compile(f"period={stats_world.month}"))
    expect(page.locator(".lead")).to_contain_text(month_label)

    page.get_by_role("link", name=words["switch_to"], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
    expect(page).to_have_url(re.compile(f"period={stats_world.month}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    expect(page.locator(".lead")).to_contain_text(words["month"].format(key=stats_world.month))
    assert set(row_names(page)) >= set(PLATFORMS)
    v.check_accessibility("statistics home")

    page.get_by_label(words["find"]).fill(SEARCHED)
    page.get_by_role("search").get_by_role("button", name=words["search"]).click()
    expect(page).to_have_url(re.compile("q="))
    expect(page.locator("#platforms tbody tr")).to_have_count(1)
    page.locator("#platforms tbody").get_by_role("link", name=SEARCHED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEARCHED)
    expect(page.locator(".stats-headline .count")).to_have_text("9")
    expect(page.locator("figure.stats-chart canvas").first).to_be_visible()
    v.check_accessibility("platform page")
    platform_path = page.url.removeprefix(v.base)

    with page.expect_download() as info:
        page.get_by_role("link", name=words["download"]).first.click()
    download = info.value
    saved = tmp_path_factory.mktemp("csv") / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    rows = read_csv(data)
    assert download.suggested_filename.startswith("collectwatch-platform-") and saved.suffix == ".csv"
    assert rows[0] == TABLE_CSV_HEADER
    assert len(rows) >= 3 and all(r[0] == stats_world.month for r in rows[1:])
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["key"] == "total" and total["complaints"] == "9" and total["platform"] == SEARCHED
    text = data.decode("utf-8")
    assert not [word for word in NEVER_SHOWN if word in text]
    assert not [word for word in NEVER_SHOWN if word in page.content()]

    check_pages(v, stats_world, platform_path)


def test_the_statistics_home_reads_on_a_phone(visit: Callable[..., Visit], stats_world: StatsWorld) -> None:
    """On a 390 px phone: heading, framing and the table, nothing wider than the screen, axe clean."""
    v = visit("phone", "zh-CN")
    page = v.goto("/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(STATS_WORDS["zh_Hans"]["heading"])
    expect(page.locator(".stats-framing")).to_contain_text(STATS_WORDS["zh_Hans"]["framing"])
    expect(page.locator("#platforms tbody tr", has_text=SEARCHED)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    v.check_accessibility("statistics home on a phone")
