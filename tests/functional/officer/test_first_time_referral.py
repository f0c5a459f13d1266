"""What a first-time officer tripped over: Beijing dates, a second referral by accident, `*` and bare codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from complaints.casework.referral import is_overdue
from complaints.extensions import db
from complaints.models import Referral
from complaints.statistics.csv_output import dated_filename
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in
from tests.frozen_clock import BEIJING_DATE, freeze_clock


def _refer(client: FlaskClient, complaint_id: int, **values: str):  # type: ignore[no-untyped-def]
    data = {"regulator": "SAMR", "channel": "hotline", "sent_on": "2026-11-02", "regulator_reference": "SAMR-77"}
    data.update(values)
    return client.post(f"/officer/complaints/{complaint_id}/refer", data=data)


def _sent_on_default(page: str) -> str:
    found = re.search(r'<input[^>]*id="sent_on"[^>]*value="([^"]*)"', page)
    assert found, "no date field"
    return found.group(1)


# Item 2: "today" is the display time zone's today, from one clock.


def test_at_a_beijing_morning_the_referral_date_defaults_to_the_beijing_date(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    freeze_clock(monkeypatch)
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert _sent_on_default(page) == BEIJING_DATE.isoformat()


def test_at_a_beijing_morning_todays_beijing_date_is_not_in_the_future(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    freeze_clock(monkeypatch)
    assert _refer(en_client, complaint.id, sent_on=BEIJING_DATE.isoformat()).status_code == 303
    assert db.session.scalars(select(Referral.sent_on)).one() == BEIJING_DATE
    tomorrow = ComplaintFactory(status="accepted")
    refused = _refer(en_client, tomorrow.id, sent_on=(BEIJING_DATE + dt.timedelta(days=1)).isoformat())
    assert refused.status_code == 422 and "The date cannot be in the future." in refused.get_data(as_text=True)


def test_at_a_beijing_morning_a_referral_due_yesterday_in_beijing_is_overdue(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    _refer(en_client, complaint.id, sent_on="2026-10-18")  # SAMR answers within 15 days: due 2 November
    referral = db.session.scalars(select(Referral)).one()
    assert referral.due_on == dt.date(2026, 11, 2)
    freeze_clock(monkeypatch)
    assert is_overdue(referral)
    assert "Referral overdue" in en_client.get("/officer/?status=referred").get_data(as_text=True)


def test_the_queue_reads_received_dates_and_ages_as_beijing_days(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(en_client, make_officer())
    # 00:30 on 3 November in Beijing, still 2 November in UTC.
    early = ComplaintFactory(submitted_at=dt.datetime(2026, 11, 2, 16, 30, tzinfo=dt.UTC))
    freeze_clock(monkeypatch)
    page = en_client.get("/officer/?status=all&from=2026-11-03&to=2026-11-03").get_data(as_text=True)
    assert early.reference in page
    assert "0 days" in page
    assert early.reference not in en_client.get("/officer/?status=all&to=2026-11-02").get_data(as_text=True)


def test_a_download_is_named_after_the_beijing_date(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_clock(monkeypatch)
    assert dated_filename("platforms") == "collectwatch-platforms-2026-11-03.csv"


# Item 12: no second referral by accident; `*` explained; codes with their labels.


def test_after_a_referral_the_form_proposes_no_regulator_again(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted", codes=["THR-01"])
    before = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="[A-Z]+">', before)  # the routing suggestion, before any referral
    assert _refer(en_client, complaint.id, regulator="POLICE").status_code == 303
    after = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    form = after.split('id="referrals"', 1)[1].split("</form>", 1)[0]
    assert not re.search(r"<option selected value=\"[A-Z]+\">", form)
    assert re.search(r'<option selected value="">', form)
    assert 'value="SAMR-77"' not in form


def test_a_double_post_of_the_same_referral_records_one_referral(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    assert _refer(en_client, complaint.id).status_code == 303
    again = _refer(en_client, complaint.id)
    assert again.status_code == 422
    assert "already referred to SAMR" in again.get_data(as_text=True)
    assert db.session.query(Referral).count() == 1
    assert _refer(en_client, complaint.id, regulator="PBOC").status_code == 303  # another regulator is fine
    assert db.session.query(Referral).count() == 2


def test_a_regulator_that_answered_can_be_sent_the_complaint_again(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    _refer(en_client, complaint.id)
    referral = db.session.scalars(select(Referral)).one()
    referral.status = "no_response"
    db.session.commit()
    assert _refer(en_client, complaint.id).status_code == 303
    assert db.session.query(Referral).count() == 2


def test_an_empty_regulator_choice_is_refused_in_words(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted")
    refused = _refer(en_client, complaint.id, regulator="")
    assert refused.status_code == 422
    assert db.session.query(Referral).count() == 0


def test_unverified_platforms_are_marked_in_words_not_with_a_star(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    PlatformFactory(name_zh="星号贷", name_en="Starry Loans", verified=False)
    found = en_client.get("/officer/suggest/platforms?q=Starry").get_json()
    assert [item["display"] for item in found] == ["Starry Loans (unverified)"]
    en_client.set_cookie("lang", "zh_Hans")
    found_zh = en_client.get("/officer/suggest/platforms?q=星号").get_json()
    assert [item["display"] for item in found_zh] == ["星号贷（未核实）"]


def test_the_merge_list_marks_unverified_platforms_in_words(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer(role="admin"))
    kept = PlatformFactory(name_en="Kept Loans")
    PlatformFactory(name_en="Starry Loans", verified=False)
    page = en_client.get(f"/officer/directory/platforms/{kept.id}").get_data(as_text=True)
    assert "Starry Loans (unverified)" in page
    assert "Starry Loans *" not in page


def test_the_queue_shows_the_main_violation_with_its_label(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    ComplaintFactory(codes=["THR-03", "THR-01"])
    row = en_client.get("/officer/").get_data(as_text=True).split("<tbody>", 1)[1]
    assert re.search(r"THR-03</span>\s*Threats to expose the debt to contacts or the public", row)


# Item 1: the packet keeps the consumer's choice and the officer's apart.


def test_with_consent_the_referral_form_proposes_attaching_the_identity(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    consented = ComplaintFactory(status="accepted", consent_share_identity=True)
    page = en_client.get(f"/officer/complaints/{consented.id}").get_data(as_text=True)
    assert re.search(r'<input checked id="include_identity"', page)


def test_a_packet_never_says_a_consenting_complainant_did_not_consent(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    complaint = ComplaintFactory(status="accepted", consent_share_identity=True, contact_email="lin@example.test")
    _refer(en_client, complaint.id)  # the box left unticked, as a browser sends it
    referral = db.session.scalars(select(Referral)).one()
    assert referral.identity_shared is False
    for query in (f"?referral={referral.id}", ""):
        page = en_client.get(f"/officer/complaints/{complaint.id}/packet{query}").get_data(as_text=True)
        assert "did not consent" not in page and "lin@example.test" not in page
        assert "The complainant consented to sharing their identity" in page
    with_referral = en_client.get(f"/officer/complaints/{complaint.id}/packet?referral={referral.id}")
    assert "The case officer did not attach them to this referral" in with_referral.get_data(as_text=True)
    case = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert "Identity not attached, although the consumer consented" in case
