"""How platforms answer, in public: sent, in time, response types, disputes and days to answer, on the pages,
in the CSV and the JSON, under the same suppression as every count (issue 15)."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from complaints.extensions import db
from complaints.models import Platform
from tests.factories import PlatformFactory
from tests.factories_loop import MovingClock, accepted, answer, review, triage_officer
from tests.factories_officer import make_responder


def busy_platform(clock: MovingClock, name: str = "虚构答复分期") -> Platform:
    """Ten complaints sent and three not: four answered in 3 days, three after 16, three never; then reviewed.

    Ends 16 days after sending, when the unanswered ones are past their 15-day deadline.
    """
    platform, officer = PlatformFactory(name_zh=name, name_en="Answering Loans"), triage_officer()
    responder = make_responder(platform.id)
    sent = [accepted(platform, officer) for _ in range(10)]
    for _ in range(3):
        accepted(platform, officer, send=False)
    clock.advance(3)
    for complaint in sent[:4]:
        answer(complaint, responder, "non_monetary_relief")
    clock.advance(13)
    for complaint in sent[4:7]:
        answer(complaint, responder, "explanation")
    for complaint in sent[:3]:
        review(complaint, "disputed")
    for complaint in sent[3:7]:
        review(complaint, "settled")
    return platform


def quick_platform(clock: MovingClock) -> Platform:
    """Three complaints sent and all answered in time, with monetary relief, on the day."""
    platform, officer = (
        PlatformFactory(name_zh="虚构及时钱包", name_en="Prompt Wallet"),
        triage_officer("b@example.test"),
    )
    responder = make_responder(platform.id, "responder-b@example.org")
    for complaint in [accepted(platform, officer) for _ in range(3)]:
        answer(complaint, responder, "monetary_relief")
    return platform


@pytest.fixture
def k3(app: Flask, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setitem(app.config, "STATS_MIN_CELL", 3)
    return 3


def test_a_platform_page_shows_how_it_answers_with_k_3(
    en_client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock().install(monkeypatch)
    platform = busy_platform(clock)
    payload = en_client.get(f"/api/v1/platforms/{platform.id}").get_json()
    figures = payload["answers"]
    counts = {key: cell["count"] for key, cell in figures["counts"].items()}
    assert counts == {
        "sent": 10,
        "in_time": 4,
        "not_in_time": 6,  # three late answers, three deadlines passed without one
        "not_due": 0,
        "monetary": 0,
        "non_monetary": 4,
        "explanation": 3,
        "not_customer": 0,
        "in_progress": 0,
        "no_answer": 3,
        "reviewable": 7,
        "settled": 4,
        "disputed": 3,
        "not_reviewed": 0,
    }
    assert figures["share_answered_in_time"] == pytest.approx(0.4)
    assert figures["share_disputed"] == pytest.approx(3 / 7)
    assert figures["median_days_to_answer"] == 3
    page = en_client.get(f"/statistics/platform/{platform.id}").get_data(as_text=True)
    assert "How the platform answers" in page
    assert "within 15 days" in page and "A reply is not a resolution" in page
    assert "40%" in page and "43%" in page
    rows = list(csv.DictReader(io.StringIO(en_client.get(f"/statistics/platform/{platform.id}/answers.csv").text[1:])))
    assert {r["key"]: r["complaints"] for r in rows}["not_in_time"] == "6"
    assert {r["group"] for r in rows} == {"timeliness", "response_type", "review"}


def test_a_deadline_passing_moves_the_figures_without_a_write(
    client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    for _ in range(3):
        accepted(platform, officer)
    clock.advance(14)
    before = client.get(f"/api/v1/platforms/{platform.id}")
    assert before.get_json()["answers"]["counts"]["not_due"]["count"] == 3
    clock.advance(2)
    again = client.get(f"/api/v1/platforms/{platform.id}", headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200, "a passed deadline must change the ETag"
    counts = again.get_json()["answers"]["counts"]
    assert (counts["not_due"]["count"], counts["not_in_time"]["count"]) == (0, 3)
    assert again.get_json()["answers"]["share_answered_in_time"] == 0.0


def test_a_closed_complaint_is_not_overdue_for_a_deadline_after_its_closing(
    client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints.casework import triage
    from complaints.models import Resolution

    clock = MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    complaints = [accepted(platform, officer) for _ in range(3)]
    clock.advance(2)
    for complaint in complaints:
        triage.close(complaint, Resolution.UNRESOLVED, by=officer)
    db.session.commit()
    clock.advance(30)
    counts = client.get(f"/api/v1/platforms/{platform.id}").get_json()["answers"]["counts"]
    assert (counts["sent"]["count"], counts["not_in_time"]["count"], counts["not_due"]["count"]) == (3, 0, 3)


def test_the_home_sorts_platforms_by_the_share_answered_in_time(
    en_client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock().install(monkeypatch)
    quick = quick_platform(clock)
    busy = busy_platform(clock)
    page = en_client.get("/statistics/?sort=in_time").get_data(as_text=True)
    assert "Answered in time" in page and "Median days to answer" in page
    assert page.index("Prompt Wallet") < page.index("Answering Loans")
    ascending = en_client.get("/statistics/?sort=in_time&dir=asc").get_data(as_text=True)
    assert ascending.index("Answering Loans") < ascending.index("Prompt Wallet")
    for sort in ("disputed", "answer_days"):
        assert en_client.get(f"/statistics/?sort={sort}").status_code == 200
    listed = {p["id"]: p for p in en_client.get("/api/v1/platforms").get_json()["platforms"]}
    assert listed[quick.id]["share_answered_in_time"] == 1.0
    assert listed[busy.id]["share_answered_in_time"] == pytest.approx(0.4)
    assert listed[quick.id]["median_days_to_answer"] == 0
    assert listed[busy.id]["sent_to_platform"]["count"] == 10
    rows = {
        r["platform_id"]: r for r in csv.DictReader(io.StringIO(en_client.get("/statistics/platforms.csv").text[1:]))
    }
    assert rows[str(busy.id)]["share_answered_in_time"] == "0.400"
    assert rows[str(busy.id)]["share_disputed"] == "0.429"
    assert rows[str(busy.id)]["median_days_to_answer"] == "3.0"
    assert rows[str(busy.id)]["sent_to_platform"] == "10"


def test_with_k_5_small_answer_counts_are_hidden_and_so_are_the_shares_they_would_give(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock().install(monkeypatch)
    platform = busy_platform(clock)
    figures = client.get(f"/api/v1/platforms/{platform.id}").get_json()["answers"]
    cells = figures["counts"]
    for key in ("non_monetary", "explanation", "no_answer", "disputed", "settled", "in_time"):
        assert cells[key]["count"] is None and cells[key]["display"] in ("<5", "—"), key
    assert all(c["count"] is None or c["count"] == 0 or c["count"] >= 5 for c in cells.values())
    assert figures["share_answered_in_time"] is None and figures["share_disputed"] is None
    assert figures["median_days_to_answer"] == 3  # seven answered: at least k
    page = client.get(f"/statistics/platform/{platform.id}").get_data(as_text=True)
    assert '<td class="num count">4</td>' not in page


def test_a_platform_with_few_complaints_has_its_answers_withheld(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    MovingClock().install(monkeypatch)
    platform, officer = PlatformFactory(), triage_officer()
    for _ in range(2):
        accepted(platform, officer)
    figures = client.get(f"/api/v1/platforms/{platform.id}").get_json()["answers"]
    assert figures["withheld"] is True
    assert all(c["suppressed"] == "withheld" for c in figures["counts"].values())
    assert client.get(f"/statistics/platform/{platform.id}/answers.csv").status_code == 200
    assert client.get("/statistics/collector/-1/answers.csv").status_code == 404


def test_the_complaint_dataset_says_how_the_platform_answered_k_anonymously(
    en_client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints.statistics.datasets import QUASI_IDENTIFIER_COLUMNS

    clock = MovingClock().install(monkeypatch)
    quick = quick_platform(clock)
    busy_platform(clock)
    text = en_client.get("/statistics/data/complaints.csv").text
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 16
    assert {"platform_response", "timely_response", "consumer_review"} <= set(QUASI_IDENTIFIER_COLUMNS)
    combinations: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = tuple(row[c] for c in QUASI_IDENTIFIER_COLUMNS)
        combinations[key] = combinations.get(key, 0) + 1
        assert row["platform_response"] in ("", "*", "monetary_relief", "non_monetary_relief", "explanation")
        assert row["timely_response"] in ("", "*", "yes", "no")
        assert row["consumer_review"] in ("", "*", "settled", "disputed")
    assert min(combinations.values()) >= k3
    prompt = [r for r in rows if r["platform_id"] == str(quick.id)]
    assert [(r["platform_response"], r["timely_response"]) for r in prompt] == [("monetary_relief", "yes")] * 3
    fields = {
        f["name"]: f
        for f in en_client.get("/statistics/data/datapackage.json").get_json()["resources"][0]["schema"]["fields"]
    }
    assert fields["timely_response"]["constraints"] == {"enum": ["yes", "no", "*"]}
    assert "in_progress" in fields["platform_response"]["constraints"]["enum"]
    dictionary = en_client.get("/statistics/data/dictionary").get_data(as_text=True)
    assert "timely_response" in dictionary and "A reply is not a resolution" in dictionary


def test_the_answers_speak_chinese_first(zh_client: FlaskClient, k3: int, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = MovingClock().install(monkeypatch)
    platform = busy_platform(clock)
    page = zh_client.get(f"/statistics/platform/{platform.id}").get_data(as_text=True)
    assert "平台如何答复" in page and "答复不等于解决" in page and "未按时答复" in page
    assert "按时答复" in zh_client.get("/statistics/").get_data(as_text=True)
    assert "按时" in zh_client.get("/statistics/data/dictionary").get_data(as_text=True)
