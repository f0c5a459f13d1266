"""Supervisors' narrative publication queue: preview beside the original, correct, approve, withhold, revoke."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin, make_officer, sign_in, sign_in_with_token

NARRATIVE = "虚构速贷的催收员张伟打电话13812345678骚扰我，还给我同事发短信。"


def consented(**values: Any) -> Complaint:
    """An accepted complaint about 虚构速贷 whose consumer consented to publication."""
    defaults: dict[str, Any] = {
        "platform": PlatformFactory(name_zh="虚构速贷", name_en="Fictional Quick Loans"),
        "status": "accepted",
        "accepted_at": dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        "consent_publish": True,
        "publication_status": "pending",
        "narrative": NARRATIVE,
    }
    return ComplaintFactory(**(defaults | values))  # type: ignore[no-any-return]


def fresh(complaint: Complaint) -> Complaint:
    db.session.expire_all()
    found = db.session.get(Complaint, complaint.id)
    assert found is not None
    return found


def test_officers_get_403_and_anonymous_visitors_are_sent_to_sign_in(app: Flask, en_client: FlaskClient) -> None:
    complaint = consented()
    anonymous = app.test_client()
    for path in ("/officer/publication", f"/officer/publication/{complaint.id}"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/officer/sign-in" in response.headers["Location"]
    posted = anonymous.post(f"/officer/publication/{complaint.id}/approve", data={"approve-text": "x"})
    assert posted.status_code == 303 and "/officer/sign-in" in posted.headers["Location"]
    sign_in(en_client, make_officer())
    assert en_client.get("/officer/publication").status_code == 403
    assert en_client.get(f"/officer/publication/{complaint.id}").status_code == 403
    refused = en_client.post(
        f"/officer/publication/{complaint.id}/approve", data={"approve-text": "催收员每天打电话。"}
    )
    assert refused.status_code == 403
    assert fresh(complaint).publication_status == "pending"
    assert "/officer/publication" not in en_client.get("/officer/").get_data(as_text=True)


def test_the_queue_counts_each_state_and_lists_only_consented_accepted_complaints(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    waiting = consented()
    consented(publication_status="approved", narrative_redacted="催收员每天打电话。")
    consented(publication_status="withheld", consent_publish=False)
    untriaged = consented(accepted_at=None, status="submitted")
    unconsented = consented(consent_publish=False, publication_status="not_consented")
    page = en_client.get("/officer/publication").get_data(as_text=True)
    counts = re.findall(r'<span class="count">(\d+)</span>', page)
    assert counts == ["1", "1", "1"]
    assert waiting.reference in page
    assert untriaged.reference not in page and unconsented.reference not in page
    withheld = en_client.get("/officer/publication?state=withheld").get_data(as_text=True)
    assert "withdrawn" in withheld
    assert en_client.get("/officer/publication?state=nonsense").status_code == 200


def test_the_queue_pages_in_fifties(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    platform = PlatformFactory(name_zh="虚构速贷")
    made = [consented(platform=platform) for _ in range(51)]
    first = en_client.get("/officer/publication").get_data(as_text=True)
    assert made[0].reference in first and made[50].reference not in first
    following = re.search(r'href="([^"]+)" rel="next"', first)
    assert following
    second = en_client.get(following.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert made[50].reference in second and made[0].reference not in second


def test_the_page_shows_the_original_beside_the_redacted_preview(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    complaint = consented()
    page = en_client.get(f"/officer/publication/{complaint.id}").get_data(as_text=True)
    original, preview = page.split('id="redacted-heading"')
    assert NARRATIVE in original
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", preview, re.S)
    assert textarea
    assert "13812345678" not in textarea.group(1) and "张伟" not in textarea.group(1)
    assert "虚构速贷" in textarea.group(1) and "[已删除]" in textarea.group(1)


def test_a_supervisor_corrects_and_approves_then_revokes(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    complaint = consented()
    leaky = en_client.post(
        f"/officer/publication/{complaint.id}/approve", data={"approve-text": "催收员[已删除]打电话给王芳的同事。"}
    )
    assert leaky.status_code == 422
    body = leaky.get_data(as_text=True)
    assert "still contains personal details" in body and "王芳" in body
    assert fresh(complaint).publication_status == "pending"

    approved = en_client.post(
        f"/officer/publication/{complaint.id}/approve",
        data={"approve-text": "虚构速贷的催收员[已删除]每天打电话骚扰我。"},
    )
    assert approved.status_code == 303
    assert fresh(complaint).publication_status == "approved"
    assert fresh(complaint).narrative_redacted == "虚构速贷的催收员[已删除]每天打电话骚扰我。"
    page = en_client.get(f"/officer/publication/{complaint.id}").get_data(as_text=True)
    assert "Narrative approved for publication" in page and "<textarea" in page  # the revoke reason

    revoked = en_client.post(
        f"/officer/publication/{complaint.id}/revoke", data={"revoke-target": "withheld", "revoke-reason": "平台投诉"}
    )
    assert revoked.status_code == 303
    assert fresh(complaint).publication_status == "withheld" and fresh(complaint).narrative_redacted == ""
    kinds = [
        e.kind
        for e in db.session.scalars(
            select(CaseEvent).where(CaseEvent.complaint_id == complaint.id).order_by(CaseEvent.id)
        )
    ]
    assert kinds[-2:] == ["publication_approved", "publication_revoked"]


def test_withholding_without_a_reason_is_shown_again_with_422(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    complaint = consented()
    assert en_client.post(f"/officer/publication/{complaint.id}/withhold", data={}).status_code == 422
    done = en_client.post(f"/officer/publication/{complaint.id}/withhold", data={"withhold-reason": "能识别当事人"})
    assert done.status_code == 303 and fresh(complaint).publication_status == "withheld"
    assert en_client.post(f"/officer/publication/{complaint.id}/reopen").status_code == 303
    assert fresh(complaint).publication_status == "pending"


def test_an_ineligible_complaint_shows_no_actions_and_refuses_them(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    complaint = consented(accepted_at=None, status="submitted")
    page = en_client.get(f"/officer/publication/{complaint.id}").get_data(as_text=True)
    assert "cannot be published" in page and "<textarea" not in page
    refused = en_client.post(
        f"/officer/publication/{complaint.id}/approve", data={"approve-text": "催收员每天打电话。"}
    )
    assert refused.status_code == 422 and fresh(complaint).publication_status == "pending"
    assert en_client.get("/officer/publication/2147483647").status_code == 404


def test_the_forms_carry_working_tokens_and_posts_without_them_are_refused(app: Flask, csrf_on: None) -> None:
    admin = make_admin()
    complaint = consented()
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in_with_token(client, admin)
    for action in ("approve", "withhold", "revoke", "reopen"):
        response = client.post(f"/officer/publication/{complaint.id}/{action}", data={"approve-text": "催收员打电话。"})
        assert response.status_code == 400, action
    page = client.get(f"/officer/publication/{complaint.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    found = re.search(r'name="approve-csrf_token" type="hidden" value="([^"]+)"', page)
    assert found
    approved = client.post(
        f"/officer/publication/{complaint.id}/approve",
        data={"approve-csrf_token": found.group(1), "approve-text": "催收员[已删除]每天打电话。"},
    )
    assert approved.status_code == 303 and fresh(complaint).publication_status == "approved"


def test_the_case_page_links_supervisors_to_the_publication_page(app: Flask, en_client: FlaskClient) -> None:
    complaint = consented()
    link = f"/officer/publication/{complaint.id}"
    sign_in(en_client, make_admin())
    assert link in en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    officer_client = app.test_client()
    officer_client.set_cookie("lang", "en")
    sign_in(officer_client, make_officer())
    assert link not in officer_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)


def test_the_page_highlights_every_hit_in_the_original_and_in_the_refused_draft(en_client: FlaskClient) -> None:
    sign_in(en_client, make_admin())
    complaint = consented(contact_phone="13900139000", narrative=NARRATIVE + "我的号码一三九零零一三九零零零。")
    page = en_client.get(f"/officer/publication/{complaint.id}").get_data(as_text=True)
    checks = page.split('id="checks-heading"')[1]
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", checks)
    assert "张伟" in marks and "13812345678" in marks and "一三九零零一三九零零零" in marks and "虚构速贷" in marks
    refused = en_client.post(
        f"/officer/publication/{complaint.id}/approve",
        data={"approve-text": "虚构速贷的催收员[已删除]打电话，号码幺三九 0013 九零零零。"},
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "the complainant&#39;s own" in body or "the complainant's own" in body
    draft = body.split('id="draft-checks-heading"')[1]
    assert "幺三九 0013 九零零零" in re.findall(r"<mark[^>]*>(.*?)</mark>", draft)
    assert fresh(complaint).publication_status == "pending"
