"""The responder portal through its real pages: invited, enrolled, one platform's complaints only, answered."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.casework import platform_loop, triage
from complaints.casework.triage import TriageDecision
from complaints.core import clock
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Officer, PlatformResponse
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin, make_officer, make_responder, sign_in, sign_in_with_token
from tests.functional.helpers import field_errors

GOOD = "lantern orchard seventeen rivers"
START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
#: The consumer's own values, planted in the narrative: the portal must not show them.
PHONE = "13912345678"
NAME = "林虚构"


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    instant = [START]
    monkeypatch.setattr(clock, "utc_now", lambda: instant[0])
    return instant


def sent_complaint(*, consent: bool = False, platform: object = None, **values: object) -> Complaint:
    complaint = ComplaintFactory(
        narrative=f"我叫{NAME}，催收员每天打我的电话{PHONE}，还骂我的家人。",
        contact_name=NAME,
        contact_phone="+86" + PHONE,
        contact_email="lin.fictional@example.org",
        loan_reference="LN-7788-FICT",
        consent_share_with_platform=consent,
        **({"platform": platform} if platform is not None else {}),
        **values,
    )
    officer = db.session.scalar(select(Officer).where(Officer.email == "triage@example.org")) or make_officer(
        "triage@example.org"
    )
    triage.accept(complaint, TriageDecision(codes=["ABU-01"], primary_code="ABU-01", send_to_platform=True), by=officer)
    db.session.commit()
    return complaint


def signed_in_responder(client: FlaskClient, complaint: Complaint, email: str = "rep@example.org") -> Officer:
    assert complaint.platform_id is not None
    responder = make_responder(complaint.platform_id, email)
    response = sign_in(client, responder)
    assert response.headers["Location"].endswith("/respond/complaints"), "a responder lands in the portal"
    return responder


def test_the_portal_lists_its_own_platforms_sent_complaints_and_no_other(en_client: FlaskClient) -> None:
    mine = sent_complaint()
    theirs = sent_complaint(platform=PlatformFactory())
    unsent = ComplaintFactory(platform=mine.platform, status="accepted")
    signed_in_responder(en_client, mine)
    page = en_client.get("/respond/complaints").get_data(as_text=True)
    assert mine.reference in page
    assert theirs.reference not in page and unsent.reference not in page
    assert en_client.get(f"/respond/complaints/{mine.reference}").status_code == 200
    for hidden in (theirs, unsent):
        assert en_client.get(f"/respond/complaints/{hidden.reference}").status_code == 404
        answer = en_client.post(
            f"/respond/complaints/{hidden.reference}/answer",
            data={"response_type": "explanation", "text": "这是我们的解释说明。"},
        )
        assert answer.status_code == 404
    assert en_client.get("/respond/complaints/CW-2026-999999").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(PlatformResponse)) == 0


def test_a_responder_sees_no_officer_page_and_an_officer_no_portal_page(app: Flask, en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    for path in ("/officer/", f"/officer/complaints/{complaint.id}", "/officer/accounts", "/officer/account"):
        assert en_client.get(path).status_code == 403, path
    officer_client = app.test_client()
    sign_in(officer_client, make_admin())
    assert officer_client.get("/respond/complaints").status_code == 403
    assert officer_client.get(f"/respond/complaints/{complaint.reference}").status_code == 403


def test_without_consent_the_responder_reads_the_redacted_story_and_no_identity(en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    page = en_client.get(f"/respond/complaints/{complaint.reference}").get_data(as_text=True)
    assert "催收员每天打我的电话" in page, "the story is there"
    for private in (PHONE, NAME, "lin.fictional@example.org", "LN-7788-FICT"):
        assert private not in page, private
    assert "did not agree to share their identity" in page


def test_with_consent_the_responder_sees_who_complains_so_it_can_settle(en_client: FlaskClient) -> None:
    complaint = sent_complaint(consent=True)
    signed_in_responder(en_client, complaint)
    page = en_client.get(f"/respond/complaints/{complaint.reference}").get_data(as_text=True)
    assert NAME in page and "lin.fictional@example.org" in page and "LN-7788-FICT" in page
    assert PHONE not in page.split("What the consumer reports", 1)[1].split("The consumer</h2>", 1)[0], (
        "the narrative stays redacted"
    )


def test_each_opening_is_recorded_in_the_audit_log(en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    responder = signed_in_responder(en_client, complaint)
    en_client.get(f"/respond/complaints/{complaint.reference}")
    en_client.get(f"/respond/complaints/{complaint.reference}")
    opened = db.session.scalars(
        select(CaseEvent).where(CaseEvent.complaint_id == complaint.id, CaseEvent.kind == "platform_complaint_opened")
    ).all()
    assert [e.officer_id for e in opened] == [responder.id, responder.id]


def test_the_answer_reaches_the_consumers_status_page(app: Flask, en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    response = en_client.post(
        f"/respond/complaints/{complaint.reference}/answer",
        data={"response_type": "non_monetary_relief", "text": "We stopped all calls and removed the agency."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).platform_stage == "answered"  # type: ignore[union-attr]
    consumer = app.test_client()
    consumer.set_cookie("lang", "en")
    from tests.factories import TEST_ACCESS_CODE

    status = consumer.post(
        "/status", data={"reference": complaint.reference, "access_code": TEST_ACCESS_CODE}, follow_redirects=True
    ).get_data(as_text=True)
    assert "We stopped all calls and removed the agency." in status
    assert "Action taken" in status and "Did this settle your complaint?" in status


def test_a_refused_answer_keeps_what_was_typed(en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    typed = "太短了"
    no_type = en_client.post(
        f"/respond/complaints/{complaint.reference}/answer", data={"text": "一段足够长的答复文字。"}
    )
    assert no_type.status_code == 422 and "一段足够长的答复文字。" in no_type.get_data(as_text=True)
    short = en_client.post(
        f"/respond/complaints/{complaint.reference}/answer", data={"response_type": "explanation", "text": typed}
    )
    assert short.status_code == 422
    assert any("at least 5 characters" in e for e in field_errors(short)) and typed in short.get_data(as_text=True)
    assert complaint.platform_responses == []


def test_a_second_in_progress_is_not_offered_nor_accepted(en_client: FlaskClient) -> None:
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    url = f"/respond/complaints/{complaint.reference}/answer"
    assert en_client.post(url, data={"response_type": "in_progress", "text": "正在调查，请稍候。"}).status_code == 303
    page = en_client.get(f"/respond/complaints/{complaint.reference}").get_data(as_text=True)
    assert 'value="in_progress"' not in page and 'value="explanation"' in page
    again = en_client.post(url, data={"response_type": "in_progress", "text": "仍在调查，请稍候。"})
    assert again.status_code == 422
    db.session.expire_all()
    assert len(db.session.get(Complaint, complaint.id).platform_responses) == 1  # type: ignore[union-attr]


def test_overdue_complaints_stand_out(en_client: FlaskClient, frozen: list[dt.datetime]) -> None:
    late = sent_complaint()
    frozen[0] = START + dt.timedelta(days=10)
    fresh = sent_complaint(platform=late.platform)
    frozen[0] = START + dt.timedelta(days=16)
    signed_in_responder(en_client, late)
    overdue = en_client.get("/respond/complaints?show=overdue").get_data(as_text=True)
    assert late.reference in overdue and fresh.reference not in overdue
    waiting = en_client.get("/respond/complaints").get_data(as_text=True)
    assert waiting.index(late.reference) < waiting.index(fresh.reference), "soonest deadline first"
    assert 'class="is-overdue"' in waiting
    assert en_client.get("/respond/complaints?show=nonsense&page=x").status_code == 200


def test_the_portal_pages_by_fifty(en_client: FlaskClient) -> None:
    first = sent_complaint()
    for _ in range(50):
        sent_complaint(platform=first.platform)
    signed_in_responder(en_client, first)
    page_one = en_client.get("/respond/complaints?show=all").get_data(as_text=True)
    page_two = en_client.get("/respond/complaints?show=all&page=2").get_data(as_text=True)
    assert page_one.count('class="ref"') == 50 and page_two.count('class="ref"') == 1
    assert 'rel="next"' in page_one and 'rel="prev"' in page_two


def test_a_page_number_not_in_ascii_digits_shows_the_first_page(en_client: FlaskClient) -> None:
    # "²".isdigit() is true but int("²") raises: the fuzzer's superscript digits made this a 500.
    complaint = sent_complaint()
    signed_in_responder(en_client, complaint)
    for page in ("²", "²³", "２", "-1", "0", "1e3", "9" * 30):
        response = en_client.get(f"/respond/complaints?show=all&page={page}")
        assert response.status_code == 200, page
        assert complaint.reference in response.get_data(as_text=True), page


def test_the_portal_refuses_state_changes_without_a_token(app: Flask, csrf_on: None) -> None:
    complaint = sent_complaint()
    assert complaint.platform_id is not None
    client = app.test_client()
    sign_in_with_token(client, make_responder(complaint.platform_id))
    url = f"/respond/complaints/{complaint.reference}/answer"
    response = client.post(url, data={"response_type": "explanation", "text": "这是我们的解释说明。"})
    assert response.status_code == 400
    assert client.post("/respond/sign-out").status_code == 400
    assert complaint.platform_responses == []


def _enrol_path(output: str) -> str:
    found = re.search(r"http://\S+/officer/enrol/\S+", output)
    assert found, output
    return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_cli_invites_a_responder_who_enrols_and_lands_in_the_portal(app: Flask, en_client: FlaskClient) -> None:
    platform = PlatformFactory()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["invite-responder", "--platform", str(platform.id), "--email", "Care@Fictional-Lender.example.org"]
    )
    assert result.exit_code == 0, result.output
    path = _enrol_path(result.output)
    html = en_client.get(path).get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html)
    assert secret
    done = en_client.post(path, data={"password": GOOD, "confirm": GOOD, "code": pyotp.TOTP(secret.group(1)).now()})
    assert done.status_code == 303 and done.headers["Location"].endswith("/respond/complaints")
    responder = db.session.scalars(select(Officer).where(Officer.email == "care@fictional-lender.example.org")).one()
    assert (responder.role, responder.platform_id) == ("responder", platform.id)
    unverified = PlatformFactory(verified=False)
    refused = runner.invoke(args=["invite-responder", "--platform", str(unverified.id), "--email", "x@example.org"])
    assert refused.exit_code != 0 and "verified platform" in refused.output
    missing = runner.invoke(args=["invite-responder", "--platform", "999999", "--email", "y@example.org"])
    assert missing.exit_code != 0


def test_a_supervisor_invites_a_responder_from_the_accounts_page(en_client: FlaskClient) -> None:
    platform, unverified = PlatformFactory(), PlatformFactory(verified=False)
    sign_in(en_client, make_admin())
    invited = en_client.post(
        "/officer/accounts/responders",
        data={"responder_email": "desk@example.org", "responder_platform": f"#{platform.id}"},
    )
    assert invited.status_code == 200 and "/officer/enrol/" in invited.get_data(as_text=True)
    assert "to the platform's representative" in invited.get_data(as_text=True)
    refused = en_client.post(
        "/officer/accounts/responders",
        data={"responder_email": "desk2@example.org", "responder_platform": f"#{unverified.id}"},
    )
    assert refused.status_code == 422 and "verified platform" in refused.get_data(as_text=True)
    assert "desk2@example.org" in refused.get_data(as_text=True), "the form keeps what was typed"
    accounts = en_client.get("/officer/accounts").get_data(as_text=True)
    assert "Responder for" in accounts
    queue = en_client.get("/officer/").get_data(as_text=True)
    assert "desk@example.org" not in queue, "a responder is no one to assign complaints to"


def test_a_merge_takes_the_responders_along(en_client: FlaskClient) -> None:
    from complaints.directory.admin import merge_platforms

    complaint = sent_complaint()
    source = complaint.platform
    assert source is not None
    responder = make_responder(source.id)
    target = PlatformFactory()
    merge_platforms(source, target, by=make_admin())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Officer, responder.id).platform_id == target.id  # type: ignore[union-attr]
    assert platform_loop.is_visible_to(db.session.get(Officer, responder.id), db.session.get(Complaint, complaint.id))  # type: ignore[arg-type]


def test_a_responder_changes_their_password_like_an_officer_and_their_other_sessions_end(app: Flask) -> None:
    import time

    from tests.factories_officer import PASSWORD, post_sign_in

    complaint = sent_complaint()
    assert complaint.platform_id is not None
    responder = make_responder(complaint.platform_id)
    first, second = app.test_client(), app.test_client()
    first.set_cookie("lang", "en")
    sign_in(first, responder)
    later_code = pyotp.TOTP(responder.totp_secret).at(time.time() + 30)
    assert post_sign_in(second, responder.email, responder.totp_secret, code=later_code).status_code == 303
    page = first.get("/respond/account").get_data(as_text=True)
    assert "Change your password" in page and "Responder for" in page
    weak = first.post("/respond/account", data={"current_password": PASSWORD, "password": "short", "confirm": "short"})
    assert weak.status_code == 422
    wrong = first.post(
        "/respond/account",
        data={"current_password": "not the password", "password": GOOD, "confirm": GOOD},
    )
    assert wrong.status_code == 422
    done = first.post("/respond/account", data={"current_password": PASSWORD, "password": GOOD, "confirm": GOOD})
    assert done.status_code == 303
    assert first.get("/respond/complaints").status_code == 200
    assert second.get("/respond/complaints").status_code == 302, "the other session ended"
