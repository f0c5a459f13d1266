"""A number, period or id from outside is read in ASCII digits only, and no such parameter makes a loop unbounded.

`?period=２０２６` (full-width) or `٢٠٢٦` (Arabic-Indic) once parsed as a year whose months never ended:
one anonymous GET held a worker until the kernel killed it. Each request here runs under an alarm.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.budget import within_budget
from tests.factories import CollectorFactory, ComplaintFactory, PlatformFactory

#: Seconds any one of these requests may take; the bug took for ever.
BUDGET = 10

FOREIGN = {
    "full-width": str.maketrans("0123456789", "０１２３４５６７８９"),
    "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "devanagari": str.maketrans("0123456789", "०१२३४५६७८९"),
    "mathematical bold": str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"),
}
KEYS = ["2026", "2026-11", "2026-Q4"]


@pytest.fixture
def budget() -> Iterator[None]:
    with within_budget("the request", BUDGET):
        yield


def _period_urls(app: Flask, platform_id: int, collector_id: int) -> list[str]:
    """Every public GET of the statistics and the API (pages, CSVs, JSON), with ids that exist."""
    samples: dict[str, object] = {
        "platform_id": platform_id,
        "collector_id": collector_id,
        "code": "THR-01",
        "kind": "platform",
        "key": str(platform_id),
        "table_id": "by_violation",
        "by": "platform",
        "name": "complaints.csv",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.rule.startswith(("/statistics", "/api")):
            built = rule.build({arg: samples[arg] for arg in rule.arguments})
            assert built is not None, rule.rule
            urls.append(built[1])
    return sorted(set(urls))


@pytest.mark.parametrize("script", sorted(FOREIGN))
def test_a_period_in_foreign_digits_names_no_period_on_any_public_route(
    app: Flask, client: FlaskClient, budget: None, script: str
) -> None:
    platform = PlatformFactory(name_zh="虚构数字贷")
    collector = CollectorFactory()
    ComplaintFactory(platform=platform, collector=collector, status="accepted", codes=["THR-01"])
    urls = _period_urls(app, platform.id, collector.id)
    assert len(urls) >= 18
    for url in urls:
        for key in KEYS:
            foreign = key.translate(FOREIGN[script])
            answer = client.get(url, query_string={"period": foreign})
            assert answer.status_code in (200, 404), (url, foreign, answer.status_code)
            if answer.status_code == 200:
                # a route that does not read `period` (a page about one platform, a schema): it did not take it
                assert foreign not in answer.get_data(as_text=True), (url, foreign)


@pytest.mark.parametrize("script", sorted(FOREIGN))
def test_an_id_in_foreign_digits_is_no_id(client: FlaskClient, budget: None, script: str) -> None:
    platform = PlatformFactory(name_zh="虚构数字贷")
    ComplaintFactory(platform=platform, status="accepted")
    foreign = str(platform.id).translate(FOREIGN[script])
    answer = client.get("/statistics/data/complaints.csv", query_string={"platform": foreign})
    assert answer.status_code == 404
