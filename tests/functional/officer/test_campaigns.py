"""Campaigns through the real pages: filings form and join them, officers act on many members at once."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.core.crypto import current_keyring
from complaints.extensions import db
from complaints.models import Campaign, CaseEvent, Complaint, EventKind, FilingOrigin
from complaints.models.private import network_hash
from complaints.privacy import retention
from tests.data import campaign_corpus
from tests.factories_officer import make_officer, sign_in
from tests.functional.helpers import post_complaint, receipt_codes, valid_form


def _file(app: Flask, narrative: str, address: str = "127.0.0.1", **overrides: str) -> Complaint:
    """A complaint filed through the form from this address; the complaint as stored."""
    consumer = app.test_client()
    consumer.environ_base["REMOTE_ADDR"] = address
    response = post_complaint(consumer, valid_form(narrative=narrative, **overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    reference, _code = receipt_codes(consumer)
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    assert complaint is not None
    return complaint


@pytest.fixture
def batch(app: Flask) -> list[Complaint]:
    return [_file(app, campaign_corpus.template_copy(n), contact_phone=f"1550000{n:04d}") for n in range(5)]


def test_the_third_tied_filing_forms_a_campaign_and_later_ones_join_it(app: Flask, batch: list[Complaint]) -> None:
    genuine = _file(app, campaign_corpus.GENUINE[0].format(platform="快易贷", phone="13900139000"))
    for complaint in batch:
        db.session.refresh(complaint)
    campaign_ids = {c.campaign_id for c in batch}
    assert len(campaign_ids) == 1 and None not in campaign_ids
    db.session.refresh(genuine)
    assert genuine.campaign_id is None, "the shared collector's number ties nothing"
    joined = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == EventKind.CAMPAIGN_JOINED)).all()
    assert sorted(e.complaint_id for e in joined) == sorted(c.id for c in batch)
    last = next(e for e in joined if e.complaint_id == batch[-1].id)
    assert "narrative" in last.data["signals"] and batch[0].reference in last.data["tied_to"]


def test_the_campaign_pages_list_the_members_and_what_tied_them(en_client: FlaskClient, batch: list[Complaint]) -> None:
    sign_in(en_client, make_officer())
    listing = en_client.get("/officer/campaigns").get_data(as_text=True)
    campaign_id = batch[0].campaign_id
    assert f"/officer/campaigns/{campaign_id}" in listing
    page = en_client.get(f"/officer/campaigns/{campaign_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert all(c.reference in text for c in batch) and "Near-duplicate narrative" in text
    case = en_client.get(f"/officer/complaints/{batch[0].id}").get_data(as_text=True)
    assert f"/officer/campaigns/{campaign_id}" in case


def test_an_empty_list_says_so_and_an_unknown_campaign_is_not_found(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    assert "No campaign yet" in en_client.get("/officer/campaigns").get_data(as_text=True)
    assert en_client.get("/officer/campaigns/999").status_code == 404
    assert en_client.get("/officer/campaigns?before=x").status_code == 200


def test_closing_members_as_duplicates_of_one_closes_them_all_in_one_post(
    en_client: FlaskClient, batch: list[Complaint]
) -> None:
    sign_in(en_client, make_officer())
    campaign_id = batch[0].campaign_id
    response = en_client.post(
        f"/officer/campaigns/{campaign_id}",
        data={"members": [c.id for c in batch], "original": batch[0].id, "action": "duplicates"},
    )
    assert response.status_code == 303
    page = en_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "4 complaints closed as duplicates." in page
    for complaint in batch[1:]:
        db.session.refresh(complaint)
        assert complaint.status == "closed" and complaint.resolution == "duplicate"
        assert complaint.duplicate_of_id == batch[0].id
    db.session.refresh(batch[0])
    assert batch[0].status == "submitted"
    again = en_client.post(
        f"/officer/campaigns/{campaign_id}",
        data={"members": [batch[1].id], "original": batch[0].id, "action": "duplicates"},
    )
    assert "1 was already closed" in en_client.get(again.headers["Location"]).get_data(as_text=True)


def test_judging_members_agent_filed_folds_all_but_the_first(en_client: FlaskClient, batch: list[Complaint]) -> None:
    sign_in(en_client, make_officer())
    campaign_id = batch[0].campaign_id
    chosen = [c.id for c in batch[1:4]]
    response = en_client.post(f"/officer/campaigns/{campaign_id}", data={"members": chosen, "action": "agent_filed"})
    assert response.status_code == 303
    folded = {c.id: (c.agent_filed, c.campaign_folded) for c in db.session.scalars(select(Complaint))}
    assert folded[batch[0].id] == (False, False)
    assert folded[batch[1].id] == (True, False)
    assert folded[batch[2].id] == folded[batch[3].id] == (True, True)
    marks = db.session.scalar(select(func.count()).where(CaseEvent.kind == EventKind.AGENT_FILED))
    assert marks == 3
    # Splitting the first agent-filed member off makes the next one count.
    en_client.post(f"/officer/campaigns/{campaign_id}", data={"members": [batch[1].id], "action": "split"})
    db.session.expire_all()
    assert db.session.get(Complaint, batch[1].id).campaign_id is None  # type: ignore[union-attr]
    assert db.session.get(Complaint, batch[2].id).campaign_folded is False  # type: ignore[union-attr]
    assert db.session.get(Complaint, batch[3].id).campaign_folded is True  # type: ignore[union-attr]
    left = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == EventKind.CAMPAIGN_LEFT)).one()
    assert left.complaint_id == batch[1].id and left.data == {"campaign": campaign_id}


def test_a_split_off_complaint_is_not_pulled_back_by_later_filings(
    app: Flask, en_client: FlaskClient, batch: list[Complaint]
) -> None:
    sign_in(en_client, make_officer())
    campaign_id = batch[0].campaign_id
    en_client.post(f"/officer/campaigns/{campaign_id}", data={"members": [batch[4].id], "action": "split"})
    later = _file(app, campaign_corpus.template_copy(7))
    db.session.refresh(later)
    db.session.refresh(batch[4])
    assert later.campaign_id == campaign_id and batch[4].campaign_id is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "agent_filed"}, "Choose at least one complaint of the campaign."),
        ({"action": "duplicates", "members": ["1"], "original": "999999"}, "Choose the complaint the others duplicate"),
        ({"action": "explode", "members": ["1"]}, "Not a valid choice"),
        ({"action": "split", "members": ["٣", "x" * 5000, "-1"]}, "Choose at least one complaint of the campaign."),
    ],
)
def test_a_refused_action_says_why_and_changes_nothing(
    en_client: FlaskClient, batch: list[Complaint], data: dict[str, object], message: str
) -> None:
    sign_in(en_client, make_officer())
    campaign_id = batch[0].campaign_id
    response = en_client.post(f"/officer/campaigns/{campaign_id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Complaint.campaign_id == campaign_id)) == len(batch)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 1


def test_members_of_another_campaign_are_ignored(en_client: FlaskClient, batch: list[Complaint]) -> None:
    sign_in(en_client, make_officer())
    other = Campaign()
    db.session.add(other)
    db.session.commit()
    response = en_client.post(f"/officer/campaigns/{other.id}", data={"members": [batch[0].id], "action": "split"})
    assert response.status_code == 422
    db.session.refresh(batch[0])
    assert batch[0].campaign_id is not None


def test_filings_from_one_network_within_a_day_are_shown_together_but_never_form_a_campaign_alone(
    app: Flask, en_client: FlaskClient
) -> None:
    stories = [text.format(platform="快易贷", phone="13900139000") for text in campaign_corpus.GENUINE[:4]]
    first, second, third = (_file(app, story, f"203.0.113.{n}") for n, story in zip((7, 9, 200), stories, strict=False))
    elsewhere = _file(app, stories[3], "198.51.100.7", collector_phones="13700137000")
    assert all(db.session.get(Complaint, c.id).campaign_id is None for c in (first, second, third))  # type: ignore[union-attr]
    sign_in(en_client, make_officer())
    page = en_client.get(f"/officer/complaints/{first.id}").get_data(as_text=True)
    duplicates = page[page.index("Possible duplicates") :]
    assert second.reference in duplicates and third.reference in duplicates
    assert "Filed from the same network within a day" in duplicates
    assert elsewhere.reference not in duplicates


def test_only_a_keyed_hash_of_the_network_is_kept_and_only_for_a_day(app: Flask) -> None:
    complaint = _file(app, "催收员每天打电话骂我。", "2001:db8:1234:5678::1")
    origin = db.session.get(FilingOrigin, complaint.id)
    assert origin is not None
    assert "2001" not in origin.network_hash and len(origin.network_hash) == 64
    assert origin.network_hash == network_hash(current_keyring(), "2001:db8:1234:ffff::9"), "the same /48"
    assert origin.network_hash != network_hash(current_keyring(), "2001:db8:1235::1")
    assert network_hash(current_keyring(), "not an address") == ""
    assert retention.purge_filing_origins(origin.filed_at + dt.timedelta(hours=23)) == 0
    assert retention.purge_filing_origins(origin.filed_at + dt.timedelta(hours=25)) == 1
