"""Our own form POSTs carry a same-origin Referer, so Flask-WTF's HTTPS check accepts them in production.

A `<meta name="referrer" content="no-referrer">` in the base template once overrode the
`Referrer-Policy: same-origin` header: Chromium then sent no Referer at all, and over HTTPS
Flask-WTF (WTF_CSRF_SSL_STRICT) refused filing, the status look-up and officer sign-in with a 400.
The journeys here run over plain HTTP, where the check is off, so this test reads the header itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Request

from tests.browser.visit import Visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "fill"),
    [
        ("/status", {"input[name=reference]": "CW-2026-000001", "input[name=access_code]": "AAAA-BBBB-CCCC-DDDD"}),
        ("/officer/sign-in", {"input[name=email]": "nobody@example.test", "input[name=password]": "not the password"}),
    ],
)
def test_a_form_post_carries_a_same_origin_referer(
    visit: Callable[..., Visit], path: str, fill: dict[str, str]
) -> None:
    visitor = visit("phone", "zh-CN")
    page = visitor.goto(path)
    for selector, value in fill.items():
        page.locator(selector).fill(value)
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    with page.expect_navigation():
        page.locator("form:has(input[name=csrf_token]) [type=submit]").last.click()
    assert posts, "the form was not sent"
    assert posts[0].headers.get("referer", "").startswith(visitor.base + path), posts[0].headers
