"""Shared helpers for functional tests."""

from __future__ import annotations

import io
import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def valid_form(**overrides: Any) -> dict[str, Any]:
    """A complete, valid complaint form as a consumer would send it."""
    data: dict[str, Any] = {
        "platform": "虚构花朵钱包",
        "collector_kind": "agency",
        "collector_name": "某某虚构律师事务所",
        "collector_phones": "+86 138-0013-8000\n13900139000",
        "violations": ["THR-01", "TP-01", "IMP-02"],
        "primary_violation": "THR-01",
        "channels": ["call", "sms"],
        "third_parties": ["family", "contacts_list"],
        "calls_per_day": "30",
        "first_incident_on": "2026-09-01",
        "last_incident_on": "2026-10-15",
        "amount_owed": "3200.50",
        "days_overdue": "45",
        "stage": "outsourced",
        "province": "44",
        "narrative": "从九月开始，催收人员每天打三十多个电话，威胁要上门，还给我通讯录里的亲戚发短信。",
        "desired_outcome": "停止骚扰我的家人。",
    }
    data.update(overrides)
    return data


def with_files(data: dict[str, Any], files: list[tuple[bytes, str]]) -> dict[str, Any]:
    """Attach evidence files to form data."""
    data = dict(data)
    data["evidence"] = [(io.BytesIO(content), name) for content, name in files]
    return data


def post_complaint(client: FlaskClient, data: dict[str, Any]) -> TestResponse:
    """Send the complaint form as multipart, as the browser does."""
    return client.post("/complaints/new", data=data, content_type="multipart/form-data")


def receipt_codes(client: FlaskClient) -> tuple[str, str]:
    """Reference and access code from the receipt page."""
    page = client.get("/complaints/receipt").get_data(as_text=True)
    reference = re.search(r'id="receipt-reference">([^<]+)<', page)
    code = re.search(r'id="receipt-code">([^<]+)<', page)
    assert reference and code, page[:500]
    return reference.group(1), code.group(1)


def field_errors(response: TestResponse) -> list[str]:
    """The error messages shown beside fields."""
    return re.findall(r'class="field-error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)


def open_status_page(client: FlaskClient, complaint_id: int) -> None:
    """Give a client an opened status page of a complaint, as a successful look-up would."""
    from complaints.accounts import sessions
    from complaints.extensions import db
    from complaints.models import SessionKind
    from complaints.public.views import STATUS_KEY

    token = sessions.begin(SessionKind.CONSUMER, complaint_id=complaint_id)
    db.session.commit()
    with client.session_transaction() as session:
        session[STATUS_KEY] = token
