"""The generaliser on its own: every published combination has ≥ k rows (pyCANON's count, not ours), every
published value is a rung of its ladder above the exact one, and rows are withheld only for a year of < k."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from pycanon import anonymity as pycanon_anonymity

from complaints.statistics.anonymity import LADDERS, WITHHELD, Facts, generalise, month_within, region

K = 5
COLUMNS = [ladder.column for ladder in LADDERS]


def random_facts(n: int, seed: int) -> dict[Facts, list[int]]:
    rng = random.Random(seed)
    codes = ["THR-01", "ABU-01", "TP-02", "IMP-01", "PRP-01", "OTH-01"]
    groups: dict[Facts, list[int]] = {}
    for complaint_id in range(n):
        chosen = rng.sample(codes, rng.randint(1, 3))
        primary, others = chosen[0], sorted(chosen[1:])
        facts = Facts(
            platform_id=min(int(rng.paretovariate(1.2)), 30),
            month=f"{rng.choice([2025, 2026])}-{rng.randint(1, 12):02d}",
            codes=" ".join([primary, *others]),
            primary=primary,
            status=rng.choice(["accepted", "accepted", "referred", "closed"]),
            province=rng.choice(["11", "44", "44", "65", "31", ""]),
            kind=rng.choice(["agency", "in_house", "unknown"]),
            collector_id=rng.choice([None, None, 1, 2, 3, 4, 5, 6, 7]),
            stage=rng.choice(["reminder", "outsourced", "legal"]),
            channels=" ".join(sorted(rng.sample(["call", "sms", "visit"], rng.randint(1, 2)))),
            response=rng.choice(["", "", "explanation", "monetary_relief", "in_progress"]),
            timely=rng.choice(["", "yes", "no"]),
            review=rng.choice(["", "", "settled", "disputed"]),
        )
        groups.setdefault(facts, []).append(complaint_id)
    return groups


@pytest.mark.parametrize(("n", "seed"), [(7, 1), (60, 2), (400, 3), (3000, 4)])
def test_every_published_combination_occurs_at_least_k_times(n: int, seed: int) -> None:
    groups = random_facts(n, seed)
    plan = generalise(groups, K)
    table = pd.DataFrame([[str(v) for v in key] for key in plan.published.values()], columns=COLUMNS)
    if len(table):
        assert pycanon_anonymity.k_anonymity(table, COLUMNS) >= K
    report = plan.report
    assert report.rows == n == report.published + report.withheld
    years = {f.month[:4]: 0 for f in groups}
    for facts, ids in groups.items():
        years[facts.month[:4]] += len(ids)
    assert report.withheld == sum(count for count in years.values() if count < K)


def test_published_values_are_rungs_of_the_exact_ones() -> None:
    groups = random_facts(800, 5)
    plan = generalise(groups, K)
    for facts, ids in groups.items():
        key = plan.published.get(ids[0])
        if key is None:
            continue
        for ladder, value in zip(LADDERS, key, strict=True):
            assert value in {ladder.value(facts, rung) for rung in range(ladder.exact + 1)}, (ladder.column, value)


def test_rows_that_are_already_common_are_published_as_they_are() -> None:
    facts = Facts(1, "2026-03", "ABU-01 TP-02", "ABU-01", "accepted", "44", "agency", 7, "outsourced", "call sms")
    plan = generalise({facts: list(range(K))}, K)
    assert plan.report.as_is == K and plan.report.generalised == {}
    assert plan.published[0] == (
        1,
        "2026-03",
        ("ABU-01 TP-02", "ABU-01"),
        "accepted",
        "44",
        "agency",
        7,
        "outsourced",
        "call sms",
        "",  # never sent to the platform: no response, no timeliness, no review
        "",
        "",
    )


def test_how_a_platform_answered_is_withheld_where_fewer_than_k_rows_share_it() -> None:
    """The platform knows how it answered each complaint it was sent: a rare answer would point at the consumer."""
    common = Facts(1, "2026-03", "ABU-01", "ABU-01", "accepted", "44", "agency", 7, "outsourced", "call")
    answered = common._replace(response="monetary_relief", timely="yes", review="disputed")
    plan = generalise({common: list(range(4)), answered: [4]}, K)
    assert {key[-3:] for key in plan.published.values()} == {(WITHHELD, WITHHELD, WITHHELD)}
    assert all(key[:-3] == plan.published[0][:-3] for key in plan.published.values())  # nothing else lost

    plan = generalise({common: list(range(K)), answered: list(range(K, 2 * K))}, K)
    assert plan.published[K][-3:] == ("monetary_relief", "yes", "disputed") and plan.published[0][-3:] == ("", "", "")


def test_a_lone_row_is_hidden_among_k_and_fewer_than_k_in_a_year_are_withheld() -> None:
    common = Facts(1, "2026-03", "ABU-01", "ABU-01", "accepted", "44", "agency", 7, "outsourced", "call")
    lone = common._replace(platform_id=2, province="65", codes="ABU-01 THR-01")
    old = common._replace(month="2024-05")
    plan = generalise({common: list(range(10)), lone: [10], old: [11]}, K)
    assert 11 not in plan.published and plan.report.withheld == 1
    assert plan.published[10][0] == WITHHELD
    assert sum(1 for key in plan.published.values() if key == plan.published[10]) >= K


def test_regions_and_periods() -> None:
    assert region("44") == "south" and region("71") == "east" and region("23") == "northeast" and region("") == ""
    assert region("82") == "south" and region("65") == "northwest" and region("42") == "central"
    assert month_within("2026-Q1", "2026-01", "2026-03") and not month_within("2026-Q1", "2026-02", "2026-02")
    assert month_within("2026", "2026-01", "2026-12") and not month_within("2026", "2026-01", "2026-03")
    assert month_within("2026-02", "2026-01", "2026-03")
