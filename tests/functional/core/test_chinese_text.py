"""Chinese pages speak Chinese all the way: script messages, the data dictionary, routing notes, punctuation."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import Flask, render_template_string
from flask.testing import FlaskClient

from tests.factories import ComplaintFactory
from tests.factories_officer import make_admin, sign_in
from tests.functional.public.test_status import open_status

HAN = re.compile(r"[\u4e00-\u9fff]")


def _attribute(page: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', page)


def test_both_upload_forms_give_the_script_its_network_error_in_chinese(zh_client: FlaskClient) -> None:
    # app.js showed "Network error", in English, when an upload failed: no form gave it the words.
    new = zh_client.get("/complaints/new").get_data(as_text=True)
    status = open_status(zh_client, ComplaintFactory().reference)
    for page in (new, status):
        (message,) = _attribute(page, "data-network-error")
        assert HAN.search(message) and message.endswith("。"), message


def test_a_chart_gets_its_screen_reader_hint_from_the_page(app: Flask) -> None:
    row = SimpleNamespace(label="电话", href="", count=SimpleNamespace(hidden=False, value=7))
    table = SimpleNamespace(
        id="by_month",
        title="按月份",
        note="",
        rows=[row],
        withheld=False,
        chart="line",
        chart_data=lambda: {"labels": ["电话"]},
    )
    with app.test_request_context("/statistics/", headers={"Accept-Language": "zh"}):
        html = render_template_string(
            '{% import "stats/_macros.html" as m with context %}{{ m.breakdown(table, "/x.csv") }}', table=table
        )
    assert _attribute(html, "data-chart-label") == ["按月份（数据见下表）"]


def test_the_data_dictionary_describes_every_column_in_chinese(zh_client: FlaskClient, app: Flask) -> None:
    page = zh_client.get("/statistics/data/dictionary").get_data(as_text=True)
    meanings = re.findall(r'<tr><th scope="row"><code>[^<]*</code></th><td>[^<]*</td><td>([^<]*)</td>', page)
    assert len(meanings) > 20
    assert [m for m in meanings if not HAN.search(m)] == []
    assert "&lt;k" not in page and "'<k'" not in page
    k = app.config["STATS_MIN_CELL"]
    assert f"“&lt;{k}”" in page and f"1–{k - 1}" in page


def test_the_data_dictionary_headings_use_chinese_parentheses(zh_client: FlaskClient) -> None:
    page = zh_client.get("/statistics/data/dictionary").get_data(as_text=True)
    assert "（complaints.csv）" in page and "（counts-platform.csv）" in page
    assert " (complaints.csv)" not in page


def test_the_routing_rules_explain_themselves_in_chinese(zh_client: FlaskClient) -> None:
    sign_in(zh_client, make_admin())
    page = zh_client.get("/officer/directory/routing").get_data(as_text=True)
    assert "Violence goes to the police" not in page and "Threats to credit records" not in page
    assert "暴力" in page and "征信" in page


def test_the_status_heading_uses_a_chinese_colon(zh_client: FlaskClient) -> None:
    page = open_status(zh_client, ComplaintFactory().reference)
    assert re.search(r"状态：<span data-status>[^<]+</span>", page), page[:2000]
    assert "状态: " not in page


def test_the_statistics_lead_ends_with_a_chinese_full_stop(zh_client: FlaskClient) -> None:
    page = zh_client.get("/statistics/").get_data(as_text=True)
    assert "全部时间。" in page and "全部时间." not in page
    assert "全部平台：" in page


def test_datapackage_json_stays_in_english_with_the_threshold_written_out(zh_client: FlaskClient, app: Flask) -> None:
    # The machine-readable descriptor is the same whoever asks; the page above is the translated one.
    package = zh_client.get("/statistics/data/datapackage.json").get_json()
    descriptions = [f["description"] for r in package["resources"] for f in r["schema"]["fields"]]
    assert [d for d in descriptions if HAN.search(d)] == []
    k = app.config["STATS_MIN_CELL"]
    counts = {f["name"]: f["description"] for f in package["resources"][1]["schema"]["fields"]}
    assert f"“<{k}” (1–{k - 1} complaints)" in counts["complaints"]
    assert f"“<{k}”" in counts["complaints_evidence_verified"]
    assert not [d for d in descriptions if "<k" in d]


def test_a_supervisors_own_routing_note_is_shown_as_typed_and_escaped(zh_client: FlaskClient) -> None:
    sign_in(zh_client, make_admin())
    zh_client.post(
        "/officer/directory/routing",
        data={"match_type": "violation", "match_value": "TIM-01", "regulator": "NIFA", "note": "<b>夜间</b>催收"},
    )
    page = zh_client.get("/officer/directory/routing").get_data(as_text=True)
    assert "&lt;b&gt;夜间&lt;/b&gt;催收" in page and "<b>夜间</b>" not in page
