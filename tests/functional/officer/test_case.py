"""The case page: what the consumer gave, evidence served safely, and every action writing its event."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.extensions import db
from complaints.intake.storage import evidence_store
from complaints.models import CaseEvent, Collector, Complaint, Platform
from tests.factories import CollectorFactory, ComplaintFactory, EvidenceFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in
from tests.functional.helpers import open_status_page


def _events(complaint: Complaint) -> list[CaseEvent]:
    return list(
        db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id).order_by(CaseEvent.id))
    )


def _stored(complaint: Complaint, data: bytes, mime: str, kind: str):  # type: ignore[no-untyped-def]
    key, _new = evidence_store().put(data)
    return EvidenceFactory(
        complaint=complaint, sha256=key, storage_key=key, mime_type=mime, kind=kind, size_bytes=len(data)
    )


def test_the_case_page_shows_everything_the_consumer_gave(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(
        contact_email="wang@example.test",
        contact_phone="+8613800000001",
        phones=["+8613900139000"],
        loan_reference="LN-1",
    )
    image = _stored(complaint, b"\x89PNG fake", "image/png", "image")
    audio = _stored(complaint, b"#!AMR fake", "audio/amr", "audio")
    pdf = _stored(complaint, b"%PDF-1.4 fake", "application/pdf", "pdf")
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    for expected in (complaint.narrative, "wang@example.test", "+8613900139000", "LN-1", image.sha256, pdf.sha256):
        assert expected in page
    assert f'<img src="/officer/complaints/{complaint.id}/evidence/{image.id}"' in page
    assert f'<audio controls preload="none" src="/officer/complaints/{complaint.id}/evidence/{audio.id}"' in page
    assert f"/officer/complaints/{complaint.id}/evidence/{pdf.id}?download=1" in page


def test_evidence_is_served_sandboxed_to_officers_and_each_opening_is_recorded(app, en_client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    complaint = ComplaintFactory()
    pdf = _stored(complaint, b"%PDF-1.4 fake", "application/pdf", "pdf")
    url = f"/officer/complaints/{complaint.id}/evidence/{pdf.id}"
    assert app.test_client().get(url).status_code == 302
    sign_in(en_client, make_officer())
    response = en_client.get(url)
    assert response.status_code == 200 and response.data == b"%PDF-1.4 fake"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert [e.kind for e in _events(complaint)] == ["evidence_opened"]
    other = ComplaintFactory()
    assert en_client.get(f"/officer/complaints/{other.id}/evidence/{pdf.id}").status_code == 404


def test_a_note_stays_internal_and_a_message_reaches_the_consumer(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory()
    assert (
        en_client.post(f"/officer/complaints/{complaint.id}/note", data={"note-text": "打过电话核实"}).status_code
        == 303
    )
    assert (
        en_client.post(f"/officer/complaints/{complaint.id}/message", data={"message-text": "我们已收到"}).status_code
        == 303
    )
    note, message = _events(complaint)
    assert note.kind == "note" and not note.visible_to_complainant and note.data["text"] == "打过电话核实"
    assert message.visible_to_complainant and message.public_message == "我们已收到"
    empty = en_client.post(f"/officer/complaints/{complaint.id}/note", data={"note-text": "  "})
    assert empty.status_code == 422


def test_requesting_information_moves_the_complaint_to_needs_info(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory()
    en_client.post(f"/officer/complaints/{complaint.id}/request-info", data={"info-text": "请上传通话录音"})
    db.session.expire_all()
    assert complaint.status == "needs_info"
    assert _events(complaint)[-1].public_message == "请上传通话录音"


def test_accepting_corrects_platform_collector_codes_and_severity(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(codes=["ABU-01"])
    right = PlatformFactory(name_zh="虚构分期商城")
    response = en_client.post(
        f"/officer/complaints/{complaint.id}/accept",
        data={
            "platform_id": str(right.id),
            "new_collector_name": "虚构信息咨询公司",
            "new_collector_kind": "agency",
            "codes": ["ABU-01", "THR-01"],
            "primary_code": "THR-01",
            "severity": "urgent",
            "evidence_verified": "y",
            "new_platform_kind": "other",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert complaint.status == "accepted" and complaint.accepted_at is not None
    assert complaint.platform_id == right.id and complaint.severity == "urgent" and complaint.evidence_verified
    assert complaint.primary_code == "THR-01" and set(complaint.codes) == {"ABU-01", "THR-01"}
    assert db.session.scalar(select(Collector.name).where(Collector.id == complaint.collector_id)) == "虚构信息咨询公司"
    event = _events(complaint)[-2]
    assert event.data["action"] == "accept" and "platform_id" in event.data["triage"]
    assert _events(complaint)[-1].kind == "platform_withheld"  # the form did not tick sending it


def test_accepting_with_a_primary_code_not_ticked_changes_nothing(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(codes=["ABU-01"])
    platforms_before = db.session.query(Platform).count()
    response = en_client.post(
        f"/officer/complaints/{complaint.id}/accept",
        data={"new_platform_name": "虚构新平台", "codes": ["ABU-01"], "primary_code": "THR-01", "severity": "normal"},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert complaint.status == "submitted" and db.session.query(Platform).count() == platforms_before


def test_rejecting_closes_with_the_reason_shown_to_the_consumer(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory()
    en_client.post(
        f"/officer/complaints/{complaint.id}/reject",
        data={"reject-resolution": "rejected_spam", "reject-text": "重复的广告内容"},
    )
    db.session.expire_all()
    assert complaint.status == "closed" and complaint.resolution == "rejected_spam"


def test_an_action_the_lifecycle_forbids_is_refused(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="closed", resolution="withdrawn")
    response = en_client.post(
        f"/officer/complaints/{complaint.id}/reject", data={"reject-resolution": "rejected_spam", "reject-text": "x"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert complaint.resolution == "withdrawn"
    assert _events(complaint) == []


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("en", "This complaint is now Closed: this action no longer applies, and nothing was saved."),
        ("zh_Hans", "该投诉现为“已结束”：此操作已不适用，未保存任何内容。"),
    ],
)
def test_an_officer_whose_complaint_moved_on_is_told_its_status_at_the_top(
    client: FlaskClient, language: str, told: str
) -> None:
    """The reject form is gone once the complaint is closed, so the refusal cannot sit beside one of its fields."""
    client.set_cookie("lang", language)
    sign_in(client, make_officer())
    complaint = ComplaintFactory(status="closed", resolution="withdrawn")
    response = client.post(
        f"/officer/complaints/{complaint.id}/reject", data={"reject-resolution": "rejected_spam", "reject-text": "x"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="notice notice-error">' + told in page
    assert f'action="/officer/complaints/{complaint.id}/reject"' not in page


def test_closing_an_accepted_complaint_needs_a_closing_resolution(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    assert (
        en_client.post(f"/officer/complaints/{complaint.id}/close", data={"close-resolution": "resolved"}).status_code
        == 303
    )
    db.session.expire_all()
    assert complaint.status == "closed" and complaint.resolution == "resolved"


def test_marking_a_duplicate_links_the_original(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    original, copy = ComplaintFactory(), ComplaintFactory()
    response = en_client.post(
        f"/officer/complaints/{copy.id}/duplicate", data={"reference": original.reference.lower()}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert copy.duplicate_of_id == original.id and copy.resolution == "duplicate"
    itself = en_client.post(f"/officer/complaints/{original.id}/duplicate", data={"reference": original.reference})
    assert itself.status_code == 422


def test_suggested_duplicates_find_shared_contact_numbers_and_copied_narratives(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    platform = PlatformFactory()
    story = "从九月开始催收公司每天打三十个电话，威胁要把我的欠款发到通讯录里每一个人，还说要上门。"
    complaint = ComplaintFactory(
        platform=platform, narrative=story, contact_email="li@example.test", phones=["+8613800000009"]
    )
    same_contact = ComplaintFactory(contact_email="li@example.test", narrative="完全不同的内容")
    same_phone = ComplaintFactory(phones=["+8613800000009"], narrative="另一件事")
    copied = ComplaintFactory(platform=platform, narrative=story.replace("三十", "三十多"))
    unrelated = ComplaintFactory(platform=platform, narrative="只是普通的提醒短信。")
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    for other in (same_contact, same_phone, copied):
        assert f"/officer/complaints/{complaint.id}/compare/{other.id}" in page
    assert f"/compare/{unrelated.id}" not in page
    compare = en_client.get(f"/officer/complaints/{complaint.id}/compare/{copied.id}")
    assert compare.status_code == 200 and copied.reference in compare.get_data(as_text=True)


def test_a_shared_screenshot_and_a_reworded_copy_on_another_platform_are_suggested_with_their_reason(
    en_client: FlaskClient,
) -> None:
    sign_in(en_client, make_officer())
    threats = "从九月开始催收公司每天打三十个电话，威胁要把我的欠款发到通讯录里每一个人，还说要上门。"
    story = threats + "我多次要求分期，对方拒绝。"
    complaint = ComplaintFactory(narrative=story)
    screenshot = EvidenceFactory(complaint=complaint)
    new_text = ComplaintFactory(narrative="他们天天骂我，我受不了了。")
    EvidenceFactory(complaint=new_text, sha256=screenshot.sha256, storage_key=f"{screenshot.sha256}-2")
    reworded = ComplaintFactory(
        narrative="我多次要求分期，对方拒绝。" + story.replace("我多次要求分期，对方拒绝。", "")
    )
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    duplicates = page[page.index("Possible duplicates") :]
    assert new_text.reference in duplicates and "Same evidence file" in duplicates
    assert reworded.reference in duplicates and "Near-duplicate narrative" in duplicates
    assert complaint.platform_id != reworded.platform_id


def test_the_consumer_sees_the_officers_message_and_question_but_not_the_note(app, en_client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory()
    en_client.post(f"/officer/complaints/{complaint.id}/note", data={"note-text": "疑似代理投诉"})
    en_client.post(f"/officer/complaints/{complaint.id}/message", data={"message-text": "我们正在核实"})
    en_client.post(f"/officer/complaints/{complaint.id}/request-info", data={"info-text": "请提供通话录音"})
    consumer = app.test_client()
    consumer.set_cookie("lang", "en")
    open_status_page(consumer, complaint.id)
    page = consumer.get("/status/complaint").get_data(as_text=True)
    assert "我们正在核实" in page and "请提供通话录音" in page
    assert "We need more information from you" in page
    assert "疑似代理投诉" not in page


def _many_platforms(count: int) -> list[Platform]:
    """``count`` verified platforms in one commit, named so that they sort in the order made."""
    platforms = [
        Platform(name_zh=f"虚构平台{n:04d}", name_en="", kind="lending_app", verified=True) for n in range(count)
    ]
    for platform in platforms:
        platform.search_text = platform.name_zh
    db.session.add_all(platforms)
    db.session.commit()
    return platforms


#: The rest of an accept form, as the browser sends it.
_ACCEPT = {
    "codes": ["ABU-01"],
    "primary_code": "ABU-01",
    "severity": "normal",
    "new_platform_kind": "other",
    "new_collector_kind": "unknown",
}


def _accept_with_platform(client: FlaskClient, complaint_id: int, typed: str) -> Any:
    return client.post(
        f"/officer/complaints/{complaint_id}/accept",
        data={"platform_id": typed, **_ACCEPT},
    )


@pytest.mark.parametrize("how", ["label", "name", "number"])
def test_the_601st_platform_can_be_chosen_at_triage(en_client: FlaskClient, how: str) -> None:
    sign_in(en_client, make_officer())
    last = _many_platforms(601)[-1]
    complaint = ComplaintFactory(codes=["ABU-01"])
    typed = {"label": f"{last.name_zh} #{last.id}", "name": last.name_zh, "number": str(last.id)}[how]
    assert _accept_with_platform(en_client, complaint.id, typed).status_code == 303
    db.session.expire_all()
    assert complaint.platform_id == last.id


def test_the_case_page_shows_the_current_platform_and_offers_type_ahead_not_a_capped_list(
    en_client: FlaskClient,
) -> None:
    sign_in(en_client, make_officer())
    last = _many_platforms(601)[-1]
    complaint = ComplaintFactory(codes=["ABU-01"], platform=last)
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert f'value="{last.name_zh} #{last.id}"' in page
    assert "虚构平台0000" not in page, "no list of the directory in the page"
    found = en_client.get("/officer/suggest/platforms?q=0600").get_json()
    assert [item["name"] for item in found] == [f"{last.name_zh} #{last.id}"]


@pytest.mark.parametrize("typed", ["没有这个平台", "#2147483647", "99999999999"])
def test_a_platform_not_in_the_directory_is_refused_and_the_text_kept(en_client: FlaskClient, typed: str) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(codes=["ABU-01"])
    response = _accept_with_platform(en_client, complaint.id, typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a platform from the directory." in page and f'value="{typed}"' in page
    db.session.expire_all()
    assert complaint.status == "submitted"


def test_a_merged_platform_cannot_be_chosen_by_number(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    real = PlatformFactory()
    merged = PlatformFactory(merged_into_id=real.id)
    complaint = ComplaintFactory(codes=["ABU-01"])
    assert _accept_with_platform(en_client, complaint.id, f"#{merged.id}").status_code == 422


def test_a_collector_is_chosen_by_name_or_number(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    collector = CollectorFactory(name="虚构催收事务所")
    complaint = ComplaintFactory(codes=["ABU-01"])
    response = en_client.post(
        f"/officer/complaints/{complaint.id}/accept",
        data={"collector_id": "虚构催收事务所", **_ACCEPT},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert complaint.collector_id == collector.id
    found = en_client.get("/officer/suggest/collectors?q=催收事务").get_json()
    assert found == [{"name": f"虚构催收事务所 #{collector.id}", "display": "虚构催收事务所"}]
