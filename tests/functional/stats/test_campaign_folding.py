"""Agent-filed complaints count once per campaign in every public output, and the outputs say how many were folded."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.casework import campaigns
from complaints.extensions import db
from complaints.models import Campaign, Complaint
from complaints.statistics import recompute
from tests.factories import PlatformFactory
from tests.factories_officer import make_officer
from tests.factories_stats import accepted_complaint


def _world() -> tuple[int, Campaign, list[Complaint]]:
    """A platform with 20 genuine complaints and a campaign of 12 agent-filed copies about it."""
    platform = PlatformFactory(name_zh="虚构快易贷")
    for _ in range(20):
        accepted_complaint(platform=platform)
    campaign = Campaign()
    db.session.add(campaign)
    db.session.flush()
    members = [accepted_complaint(platform=platform, campaign_id=campaign.id) for _ in range(12)]
    db.session.commit()
    return platform.id, campaign, members


def _home_count(client: FlaskClient, platform_id: int) -> int:
    home = client.get("/api/v1/platforms?period=all").get_json()
    return next(p["count"] for p in home["platforms"] if p["id"] == platform_id)


def test_judging_a_campaign_agent_filed_counts_it_once_everywhere(app: Flask, en_client: FlaskClient) -> None:
    platform_id, campaign, members = _world()
    officer = make_officer()
    assert _home_count(en_client, platform_id) == 32
    campaigns.mark_agent_filed(campaign, [m.id for m in members], by=officer)
    db.session.commit()
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    home = en_client.get("/api/v1/platforms?period=all").get_json()
    assert _home_count(en_client, platform_id) == 21, "twenty people and one campaign"
    assert home["folded_into_campaigns"]["complaints"]["count"] == 11
    assert home["folded_into_campaigns"]["campaigns"]["suppressed"] == "primary", "one campaign is a small count"
    page = en_client.get("/statistics/").get_data(as_text=True)
    assert "Counted once per campaign: 11 further complaints" in page
    rows = list(csv.DictReader(io.StringIO(en_client.get("/statistics/platforms.csv").get_data(as_text=True)[1:])))
    assert {r["platform_id"]: r["complaints"] for r in rows}[str(platform_id)] == "21"
    entity = en_client.get(f"/api/v1/platforms/{platform_id}?period=all").get_json()
    assert entity["complaints"]["count"] == 21
    dataset = en_client.get("/statistics/datasets/complaints.csv")
    if dataset.status_code == 200:
        lines = dataset.get_data(as_text=True).splitlines()
        assert len(lines) - 1 <= 21


def test_splitting_the_counted_member_off_lets_the_next_one_count(app: Flask, en_client: FlaskClient) -> None:
    platform_id, campaign, members = _world()
    officer = make_officer()
    campaigns.mark_agent_filed(campaign, [m.id for m in members], by=officer)
    campaigns.split_off(campaign, [members[0].id], by=officer)
    db.session.commit()
    assert recompute.rebuild(db.session.connection(), verify_only=True).differences == []
    # The split-off complaint counts on its own again, and the campaign once: 20 + 1 + 1.
    assert _home_count(en_client, platform_id) == 22
    counted = db.session.scalars(
        select(Complaint.id).where(Complaint.campaign_id == campaign.id, Complaint.campaign_folded.is_(False))
    ).all()
    assert counted == [members[1].id]


def test_nothing_folded_says_nothing(en_client: FlaskClient) -> None:
    _world()
    assert "Counted once per campaign" not in en_client.get("/statistics/").get_data(as_text=True)
    folded = en_client.get("/api/v1/platforms?period=all").get_json()["folded_into_campaigns"]
    assert folded["complaints"]["count"] == 0 and folded["campaigns"]["count"] == 0


def test_periods_at_the_ends_of_the_calendar_give_an_answer_not_an_error(en_client: FlaskClient) -> None:
    """Year 0 and December 9999 are periods the URL can name; the fold's month bounds must not overflow."""
    _world()
    for period in ("0000", "0000-01", "0000-Q1", "9999", "9999-12", "9999-Q4"):
        assert en_client.get(f"/api/v1/platforms?period={period}").status_code in (200, 404), period
        assert en_client.get(f"/statistics/?period={period}").status_code in (200, 404), period
