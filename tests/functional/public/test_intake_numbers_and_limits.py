"""Collectors' numbers in every format they use, the consumer's own number checked, a limit that counts filings."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from tests.factories_officer import make_officer, sign_in
from tests.functional.helpers import field_errors, post_complaint, receipt_codes, valid_form

INCOMPLETE = {"narrative": ""}


def complaints() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Complaint)) or 0


def test_a_bulk_sms_gateway_and_an_unrecognised_number_do_not_block_the_complaint(en_client: FlaskClient) -> None:
    typed = "10690000123\n8888 6666\n95588，+86 138-0013-8000\n400-800-1234"
    response = post_complaint(en_client, valid_form(collector_phones=typed))
    assert response.status_code == 303, field_errors(response)
    complaint = db.session.scalars(select(Complaint)).one()
    assert [(p.phone, p.normalised) for p in complaint.reported_phones] == [
        ("10690000123", True),
        ("8888 6666", False),
        ("95588", True),
        ("+8613800138000", True),
        ("+864008001234", True),
    ]


def test_the_officer_sees_which_numbers_were_kept_as_typed(en_client: FlaskClient) -> None:
    assert post_complaint(en_client, valid_form(collector_phones="10690000123\n8888 6666")).status_code == 303
    complaint = db.session.scalars(select(Complaint)).one()
    sign_in(en_client, make_officer())
    page = en_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert '<span class="phone">10690000123</span>, ' in page
    flagged = '<span class="phone">8888 6666</span> <span class="small">(as typed, not recognised as a number)</span>'
    assert flagged in page


def test_a_number_typed_twice_in_two_formats_is_stored_once(en_client: FlaskClient) -> None:
    response = post_complaint(
        en_client, valid_form(collector_phones="1069 0000 123\n+86 10690000123\n１０６９００００１２３")
    )
    assert response.status_code == 303, field_errors(response)
    complaint = db.session.scalars(select(Complaint)).one()
    assert [(p.phone, p.normalised) for p in complaint.reported_phones] == [("10690000123", True)]


def test_text_far_longer_than_a_number_is_refused_by_name_and_kept_in_the_form(en_client: FlaskClient) -> None:
    pasted = "they called me every day from many different numbers"
    response = post_complaint(en_client, valid_form(collector_phones=f"10690000123\n{pasted}"))
    assert response.status_code == 422
    assert any("too long" in error for error in field_errors(response)), field_errors(response)
    assert pasted in response.get_data(as_text=True)
    assert complaints() == 0


@pytest.mark.parametrize(
    ("typed", "stored"), [("１３８ ００１３ ８０００", "+8613800138000"), ("010-8888 6666", "+861088886666")]
)
def test_the_consumers_own_number_is_normalised(en_client: FlaskClient, typed: str, stored: str) -> None:
    response = post_complaint(en_client, valid_form(contact_phone=typed, consent_contact="y"))
    assert response.status_code == 303, field_errors(response)
    assert db.session.scalars(select(Complaint)).one().contact_phone == stored


@pytest.mark.parametrize("typed", ["10690000123", "95588", "8888 6666", "١٣٨٠٠١٣٨٠٠٠"])
def test_the_consumers_own_number_must_be_one_the_office_can_call_back(zh_client: FlaskClient, typed: str) -> None:
    response = post_complaint(zh_client, valid_form(contact_phone=typed, consent_contact="y"))
    assert response.status_code == 422
    errors = " ".join(field_errors(response))
    assert "手机号" in errors and "区号" in errors, errors
    assert f'value="{typed}"' in response.get_data(as_text=True)
    assert complaints() == 0


@pytest.fixture
def limits(app: Flask) -> Iterator[dict[str, object]]:
    """The app's filing limits, changed for one test and restored after it."""
    before = {key: app.config[key] for key in ("FILING_LIMIT_PER_BROWSER", "FILING_LIMIT_PER_ADDRESS")}
    yield app.config
    app.config.update(before)


def test_forms_shown_again_with_errors_do_not_count_towards_the_limit(en_client: FlaskClient) -> None:
    for attempt in range(25):
        response = post_complaint(en_client, valid_form(**INCOMPLETE))
        assert response.status_code == 422, f"attempt {attempt + 1}: {response.status_code}"
    response = post_complaint(en_client, valid_form())
    assert response.status_code == 303, field_errors(response)
    assert complaints() == 1


def test_over_the_limit_the_form_comes_back_with_what_was_typed_and_a_wait_in_minutes(
    en_client: FlaskClient, limits: dict[str, object]
) -> None:
    limits["FILING_LIMIT_PER_BROWSER"] = "2 per hour"
    for _ in range(2):
        assert post_complaint(en_client, valid_form()).status_code == 303
        receipt_codes(en_client)
    response = post_complaint(en_client, valid_form(desired_outcome="请他们只联系我本人。"))
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    page = response.get_data(as_text=True)
    minutes = re.search(r"wait (\d+) minutes?", page)
    assert minutes, page[:3000]
    assert int(minutes.group(1)) == -(-retry_after // 60)
    assert "请他们只联系我本人。" in page and valid_form()["narrative"] in page, "the form keeps what was typed"
    assert 'name="collector_phones"' in page
    assert complaints() == 2


def test_the_wait_is_said_in_chinese_to_a_chinese_visitor(zh_client: FlaskClient, limits: dict[str, object]) -> None:
    limits["FILING_LIMIT_PER_BROWSER"] = "1 per hour"
    assert post_complaint(zh_client, valid_form()).status_code == 303
    response = post_complaint(zh_client, valid_form())
    assert response.status_code == 429
    assert re.search(r"请等 \d+ 分钟", response.get_data(as_text=True))


def test_people_sharing_one_address_are_not_blocked_by_one_persons_limit(app: Flask, limits: dict[str, object]) -> None:
    limits["FILING_LIMIT_PER_BROWSER"] = "1 per hour"
    first, second = app.test_client(), app.test_client()
    assert post_complaint(first, valid_form()).status_code == 303
    assert post_complaint(first, valid_form()).status_code == 429
    assert post_complaint(second, valid_form()).status_code == 303, "another browser behind the same address"
    assert complaints() == 2


def test_an_address_filing_more_than_its_limit_is_stopped_however_many_browsers_it_uses(
    app: Flask, limits: dict[str, object]
) -> None:
    limits["FILING_LIMIT_PER_ADDRESS"] = "3 per hour"
    answers = [post_complaint(app.test_client(), valid_form()).status_code for _ in range(4)]
    assert answers == [303, 303, 303, 429]
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post_complaint(other_address, valid_form()).status_code == 303
    assert complaints() == 4


def test_a_filled_honeypot_counts_towards_the_addresss_limit(app: Flask, limits: dict[str, object]) -> None:
    limits["FILING_LIMIT_PER_ADDRESS"] = "2 per hour"
    bot = app.test_client()
    for _ in range(2):
        assert post_complaint(bot, valid_form(website="http://spam.example")).status_code == 302
    assert post_complaint(app.test_client(), valid_form()).status_code == 429
    assert complaints() == 0
