"""Supervisors keep the directory: verify and merge platforms, keep collectors, edit regulators and rules."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.directory.lookup import find_platform_by_name, search_platforms
from complaints.extensions import db
from complaints.models import CaseEvent, Collector, CollectorPhone, Regulator, RoutingRule
from tests.factories import CollectorFactory, ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin, make_officer, sign_in


def test_officers_cannot_open_the_directory(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    assert en_client.get("/officer/directory/platforms").status_code == 403


def test_a_supervisor_verifies_and_renames_a_platform_with_aliases(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    typed = PlatformFactory(name_zh="虚构花花", name_en="", verified=False)
    response = en_client.post(
        f"/officer/directory/platforms/{typed.id}",
        data={
            "name_zh": "虚构花花钱包",
            "name_en": "Fictional Huahua Wallet",
            "kind": "lending_app",
            "aliases": "花花APP\nHuahua",
            "verified": "y",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert typed.verified and typed.kind == "lending_app" and [a.alias for a in typed.aliases] == ["花花APP", "Huahua"]
    assert search_platforms("huahua")[0].id == typed.id
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "platform_updated")).one()
    assert event.data["changes"]["name_zh"]["to"] == "虚构花花钱包"


def test_merging_platforms_moves_complaints_and_keeps_the_old_name_as_an_alias(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    real = PlatformFactory(name_zh="虚构速贷")
    misspelt = PlatformFactory(name_zh="虚构速代", verified=False)
    moved = ComplaintFactory.create_batch(3, platform=misspelt)
    response = en_client.post(f"/officer/directory/platforms/{misspelt.id}/merge", data={"target": str(real.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert {c.platform_id for c in moved} == {real.id}
    assert misspelt.merged_into_id == real.id
    assert "虚构速代" in [a.alias for a in real.aliases]
    assert find_platform_by_name("虚构速代").id == real.id
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "platform_merged")).one()
    assert event.data["complaints"] == 3


def test_collectors_get_numbers_complaints_and_merge(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    response = en_client.post(
        "/officer/directory/collectors",
        data={"name": "虚构资产管理公司", "kind": "agency", "phones": "+86 138-0013-8000\n95123"},
    )
    assert response.status_code == 303
    created = db.session.scalars(select(Collector).where(Collector.name == "虚构资产管理公司")).one()
    assert sorted(p.phone for p in created.phones) == ["+8613800138000", "95123"]
    bad = en_client.post(
        "/officer/directory/collectors", data={"name": "另一家", "kind": "agency", "phones": "13800138000"}
    )
    assert bad.status_code == 422 and "already belongs" in bad.get_data(as_text=True)

    complaint = ComplaintFactory()
    en_client.post(f"/officer/directory/collectors/{created.id}/link", data={"reference": complaint.reference})
    db.session.expire_all()
    assert complaint.collector_id == created.id
    page = en_client.get(f"/officer/directory/collectors/{created.id}").get_data(as_text=True)
    assert complaint.reference in page and complaint.platform.name_en in page

    duplicate = CollectorFactory(name="虚构资产管理")
    other = ComplaintFactory(collector_id=duplicate.id)
    en_client.post(f"/officer/directory/collectors/{duplicate.id}/merge", data={"target": str(created.id)})
    db.session.expire_all()
    assert other.collector_id == created.id and duplicate.merged_into_id == created.id
    assert db.session.query(CollectorPhone).count() == 2


def test_regulators_and_routing_rules_are_edited_and_recorded(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    samr = db.session.get(Regulator, "SAMR")
    response = en_client.post(
        "/officer/directory/regulators/SAMR",
        data={
            "name_zh": samr.name_zh,
            "name_en": samr.name_en,
            "intake_channel": "web_portal",
            "intake_contact": "12315.cn",
            "response_days": "20",
            "active": "y",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert samr.response_days == 20 and samr.intake_channel == "web_portal"
    added = en_client.post(
        "/officer/directory/routing",
        data={"match_type": "violation", "match_value": "TIM-01", "regulator": "NIFA", "note": "夜间催收"},
    )
    assert added.status_code == 303
    rule = db.session.scalars(select(RoutingRule).where(RoutingRule.match_value == "TIM-01")).one()
    wrong = en_client.post(
        "/officer/directory/routing", data={"match_type": "platform_kind", "match_value": "casino", "regulator": "NIFA"}
    )
    assert wrong.status_code == 422
    en_client.post(f"/officer/directory/routing/{rule.id}/delete")
    assert db.session.get(RoutingRule, rule.id) is None
    kinds = [e.kind for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert {"regulator_updated", "routing_rule_added", "routing_rule_removed"} <= set(kinds)


def test_a_collector_search_for_a_percent_sign_finds_only_names_with_one(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    CollectorFactory(name="虚构催收")
    CollectorFactory(name="百分之百%催收")
    page = en_client.get("/officer/directory/collectors?q=%25").get_data(as_text=True)
    assert "百分之百%催收" in page
    assert "虚构催收" not in page
