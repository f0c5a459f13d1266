"""Evidence-backed counts beside raw counts (issue 10): every table, CSV and API answer gives, beside
the complaint count, the count whose evidence an officer verified, under the same suppression."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from tests.factories import PlatformFactory
from tests.factories_stats import accepted_complaint
from tests.functional.stats.test_stats_privacy import recoverable


def _world() -> tuple[int, int]:
    """Platform A: 12 complaints, 7 with verified evidence; B: 6 complaints, 3 with verified evidence."""
    a, b = PlatformFactory(name_zh="虚构甲平台"), PlatformFactory(name_zh="虚构乙平台")
    for i in range(12):
        accepted_complaint(platform=a, evidence_verified=i < 7)
    for i in range(6):
        accepted_complaint(platform=b, evidence_verified=i < 3)
    return a.id, b.id


def test_the_home_gives_evidence_backed_counts_suppressed_so_no_small_one_can_be_worked_out(
    client: FlaskClient,
) -> None:
    a, b = _world()
    home = client.get("/api/v1/platforms?period=all").get_json()
    assert home["complaints_evidence_verified"]["count"] == 10
    by_id = {p["id"]: p for p in home["platforms"]}
    assert by_id[b]["evidence_verified"]["suppressed"] == "primary"
    assert by_id[b]["share_evidence_verified"] is None, "a share beside a hidden count would give it away"
    line = [by_id[p]["evidence_verified"] for p in (a, b)]
    assert not recoverable(line, 10), line
    assert by_id[a]["evidence_verified"]["suppressed"] == "complementary"
    assert by_id[a]["count"] == 12 and by_id[b]["count"] == 6


def test_every_output_gives_the_same_evidence_backed_count(client: FlaskClient) -> None:
    a, _b = _world()
    PlatformFactory(name_zh="虚构丙平台")
    for platform in [PlatformFactory(name_zh="虚构丁平台")]:
        for i in range(9):
            accepted_complaint(platform=platform, evidence_verified=i < 6)
    home = client.get("/api/v1/platforms?period=all").get_json()
    shown = {p["id"]: p["evidence_verified"]["display"] for p in home["platforms"]}
    entity = client.get(f"/api/v1/platforms/{a}?period=all").get_json()
    assert entity["complaints_evidence_verified"]["display"] == shown[a]
    rows = list(csv.DictReader(io.StringIO(client.get("/statistics/platforms.csv").get_data(as_text=True)[1:])))
    assert {int(r["platform_id"]): r["complaints_evidence_verified"] for r in rows if r["platform_id"]} == shown
    table = client.get(f"/statistics/platform/{a}/by_month.csv").get_data(as_text=True)
    assert "complaints_evidence_verified" in table.splitlines()[0]
    page = client.get(f"/statistics/platform/{a}").get_data(as_text=True)
    assert "Of them, evidence verified" in page or "其中证据已核实" in page
    for breakdown in entity["breakdowns"].values():
        for row in breakdown:
            count = row["evidence_verified"]["count"]
            assert count is None or count == 0 or count >= 5, row


def test_the_aggregate_datasets_carry_the_evidence_backed_count_under_the_same_suppression(
    client: FlaskClient,
) -> None:
    _world()
    for by in ("platform", "collector", "province"):
        text = client.get(f"/statistics/data/counts-{by}.csv").get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and "complaints_evidence_verified" in rows[0], by
        for row in rows:
            value = row["complaints_evidence_verified"]
            assert not (value.isdigit() and 0 < int(value) < 5), (by, row)
    package = client.get("/statistics/data/datapackage.json").get_json()
    fields = [f["name"] for r in package["resources"] for f in r["schema"]["fields"]]
    assert "complaints_evidence_verified" in fields
