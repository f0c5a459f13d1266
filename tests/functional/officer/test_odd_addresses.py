"""Hand-edited addresses (huge ids, impossible dates, broken cursors) get a page or a 404, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories_officer import make_admin, sign_in

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/officer/?platform={HUGE}&collector={HUGE}&assignee={HUGE}",
        f"/officer/complaints/{HUGE}",
        f"/officer/complaints/1/evidence/{HUGE}",
        f"/officer/audit?officer={HUGE}&before={HUGE}",
        f"/officer/directory/platforms/{HUGE}",
        f"/officer/complaints/1/packet?referral={HUGE}",
        f"/officer/?after=2026-01-01T00:00:00~{HUGE}",
        "/officer/?after=not-a-date~1",
        "/officer/?from=9999-12-31&to=9999-12-31",
        "/officer/audit?from=9999-12-31&to=0001-01-01",
        "/officer/?q=%25%25_%5C&sort=nonsense&status=nonsense&severity=x",
    ],
)
def test_odd_addresses_never_give_a_server_error(en_client: FlaskClient, url: str) -> None:
    sign_in(en_client, make_admin())
    assert en_client.get(url).status_code in (200, 404)
