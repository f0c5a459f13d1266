"""Every route in the URL map, as anonymous, officer, supervisor and platform responder: each gets exactly
what its role allows."""

from __future__ import annotations

from flask import Flask

from tests.functional.officer.walk import (
    ACCESS,
    ROLES,
    client_as,
    disposable_client,
    make_sample,
    methods,
    signed_in_cookies,
)

RANK = {"anyone": 0, "officer": 1, "admin": 2}
GUARDED = ("officer.", "respond.")
#: Where the guard sends a visitor without a live session (sign-out sends to the bare sign-in page).
WALL = "/officer/sign-in?next="
#: Routes that end the session they run in (given a session of their own; see `disposable_client`).
SESSION_ENDERS = {"officer.sign_out", "respond.sign_out"}


def allowed(role: str, needed: str) -> bool:
    """Whether a signed-in role may use an endpoint: officers' ranks, and responders apart from them."""
    if needed == "responder" or role == "responder":
        return role == needed
    return RANK[role] >= RANK[needed]


def test_every_officer_endpoint_has_a_declared_audience(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith(GUARDED)}
    unknown = endpoints - set(ACCESS)
    assert not unknown, f"classify these routes in tests/functional/officer/walk.py: {sorted(unknown)}"


def test_every_route_gives_each_role_exactly_what_it_allows(app: Flask) -> None:
    sample = make_sample()
    cookies = signed_in_cookies(app)
    checked = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        url = sample.url(app, rule)
        for method in methods(rule):
            for role in ("anyone", *ROLES):
                ends_session = rule.endpoint in SESSION_ENDERS and role != "anyone"
                client = disposable_client(app, role) if ends_session else client_as(app, cookies, role)
                response = client.open(url, method=method)
                response.get_data()  # read streamed answers (CSV) to the end, closing their request context
                where = f"{role} {method} {url} ({rule.endpoint}) → {response.status_code}"
                assert response.status_code < 500, where
                if not rule.endpoint.startswith(GUARDED):
                    # Public pages, statistics, static files: open to everyone, never a sign-in wall.
                    assert response.status_code not in (401, 403), where
                    continue
                needed = ACCESS[rule.endpoint]
                location = response.headers.get("Location", "")
                if needed == "anyone":
                    assert response.status_code != 403 and not location.startswith(WALL), where
                elif role == "anyone":
                    assert response.status_code in (302, 303) and location.startswith(WALL), where
                elif not allowed(role, needed):
                    assert response.status_code == 403, where
                else:
                    assert response.status_code != 403 and not location.startswith(WALL), where
                    if method == "GET" and rule.endpoint != "respond.portal_home":
                        assert response.status_code == 200, where
                checked += 1
    assert checked > 60
