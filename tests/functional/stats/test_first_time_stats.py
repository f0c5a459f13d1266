"""What a first-time researcher tripped over: CSV columns that meant different things, a trend of one month."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient

from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint

MARCH = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def _world() -> tuple[int, int]:
    """A fictional platform with 7 accepted complaints in March 2026, all through one fictional collector."""
    platform = PlatformFactory(name_zh="首访虚构贷", name_en="First Visit Fictional Loans")
    collector = CollectorFactory(name="首访虚构催收公司")
    for _ in range(7):
        accepted_complaint(platform=platform, collector=collector, submitted=MARCH, codes=["THR-01"])
    return platform.id, collector.id


def _trend_cells(page: str) -> list[str]:
    return re.findall(r'<td class="trend">(.*?)</td>', page, flags=re.S)


@pytest.mark.parametrize(
    ("client_name", "words"),
    [("en_client", "Not enough data: no earlier month"), ("zh_client", "数据不足：")],
)
def test_a_trend_of_one_month_says_there_is_nothing_to_compare(
    request: pytest.FixtureRequest, client_name: str, words: str
) -> None:
    """With a single month in the period the Trend column shows "—" and says why, not a bare count."""
    client: FlaskClient = request.getfixturevalue(client_name)
    _world()
    page = client.get("/statistics/?period=2026-03").get_data(as_text=True)
    (cell,) = _trend_cells(page)
    assert "—" in cell and words in cell and "data-sparkline" not in cell, cell
    assert re.sub(r"<[^>]+>", "", cell).strip() != "7"


def test_a_trend_of_several_months_still_draws_its_line(en_client: FlaskClient) -> None:
    """A longer period keeps the sparkline (with its numbers as text for readers without scripts)."""
    _world()
    page = en_client.get("/statistics/?period=2026").get_data(as_text=True)
    (cell,) = _trend_cells(page)
    assert "data-sparkline" in cell and "Not enough data" not in cell, cell
