"""Statistics pages, CSV downloads and the API as a visitor or a researcher's script meets them."""

from __future__ import annotations

import datetime as dt
import json

from flask.testing import FlaskClient

from complaints.extensions import db
from complaints.models import Platform
from complaints.statistics.csv_output import neutralise
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint


def world() -> tuple[int, int]:
    """Two fictional platforms: 虚构速贷 with 12 accepted complaints (8 in March, 4 in April), 示例分期 with 6."""
    big, small = (
        PlatformFactory(name_zh="虚构速贷", name_en="Fictional Quickloan"),
        PlatformFactory(name_zh="示例分期", name_en=""),
    )
    collector = CollectorFactory(name="虚构催收公司")
    for i in range(12):
        month = 3 if i < 8 else 4
        accepted_complaint(platform=big, collector=collector, submitted=dt.datetime(2026, month, 2, tzinfo=dt.UTC))
    for _ in range(6):
        accepted_complaint(platform=small, codes=["THR-01"], narrative='=HYPERLINK("http://x.test")')
    return big.id, small.id


def test_home_lists_platforms_by_count_and_sorts_by_name(en_client: FlaskClient) -> None:
    world()
    page = en_client.get("/statistics/").get_data(as_text=True)
    assert page.index("Fictional Quickloan") < page.index("示例分期")
    assert "not findings of fact" in page
    by_name = en_client.get("/statistics/?sort=name&dir=desc").get_data(as_text=True)
    assert by_name.index("示例分期") < by_name.index("Fictional Quickloan")


def test_the_search_box_finds_a_platform_by_name(zh_client: FlaskClient) -> None:
    world()
    page = zh_client.get("/statistics/?q=示例").get_data(as_text=True)
    assert "示例分期" in page and "虚构速贷" not in page


def test_an_unknown_period_is_not_found_rather_than_guessed(client: FlaskClient) -> None:
    assert client.get("/statistics/?period=2026-13").status_code == 404
    assert client.get("/api/v1/platforms?period=last-week").status_code == 404


def test_a_breakdown_that_would_give_a_small_count_away_is_withheld(client: FlaskClient) -> None:
    platform = PlatformFactory()
    for month in (3, 3, 3, 3, 4, 4, 4, 4):  # 4 + 4 = 8: both hidden, yet each pinned to 4 by the total
        accepted_complaint(platform=platform, submitted=dt.datetime(2026, month, 2, tzinfo=dt.UTC))
    page = client.get(f"/api/v1/platforms/{platform.id}?period=2026").get_json()
    assert page["complaints"]["count"] == 8
    assert page["breakdowns"]["by_month"] == []


def test_a_page_is_answered_304_until_the_rollup_changes(client: FlaskClient) -> None:
    big, _ = world()
    first = client.get(f"/statistics/platform/{big}")
    assert "public" in first.headers["Cache-Control"]
    etag = first.headers["ETag"].strip('"')
    again = client.get(f"/statistics/platform/{big}", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    accepted_complaint(platform=db.session.get(Platform, big))
    changed = client.get(f"/statistics/platform/{big}", headers={"If-None-Match": f'"{etag}"'})
    assert changed.status_code == 200


def test_table_csv_has_a_bom_a_dated_name_and_the_suppressed_text(client: FlaskClient) -> None:
    big, _ = world()
    response = client.get(f"/statistics/platform/{big}/by_month.csv?period=2026")
    body = response.get_data(as_text=True)
    assert body.startswith(
        "\ufeffperiod,platform_id,platform,breakdown,key,label,complaints,complaints_evidence_verified\r\n"
    )
    assert 'filename="collectwatch-platform-' in response.headers["Content-Disposition"]
    # April's 4 is hidden, and March's 8 with it, or 12 − 8 would give April away
    assert "by_month,2026-04,2026-04,<5,0\r\n" in body
    assert "by_month,2026-03,2026-03,—,0\r\n" in body
    assert ",4," not in body and ",8," not in body


def test_cells_that_spreadsheets_would_run_are_neutralised() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx"
    assert neutralise(-3) == "-3"
    assert neutralise("虚构速贷") == "虚构速贷"


def test_the_api_answers_json_with_cors_and_the_same_numbers(client: FlaskClient) -> None:
    big, small = world()
    response = client.get("/api/v1/platforms")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    payload = response.get_json()
    counts = {p["id"]: p["count"] for p in payload["platforms"]}
    assert counts == {big: 12, small: 6}
    assert payload["complaints"]["count"] == 18
    assert client.get(f"/api/v1/platforms/{big}").get_json()["complaints"]["count"] == 12


def test_the_openapi_document_names_every_endpoint(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/platforms", "/api/v1/platforms/{platform_id}", "/api/v1/violations/{code}"} <= set(
        document["paths"]
    )


def test_the_datapackage_describes_every_column_and_the_taxonomy_version(client: FlaskClient) -> None:
    package = json.loads(client.get("/statistics/data/datapackage.json").data)
    complaints = next(r for r in package["resources"] if r["name"] == "complaints")
    names = [f["name"] for f in complaints["schema"]["fields"]]
    assert "public_id" in names and "reference" not in names and "narrative_redacted" in names
    assert package["taxonomy_version"]


def test_the_complaint_dataset_filters_by_platform_and_status(client: FlaskClient) -> None:
    big, _ = world()
    body = client.get(f"/statistics/data/complaints.csv?platform={big}&status=accepted").get_data(as_text=True)
    assert len(body.strip().splitlines()) == 1 + 12
    assert "=HYPERLINK" not in body
    none = client.get(f"/statistics/data/complaints.csv?platform={big}&status=closed").get_data(as_text=True)
    assert len(none.strip().splitlines()) == 1


def test_build_datasets_writes_files_with_checksums_that_the_download_page_lists(app, client: FlaskClient) -> None:
    world()
    result = app.test_cli_runner().invoke(args=["build-datasets"])
    assert result.exit_code == 0, result.output
    page = client.get("/statistics/data").get_data(as_text=True)
    assert "complaints.csv" in page and "SHA256SUMS" in page
    assert client.get("/statistics/data/files/complaints.csv").status_code == 200
    assert client.get("/statistics/data/files/../secret_key").status_code == 404


def test_csv_lines_quote_as_rfc_4180_and_neutralise_every_formula_start() -> None:
    from complaints.statistics.csv_output import csv_lines

    text = "".join(csv_lines(["a", "b"], [["=1+1", 5], [None, '他说"还钱",否则'], ["-x", "\tt"], ["@A1", "+1"]]))
    assert text == '\ufeffa,b\r\n\'=1+1,5\r\n,"他说""还钱"",否则"\r\n\'-x,\'\tt\r\n\'@A1,\'+1\r\n'
