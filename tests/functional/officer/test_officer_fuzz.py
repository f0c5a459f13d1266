"""Property: whatever a signed-in supervisor posts to any officer route, the answer is never a server error."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.functional.officer.walk import Sample, client_as, make_sample, methods, signed_in_cookies

FIELDS = [
    "text",
    "note-text",
    "message-text",
    "info-text",
    "reject-resolution",
    "reject-text",
    "close-resolution",
    "assignee",
    "complaint_ids",
    "platform_id",
    "new_platform_name",
    "new_platform_kind",
    "collector_id",
    "new_collector_name",
    "codes",
    "primary_code",
    "severity",
    "reference",
    "regulator",
    "channel",
    "sent_on",
    "regulator_reference",
    "include_identity",
    "target",
    "name",
    "kind",
    "phones",
    "name_zh",
    "name_en",
    "aliases",
    "response_days",
    "intake_channel",
    "match_type",
    "match_value",
    "email",
    "role",
    "password",
    "confirm",
    "code",
    "current_password",
    "next",
    "approve-text",
    "withhold-reason",
    "revoke-target",
    "revoke-reason",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "999999999999",
            "THR-01",
            "urgent",
            "resolved",
            "SAMR",
            "2026-13-45",
            "CW-2026-000001",
            "%",
            "\x00",
        ]
    ),
)


@pytest.fixture
def signed_in(app: Flask) -> tuple[Sample, dict[str, str]]:
    """Sample rows and session cookies, made once for all examples of the test."""
    return make_sample(), signed_in_cookies(app)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_no_officer_form_input_gives_a_server_error(
    app: Flask, signed_in: tuple[Sample, dict[str, str]], data: st.DataObject
) -> None:
    sample, cookies = signed_in
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("officer.") and "POST" in methods(r)]
    rule = data.draw(st.sampled_from(sorted(rules, key=lambda r: r.endpoint)))
    form = data.draw(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8))
    if rule.endpoint in ("officer.sign_out", "officer.reset_account", "officer.disable_account"):
        return  # these end sessions the rest of the run needs; the walk covers them
    response = client_as(app, cookies, "admin").post(sample.url(app, rule), data=form)
    assert response.status_code < 500, (rule.endpoint, form)
