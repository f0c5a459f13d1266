"""No input from anyone produces a 500, and a failure mid-submission saves nothing at all.

Every other form and parameter (status look-up, platform suggestions, officer forms, statistics and
API parameters) is fuzzed by test_fuzz_forms.py, with the fields it finds in the pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from complaints.extensions import db, limiter
from complaints.models import CaseEvent, Complaint, Evidence, Platform
from tests import media
from tests.functional.helpers import post_complaint, valid_form, with_files

FIELDS = [
    "platform",
    "collector_kind",
    "collector_name",
    "collector_phones",
    "violations",
    "primary_violation",
    "channels",
    "third_parties",
    "calls_per_day",
    "first_incident_on",
    "last_incident_on",
    "amount_owed",
    "days_overdue",
    "loan_reference",
    "stage",
    "province",
    "narrative",
    "desired_outcome",
    "contact_name",
    "contact_phone",
    "contact_email",
    "consent_contact",
]

text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e9",
            "NaN",
            "2099-01-01",
            "0000-00-00",
            "<script>",
            "'; DROP TABLE x;--",
            "\x00",
            "９９",
            "THR-01",
            "+86 138 0013 8000",
            "a" * 6000,
        ]
    ),
)


@pytest.fixture
def no_limits():  # type: ignore[no-untyped-def]
    limiter.enabled = False
    yield
    limiter.enabled = True


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, st.lists(text, max_size=4)), max_size=8))
def test_no_form_input_gives_a_server_error(client: FlaskClient, no_limits: None, overrides: dict[str, object]) -> None:
    response = post_complaint(client, valid_form(**overrides))
    assert response.status_code in (303, 422), response.status_code


def test_a_database_failure_during_submission_saves_no_row_and_no_file(
    en_client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import complaints.intake.filing as intake

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated database failure")

    monkeypatch.setattr(intake, "record_event", broken)
    response = post_complaint(en_client, with_files(valid_form(platform="故障测试平台"), [(media.png("red"), "a.png")]))
    assert response.status_code == 500
    assert "Nothing you sent was half-saved" in response.get_data(as_text=True)
    db.session.expire_all()
    for model in (Complaint, Evidence, CaseEvent, Platform):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    root = Path(app.config["EVIDENCE_DIR"])
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
