"""A NUL typed or pasted into an address or a form is dropped, never a server error (PostgreSQL refuses it)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories_officer import make_admin, sign_in

OFFICER_ADDRESSES = [
    "/officer/?q=%00",
    "/officer/?province=%00&code=%00",
    "/officer/directory/platforms?q=a%00b",
    "/officer/directory/collectors?q=%00",
    "/officer/audit?reference=CW%00&address=%00",
]


@pytest.mark.parametrize("path", OFFICER_ADDRESSES)
def test_a_nul_in_an_officer_address_is_ignored(client: FlaskClient, path: str) -> None:
    sign_in(client, make_admin())
    assert client.get(path).status_code == 200


def test_a_nul_in_the_platform_suggestions_query_is_ignored(client: FlaskClient) -> None:
    assert client.get("/platforms/suggest", query_string={"q": "\x00"}).status_code == 200


def test_a_nul_in_the_status_lookup_is_a_plain_refusal(client: FlaskClient) -> None:
    response = client.post("/status", data={"reference": "\x00", "access_code": "0"})
    assert response.status_code == 422


def test_a_nul_in_the_sign_in_form_is_an_ordinary_failed_sign_in(client: FlaskClient) -> None:
    response = client.post(
        "/officer/sign-in", data={"email": "chief\x00@example.test", "password": "x" * 12, "code": "123456"}
    )
    assert response.status_code == 422
