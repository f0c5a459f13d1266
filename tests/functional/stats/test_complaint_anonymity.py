"""The complaint-level dataset is k-anonymous (k = STATS_MIN_CELL) over what a collector knows of his victims.

Checked on the published CSV with pyCANON, independently of the generaliser: from small adversarial
worlds (one complaint on a platform, one in a province, a unique set of codes, a unique collector)
mixed with ordinary data. And the check can fail: with the generaliser switched off it reports k < 5.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pycanon import anonymity as pycanon_anonymity

from complaints.extensions import limiter
from complaints.models import Collector, Platform
from complaints.models.stats import UNLINKED
from complaints.statistics import anonymity, counts, memo
from complaints.statistics.periods import available_periods
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint

K = 5
#: What a collector knows of the people he pursued (DOMAIN.md, "Consent and privacy"), as dataset columns.
QUASI_IDENTIFIERS = [
    "platform_id",
    "collector_id",
    "province",
    "month_received",
    "violation_codes",
    "channels",
    "stage",
    "collector_kind",
]
CODE_SETS = (["ABU-01", "TP-02"], ["THR-01"], ["ABU-01"])


def ordinary(platforms: list[Platform], collectors: list[Collector | None], n: int) -> None:
    """n complaints spread evenly over platforms, collectors, three months, two provinces and three code sets."""
    combos = itertools.cycle(itertools.product(platforms, collectors, (1, 2, 3), ("44", "11"), CODE_SETS))
    for platform, collector, month, province, codes in itertools.islice(combos, n):
        accepted_complaint(
            platform=platform,
            collector=collector,
            codes=codes,
            province=province,
            submitted=dt.datetime(2026, month, 10, tzinfo=dt.UTC),
        )


def adversarial_world() -> dict[str, Any]:
    """Ordinary data, and complaints that would each stand alone in a plain complaint-level table."""
    platforms = [PlatformFactory(), PlatformFactory()]
    collectors: list[Collector | None] = [CollectorFactory(), None]
    ordinary(platforms, collectors, 60)
    lonely_platform = PlatformFactory(name_zh="孤单平台")
    lone = accepted_complaint(platform=lonely_platform, submitted=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    in_xinjiang = accepted_complaint(platform=platforms[0], province="65")
    rare_codes = accepted_complaint(platform=platforms[1], codes=["THR-01", "PRP-01", "IMP-02"])
    lone_collector = CollectorFactory(name="独家催收")
    rare_collector = accepted_complaint(platform=platforms[0], collector=lone_collector)
    odd_channels = accepted_complaint(platform=platforms[1], channels=["visit", "letter"], stage="legal")
    return {
        "lonely_platform": lonely_platform.id,
        "lone_collector": lone_collector.id,
        "lone": lone.public_id,
        "singles": [c.public_id for c in (lone, in_xinjiang, rare_codes, rare_collector, odd_channels)],
    }


def published(client: FlaskClient, query: str = "") -> pd.DataFrame:
    limiter.reset()
    response = client.get(f"/statistics/data/complaints.csv{query}")
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def k_of(table: pd.DataFrame, columns: list[str] = QUASI_IDENTIFIERS) -> int:
    """pyCANON's k: the size of the smallest group of rows sharing every quasi-identifier value."""
    return int(pycanon_anonymity.k_anonymity(table, columns))


def test_the_published_complaints_are_k_anonymous_over_what_a_collector_knows(client: FlaskClient) -> None:
    world = adversarial_world()
    table = published(client)
    assert len(table) == 65  # every public complaint is published, generalised where it would stand out
    assert k_of(table) >= K
    assert k_of(table, [*QUASI_IDENTIFIERS, "status", "primary_code"]) >= K
    lone = table[table["public_id"] == world["lone"]].iloc[0]
    assert lone["platform_id"] == "*" and lone["platform"] == "*"  # its platform would name it


def test_the_check_fails_when_the_generaliser_is_switched_off(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exact(groups: dict[anonymity.Facts, list[int]], k: int) -> anonymity.Plan:
        keys = {f: tuple(ladder.value(f, ladder.exact) for ladder in anonymity.LADDERS) for f in groups}
        plan = {cid: keys[f] for f, ids in groups.items() for cid in ids}
        return anonymity.Plan(plan, anonymity.Report(k=k, rows=len(plan), published=len(plan)))

    adversarial_world()
    memo._MEMO.clear()
    memo._LASTING.clear()
    monkeypatch.setattr(anonymity, "generalise", exact)
    table = published(client)
    assert len(table) == 65
    assert k_of(table) < K  # the lone complaints stand alone: the test above can fail
    memo._MEMO.clear()
    memo._LASTING.clear()


def test_a_platform_with_one_public_complaint_returns_no_row_for_it(client: FlaskClient) -> None:
    world = adversarial_world()
    assert len(published(client, f"?platform={world['lonely_platform']}")) == 0
    everything = published(client)
    assert (everything["platform_id"] == str(world["lonely_platform"])).sum() == 0
    assert "孤单平台" not in everything["platform"].tolist()
    assert len(published(client, f"?collector={world['lone_collector']}")) == 0  # its one complaint shows "*"
    assert "独家催收" not in everything["collector"].tolist()


def test_the_build_datasets_file_is_k_anonymous_too(app: Flask) -> None:
    adversarial_world()
    result = app.test_cli_runner().invoke(args=["build-datasets"])
    assert result.exit_code == 0, result.output
    path = app.instance_path + "/datasets/complaints.csv"
    with open(path, encoding="utf-8-sig") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    assert len(table) == 65
    assert k_of(table) >= K


def test_every_filtered_download_is_k_anonymous_and_answers_by_published_values(client: FlaskClient) -> None:
    adversarial_world()
    everything = published(client)
    for platform_id in sorted(set(everything["platform_id"]) - {"*"}):
        for period in ("all", "2026", "2026-Q1", "2026-02"):
            part = published(client, f"?platform={platform_id}&period={period}")
            assert len(part) == 0 or k_of(part) >= K, (platform_id, period)
            assert set(part["platform_id"]) <= {platform_id}
    for code in ("THR-01", "ABU-01", "TP-02", "PRP-01"):
        part = published(client, f"?violation={code}")
        assert len(part) == 0 or k_of(part) >= K, code
        assert all(code in codes.split(" ") for codes in part["violation_codes"])


def _within(month: str, period: Any) -> bool:
    """Whether a published month, quarter or year lies inside a period (the test's own reading)."""
    if period.kind == "all":
        return True
    if len(month) == 4:
        months = [f"{month}-{m:02d}" for m in range(1, 13)]
    elif "-Q" in month:
        quarter = int(month[-1])
        months = [f"{month[:4]}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
    else:
        months = [month]
    return all(period.first <= m <= period.last for m in months)


def test_no_hidden_cell_of_the_platform_and_collector_tables_can_be_counted_in_the_dataset(
    client: FlaskClient,
) -> None:
    adversarial_world()
    limiter.reset()
    text = client.get("/statistics/data/complaints.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))

    def matching(period: Any, platform: object = None, collector: object = None, code: str | None = None) -> int:
        collector_text = None if collector is None else "" if collector == UNLINKED else str(collector)
        return sum(
            1
            for r in rows
            if _within(r["month_received"], period)
            and (platform is None or r["platform_id"] == str(platform))
            and (collector_text is None or r["collector_id"] == collector_text)
            and (code is None or code in r["violation_codes"].split(" "))
        )

    checked = 0
    for period in available_periods():
        master = counts.platform_collector(period)
        for key in master.table.hidden:
            if key == "total":
                n = matching(period)
            elif key[0] == "row":
                n = matching(period, platform=key[1])
            elif key[0] == "col":
                n = matching(period, collector=key[1])
            else:
                n = matching(period, platform=key[0], collector=key[1])
            assert n == 0 or n >= K, (period.key, key, n)
            checked += 1
        for key in counts.platform_code(period).table.hidden:
            if key[0] != "col":
                n = matching(period, platform=key[0], code=key[1])
                assert n == 0 or n >= K, (period.key, key, n)
                checked += 1
    assert checked  # the world does hide cells


def test_the_dictionary_and_the_datapackage_report_what_was_generalised_and_withheld(en_client: FlaskClient) -> None:
    adversarial_world()
    package = en_client.get("/statistics/data/datapackage.json").get_json()
    complaints = next(r for r in package["resources"] if r["name"] == "complaints")
    report = complaints["anonymity"]
    assert report["k"] == K and report["public_complaints"] == 65
    assert report["rows_published"] + report["rows_withheld"] == 65
    assert report["rows_published_as_is"] + report["rows_generalised"] == report["rows_published"]
    assert report["rows_generalised_by_column"]["platform_id"]["withheld"] >= 1  # the lone platform's complaint
    assert set(QUASI_IDENTIFIERS) <= set(report["quasi_identifiers"])
    assert "*" in complaints["schema"]["missingValues"]
    page = en_client.get("/statistics/data/dictionary").get_data(as_text=True)
    assert "How the complaint rows are protected" in page and "k-anonymous with k = 5" in page
    assert f'<td class="num">{report["rows_generalised"]}</td>' in page
    en_client.set_cookie("lang", "zh_Hans")
    zh = en_client.get("/statistics/data/dictionary").get_data(as_text=True)
    assert "逐条投诉数据如何受到保护" in zh and "仅公布季度" in zh


def test_the_generalisation_runs_once_per_statistics_version(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = PlatformFactory()
    for _ in range(6):
        accepted_complaint(platform=platform)
    memo._MEMO.clear()
    memo._LASTING.clear()
    runs = []
    original = anonymity.generalise

    def counted(groups: dict[anonymity.Facts, list[int]], k: int) -> anonymity.Plan:
        runs.append(len(groups))
        return original(groups, k)

    monkeypatch.setattr(anonymity, "generalise", counted)
    assert len(published(client)) == 6
    assert len(published(client, f"?platform={platform.id}")) == 6
    client.get("/statistics/data/dictionary")
    assert len(runs) == 1  # the downloads and the dictionary share one plan
    memo._MEMO.clear()  # the memo of cheap reads cleared for room keeps it
    memo._MEMO["__version__"] = memo.rollup_version()
    assert len(published(client)) == 6 and len(runs) == 1
    accepted_complaint(platform=platform)  # a new public complaint: a new statistics version
    assert len(published(client)) == 7 and len(runs) == 2
