"""A visitor reading the statistics: the fictional platforms they find, the words they read, the CSV they keep."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from tests.browser.visit import Visit
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint

#: Fictional platforms and their accepted complaints this month: three large enough to show, two hidden as "<5".
#: The searched one also has EARLIER complaints the month before, so the home page has a trend to draw.
PLATFORMS = {"统计虚构贷": 9, "统计演示花朵": 7, "统计示例分期": 6, "统计小额宝": 2, "统计样本租机": 1}
#: The platform the visitor searches for and opens.
SEARCHED = "统计虚构贷"
EARLIER = 5
VIOLATION = "THR-01"
#: Private details every complaint carries; no statistics page or CSV may show them.
PRIVATE = {
    "contact_name": "统计虚构人张三",
    "contact_phone": "13800138000",
    "contact_email": "stats-consumer@example.test",
    "loan_reference": "LOAN-STATS-4711",
    "narrative": "统计旅程私密叙述：催收人员辱骂我。",
}
BOM = b"\xef\xbb\xbf"
TABLE_CSV_HEADER = [
    "period",
    "platform_id",
    "platform",
    "breakdown",
    "key",
    "label",
    "complaints",
    "complaints_evidence_verified",
]

STATS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "switch_to": "English",
        "heading": "Complaints by platform",
        "framing": "not findings of fact",
        "platform_column": "Platform",
        "period": "Period",
        "month": "Month {key}",
        "find": "Find a platform",
        "search": "Search",
        "accepted": "Accepted complaints",
        "download": "Download this table (CSV)",
        "datasets": "Datasets for researchers",
        "dictionary": "Data dictionary",
    },
    "zh_Hans": {
        "switch_to": "中文",
        "heading": "各平台投诉",
        "framing": "并非事实认定",
        "platform_column": "平台",
        "period": "时间段",
        "month": "{key} 月",
        "find": "查找平台",
        "search": "搜索",
        "accepted": "已受理投诉",
        "download": "下载此表（CSV）",
        "datasets": "研究数据集",
        "dictionary": "数据字典",
    },
}
HTML_LANG = {"zh_Hans": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class StatsWorld:
    """What the live database holds for the statistics journey."""

    month: str
    collector_id: int


def build_world(live_app: Flask) -> StatsWorld:
    """Accepted complaints this month, through the lifecycle, so the rollup counts them as it would live."""
    now = dt.datetime.now(dt.UTC)
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with live_app.app_context():
        collector = CollectorFactory(name="统计虚构催收公司")
        for n, (name, count) in enumerate(PLATFORMS.items()):
            platform = PlatformFactory(name_zh=name, name_en="")
            this_month = [first + dt.timedelta(minutes=10 * n + i) for i in range(count)]
            month_before = [first - dt.timedelta(days=3, minutes=i) for i in range(EARLIER if name == SEARCHED else 0)]
            for submitted in this_month + month_before:
                accepted_complaint(
                    submitted=submitted,
                    days_to_triage=0,
                    platform=platform,
                    collector=collector,
                    codes=[VIOLATION, "ABU-01"],
                    phones=["13900139000"],
                    **PRIVATE,
                )
        world = StatsWorld(first.strftime("%Y-%m"), collector.id)
        db.session.remove()
    return world


def row_names(page: Page) -> list[str]:
    """The platform names of the statistics table, top to bottom."""
    return page.locator("#platforms tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)")


def sort_by_platform(page: Page, words: dict[str, str], direction: str) -> list[str]:
    """Follow the Platform column's sort link; the table now says it is sorted that way; its rows."""
    page.locator("#platforms thead").get_by_role("link", name=words["platform_column"], exact=True).click()
    expect(page.locator("#platforms thead th[aria-sort]")).to_have_attribute("aria-sort", direction)
    expect(page).to_have_url(
        re.compile(f"(?=.*sort=name)(?=.*dir={direction[:-6] if direction == 'descending' else 'asc'})")
    )
    return row_names(page)


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of a downloaded CSV after its byte order mark."""
    assert data.startswith(BOM), data[:8]
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"))))


def check_pages(visit: Visit, world: StatsWorld, platform_path: str) -> None:
    """axe on the platform, collector, violation, data and data dictionary pages."""
    for what, path in (
        ("platform page", platform_path),
        ("collector page", f"/statistics/collector/{world.collector_id}"),
        ("violation page", f"/statistics/violation/{VIOLATION}"),
        ("data page", "/statistics/data"),
        ("data dictionary", "/statistics/data/dictionary"),
    ):
        visit.goto(path)
        expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
        visit.check_accessibility(what)


def largest_other_platform(live_app: Flask, platform_id: int) -> int:
    """The most accepted complaints any other platform of the served database has."""
    with live_app.app_context():
        counts = db.session.execute(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.accepted_at.is_not(None), Complaint.platform_id != platform_id)
            .group_by(Complaint.platform_id)
        ).scalars()
        return max(counts, default=0)
