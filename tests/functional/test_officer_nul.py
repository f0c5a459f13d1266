"""A NUL character typed or pasted into an officer address or form is refused, never a server error (PostgreSQL)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories_officer import make_admin, sign_in

EDITED_ADDRESSES = [
    "/officer/?q=%00",
    "/officer/?province=%00&code=%00",
    "/officer/directory/platforms?q=a%00b",
    "/officer/directory/collectors?q=%00",
    "/officer/audit?reference=CW%00&address=%00",
]


@pytest.mark.parametrize("path", EDITED_ADDRESSES)
def test_a_nul_in_an_officer_address_is_a_bad_request(client: FlaskClient, path: str) -> None:
    sign_in(client, make_admin())
    assert client.get(path.replace("%00", "")).status_code == 200
    assert client.get(path).status_code == 400


def test_a_nul_in_the_sign_in_form_is_a_bad_request_not_a_failed_sign_in(client: FlaskClient) -> None:
    response = client.post(
        "/officer/sign-in", data={"email": "chief\x00@example.test", "password": "x" * 12, "code": "123456"}
    )
    assert response.status_code == 400
