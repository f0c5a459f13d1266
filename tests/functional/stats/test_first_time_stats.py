"""What a first-time researcher tripped over: CSV columns that meant different things, a trend of one month."""

from __future__ import annotations

import csv
import datetime as dt
import io
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


def _rows(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_every_csv_names_a_platform_by_platform_id_and_platform(en_client: FlaskClient) -> None:
    """`platform` is the name and `platform_id` the id, in the home CSV and in a platform page's tables alike."""
    platform_id, _collector_id = _world()
    home = _rows(en_client, "/statistics/platforms.csv?period=2026")
    page = _rows(en_client, f"/statistics/platform/{platform_id}/by_violation.csv?period=2026")
    for rows in (home, page):
        header = rows[0]
        line = next(r for r in rows[1:] if r[header.index("platform_id")] == str(platform_id))
        assert line[header.index("platform")] == "First Visit Fictional Loans", rows
    assert page[0] == [
        "period",
        "platform_id",
        "platform",
        "breakdown",
        "key",
        "label",
        "complaints",
        "complaints_evidence_verified",
    ]
    assert page[-1][3:] == ["by_violation", "total", "Total", "7", "0"]


@pytest.mark.parametrize(
    ("kind", "id_column", "name_column", "name"),
    [
        ("collector", "collector_id", "collector", "首访虚构催收公司"),
        ("violation", "violation_code", "violation", "THR-01 Violence or threats of violence"),
    ],
)
def test_a_collector_or_violation_table_csv_names_its_subject_by_id_and_name(
    en_client: FlaskClient, kind: str, id_column: str, name_column: str, name: str
) -> None:
    """The same shape for every page's tables: the subject's id column, then its name."""
    _platform_id, collector_id = _world()
    key = collector_id if kind == "collector" else "THR-01"
    rows = _rows(en_client, f"/statistics/{kind}/{key}/by_platform.csv?period=2026")
    assert rows[0][:3] == ["period", id_column, name_column]
    assert {tuple(r[1:3]) for r in rows[1:]} == {(str(key), name)}


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
