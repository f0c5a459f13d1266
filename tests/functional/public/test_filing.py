"""Filing through the real form: success gives a receipt; bad input keeps the form and saves nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Evidence
from tests import media
from tests.functional.helpers import field_errors, post_complaint, receipt_codes, valid_form, with_files


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["EVIDENCE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_filing_in_chinese_with_two_images_and_an_amr_gives_a_receipt_and_a_submitted_status(
    zh_client: FlaskClient, app: Flask
) -> None:
    data = with_files(
        valid_form(),
        [(media.jpeg_with_gps(), "微信截图1.jpg"), (media.png(), "截图2.png"), (media.amr(), "通话录音.amr")],
    )
    response = post_complaint(zh_client, data)
    assert response.status_code == 303, field_errors(response)
    reference, code = receipt_codes(zh_client)
    assert reference.startswith(f"CW-{dt.date.today().year}-")
    assert len(code) == 19

    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.reference == reference
    assert sorted(e.kind for e in complaint.evidence) == ["audio", "image", "image"]
    assert [p.phone for p in complaint.reported_phones] == ["+8613800138000", "+8613900139000"]
    assert complaint.amount_owed is not None and str(complaint.amount_owed) == "3200.50"
    assert len(stored_files(app)) == 3

    zh_client.post("/status/leave")
    status = zh_client.post("/status", data={"reference": reference, "access_code": code}, follow_redirects=True)
    page = status.get_data(as_text=True)
    assert status.status_code == 200
    assert reference in page
    assert "已收到" in page or "等待审核" in page


def test_the_receipt_is_shown_only_once(client: FlaskClient) -> None:
    assert post_complaint(client, valid_form()).status_code == 303
    receipt_codes(client)
    again = client.get("/complaints/receipt").get_data(as_text=True)
    assert 'id="receipt-code"' not in again


def test_one_ticked_violation_becomes_the_main_one_without_choosing(client: FlaskClient) -> None:
    response = post_complaint(client, valid_form(violations=["FRQ-01"], primary_violation=""))
    assert response.status_code == 303
    assert db.session.scalars(select(Complaint)).one().primary_code == "FRQ-01"


def test_two_ticked_violations_without_the_main_one_ask_for_it_in_the_words_of_its_label(
    en_client: FlaskClient,
) -> None:
    response = post_complaint(en_client, valid_form(violations=["TP-01", "THR-01"], primary_violation=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    link = re.search(r'<div class="error-summary".*?<a href="#([^"]+)">([^<]*)</a>', page, re.S)
    assert link is not None, page
    target, text = link.groups()
    assert "Choose the main violation." in text
    label = re.search(rf'<label for="{target}">([^<]*)</label>', page)
    assert label is not None, f"the error summary links to #{target}, which has no label"
    assert label.group(1).strip() == "Main violation"
    choice = re.search(rf'<select[^>]*id="{target}".*?</select>', page, re.S)
    assert choice is not None
    offered = re.findall(r'<option[^>]*value="([^"]*)"', choice.group(0))
    assert offered == ["", "THR-01", "TP-01"], "once codes are ticked, only they are offered"


def test_an_over_long_story_is_refused_saying_by_how_much_and_kept_whole(en_client: FlaskClient) -> None:
    story = "The caller rang again. " * 300  # 6,900 characters
    response = post_complaint(en_client, valid_form(narrative=story))
    assert response.status_code == 422
    errors = " ".join(field_errors(response))
    assert f"is {len(story)} characters long, {len(story) - 5000} more than the limit of 5000" in errors, errors
    assert story in response.get_data(as_text=True), "the whole story comes back, not a cut one"
    assert count(Complaint) == 0


def test_line_breaks_count_once_as_the_browser_counts_them(client: FlaskClient) -> None:
    lines = ["第" + "骚" * 98] * 50  # 50 lines of 99 characters and 49 line breaks: 4,999 characters
    response = post_complaint(client, valid_form(narrative="\r\n".join(lines)))
    assert response.status_code == 303, field_errors(response)
    assert db.session.scalars(select(Complaint)).one().narrative == "\n".join(lines)


#: Text pasted into the collector numbers, longer than any number (an unrecognised number is kept, not refused).
PASTED = "12ab then a whole sentence pasted in by mistake"
INVALID = {
    "future date": ({"first_incident_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "future"),
    "last before first": ({"first_incident_on": "2026-10-01", "last_incident_on": "2026-09-01"}, "before"),
    "negative amount": ({"amount_owed": "-5"}, "0 or more"),
    "primary not ticked": ({"violations": ["TP-01", "THR-01"], "primary_violation": "ABU-01"}, "ticked"),
    "primary not chosen": ({"violations": ["TP-01", "THR-01"], "primary_violation": ""}, "main violation"),
    "no violation": ({"violations": [], "primary_violation": ""}, "at least one"),
    "over-long narrative": ({"narrative": "骚" * 5001}, "5000"),
    "missing platform": ({"platform": "   "}, "platform"),
    "bad contact phone": ({"contact_phone": "call me maybe"}, "mobile number"),
    "bad email": ({"contact_email": "not-an-email"}, "e-mail"),
    "contact without details": ({"consent_contact": "y"}, "contact you"),
    "a sentence as a number": ({"collector_phones": f"13800138000, {PASTED}"}, "12ab"),
    "garbage number field": ({"calls_per_day": "many"}, ""),
}


@pytest.mark.parametrize("case", list(INVALID), ids=list(INVALID))
def test_bad_input_gets_a_clear_error_keeps_the_form_and_saves_nothing(
    en_client: FlaskClient, app: Flask, case: str
) -> None:
    overrides, message = INVALID[case]
    data = with_files(valid_form(**overrides), [(media.png(), "shot.png")])
    response = post_complaint(en_client, data)
    assert response.status_code == 422
    errors = " ".join(field_errors(response))
    assert message in errors, errors
    page = response.get_data(as_text=True)
    assert "停止骚扰我的家人" in page, "the form keeps what was typed"
    assert valid_form(**overrides)["collector_phones"] in page, "the numbers as typed, not normalised"
    assert "choose your files again" in page
    assert count(Complaint) == 0 and count(Evidence) == 0 and count(CaseEvent) == 0
    assert stored_files(app) == []


def test_errors_are_shown_in_chinese_for_a_chinese_visitor(zh_client: FlaskClient) -> None:
    response = post_complaint(zh_client, valid_form(amount_owed="-1", narrative=""))
    assert response.status_code == 422
    errors = " ".join(field_errors(response))
    assert "请" in errors


def test_a_spoofed_file_type_is_refused_with_its_name_and_nothing_is_saved(en_client: FlaskClient, app: Flask) -> None:
    data = with_files(valid_form(), [(media.png(), "ok.png"), (media.html_as_jpg(), "evil.jpg")])
    response = post_complaint(en_client, data)
    assert response.status_code == 422
    assert "evil.jpg" in response.get_data(as_text=True)
    assert count(Complaint) == 0 and stored_files(app) == []


def test_too_many_files_are_refused(en_client: FlaskClient, app: Flask) -> None:
    files = [
        (media.png(color), f"{i}.png")
        for i, color in enumerate(
            ["red", "blue", "green", "white", "black", "yellow", "gray", "pink", "orange", "purple", "brown"]
        )
    ]
    response = post_complaint(en_client, with_files(valid_form(), files))
    assert response.status_code == 422
    assert "At most 10 files" in response.get_data(as_text=True)
    assert count(Complaint) == 0


def test_the_honeypot_saves_nothing_but_looks_like_success(client: FlaskClient) -> None:
    response = post_complaint(client, valid_form(website="http://spam.example"))
    assert response.status_code == 302
    assert count(Complaint) == 0


def test_a_request_over_the_size_limit_gets_a_friendly_page(app: Flask, en_client: FlaskClient) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = post_complaint(en_client, with_files(valid_form(), [(bytes(10000), "big.pdf")]))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert count(Complaint) == 0


def test_the_upload_script_gets_json_with_the_receipt_address(client: FlaskClient) -> None:
    response = client.post(
        "/complaints/new",
        data=valid_form(),
        content_type="multipart/form-data",
        headers={"X-Requested-With": "collectwatch-upload"},
    )
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/complaints/receipt"}


def test_platform_suggestions_find_pinyin_initials(client: FlaskClient) -> None:
    from tests.factories import PlatformFactory

    PlatformFactory(name_zh="小禾钱包", name_en="Xiaohe Wallet")
    names = [item["name"] for item in client.get("/platforms/suggest?q=xhqb").get_json()]
    assert names == ["小禾钱包"]
    assert client.get("/platforms/suggest?q=").get_json() == []
