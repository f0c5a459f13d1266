"""What a consumer types as the platform is private text on the complaint, never a directory entry.

Before issue 10 a typed ``张伟 13800138000`` became an unverified platform: the next visitor's
type-ahead offered it, the statistics listed it and its page answered, and a default triage made
it a row of every public table. Only verified directory entries reach the public now.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select, text

from complaints.extensions import db
from complaints.models import Complaint, Platform
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in
from tests.factories_stats import accepted_complaint
from tests.functional.helpers import post_complaint, valid_form

PRIVATE_NAME = "张伟 13800138000"
_ACCEPT = {
    "codes": ["ABU-01"],
    "primary_code": "ABU-01",
    "severity": "normal",
    "new_platform_kind": "other",
    "new_collector_kind": "unknown",
}


def _accept(client: FlaskClient, complaint_id: int, **data: Any) -> Any:
    return client.post(f"/officer/complaints/{complaint_id}/accept", data={**_ACCEPT, **data})


def test_a_typed_platform_makes_no_directory_entry_and_is_stored_encrypted(client: FlaskClient) -> None:
    platforms_before = db.session.query(Platform).count()
    assert post_complaint(client, valid_form(platform=PRIVATE_NAME)).status_code == 303
    complaint = db.session.scalars(select(Complaint)).one()
    assert db.session.query(Platform).count() == platforms_before
    assert complaint.platform_id is None and complaint.platform_name_reported == PRIVATE_NAME
    raw = db.session.scalar(text("SELECT platform_name_reported FROM complaints"))
    assert raw.startswith("enc1:") and "13800138000" not in raw


def test_a_typed_name_of_a_verified_platform_links_it(client: FlaskClient) -> None:
    known = PlatformFactory(name_zh="虚构分期商城")
    post_complaint(client, valid_form(platform=" 虚构分期商城 "))
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.platform_id == known.id


def test_the_public_type_ahead_offers_verified_platforms_only(client: FlaskClient) -> None:
    post_complaint(client, valid_form(platform=PRIVATE_NAME))
    PlatformFactory(name_zh="未核实虚构平台138", verified=False)
    PlatformFactory(name_zh="已核实虚构平台138")
    names = [item["name"] for item in client.get("/platforms/suggest?q=138").get_json()]
    assert names == ["已核实虚构平台138"]


def test_an_unverified_platform_is_not_public_anywhere(client: FlaskClient) -> None:
    hidden = PlatformFactory(name_zh="未核实虚构平台", name_en="Unverified Fictional", verified=False)
    shown = PlatformFactory(name_zh="已核实虚构平台")
    for url in (f"/statistics/platform/{hidden.id}", f"/api/v1/platforms/{hidden.id}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/statistics/platform/{shown.id}").status_code == 200
    form_page = client.get("/statistics/data").get_data(as_text=True)
    assert "已核实虚构平台" in form_page and "未核实虚构平台" not in form_page
    assert client.get("/statistics/?q=未核实").get_data(as_text=True).count("未核实虚构平台") == 0


def test_triage_refuses_a_complaint_with_no_verified_platform(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    post_complaint(en_client, valid_form(platform=PRIVATE_NAME))
    complaint = db.session.scalars(select(Complaint)).one()
    response = _accept(en_client, complaint.id)
    assert response.status_code == 422
    assert "Link the complaint to a verified platform" in response.get_data(as_text=True)
    unverified = PlatformFactory(name_zh="未核实虚构平台", verified=False)
    assert _accept(en_client, complaint.id, platform_id=str(unverified.id)).status_code == 422
    db.session.expire_all()
    assert complaint.status == "submitted" and complaint.platform_id is None


def test_triage_links_a_verified_platform_or_creates_one_with_its_kind(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    post_complaint(en_client, valid_form(platform=PRIVATE_NAME))
    complaint = db.session.scalars(select(Complaint)).one()
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert PRIVATE_NAME in page, "officers see what the consumer typed"
    response = _accept(en_client, complaint.id, new_platform_name="虚构手机租赁", new_platform_kind="phone_rental")
    assert response.status_code == 303
    db.session.expire_all()
    assert complaint.status == "accepted" and complaint.platform is not None
    assert complaint.platform.verified and complaint.platform.kind == "phone_rental"
    assert complaint.platform_name_reported == PRIVATE_NAME


def test_a_platform_with_public_complaints_cannot_be_unverified(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer(role="admin"))
    platform = PlatformFactory(name_zh="已核实虚构平台")
    accepted_complaint(platform=platform)
    response = en_client.post(
        f"/officer/directory/platforms/{platform.id}",
        data={
            "name_zh": platform.name_zh,
            "name_en": "",
            "kind": "lending_app",
            "aliases": "",
            "operating_company": "",
        },
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert platform.verified


def test_the_officer_type_ahead_searches_unverified_entries_too(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    PlatformFactory(name_zh="未核实虚构平台", verified=False)
    found = en_client.get("/officer/suggest/platforms?q=未核实").get_json()
    assert len(found) == 1


def test_an_existing_complaint_with_no_platform_still_shows_its_typed_name_to_officers(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(platform=None, platform_name_reported=PRIVATE_NAME)
    assert PRIVATE_NAME in en_client.get("/officer/").get_data(as_text=True)
    assert PRIVATE_NAME in en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
