"""Every public page answers in both languages, with the language the visitor chose."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from complaints.core.catalogs import untranslated

PAGES = ["/", "/complaints/new", "/status", "/rights"]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_render_in_chinese_by_default(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "催收观察" in page


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_render_in_english_when_chosen(en_client: FlaskClient, path: str) -> None:
    page = en_client.get(path).get_data(as_text=True)
    assert '<html lang="en">' in page and "CollectWatch" in page


def test_accept_language_chooses_english_when_no_choice_was_made(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_the_language_switcher_remembers_the_choice_and_returns_to_the_page(client: FlaskClient) -> None:
    response = client.get("/language/en?next=/rights")
    assert response.status_code == 302 and response.headers["Location"] == "/rights"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/rights").get_data(as_text=True)


def test_the_language_switcher_never_redirects_elsewhere(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        location = client.get(f"/language/en?next={target}").headers["Location"]
        assert location == "/", target


def test_every_user_facing_string_has_a_chinese_translation() -> None:
    missing = untranslated("zh_Hans")
    assert missing == [], "\n".join(f"{where}: {message}" for where, message in missing[:30])


def test_the_rights_page_lists_the_taxonomy_and_regulators(en_client: FlaskClient) -> None:
    page = en_client.get("/rights").get_data(as_text=True)
    assert "Impersonating police, courts or government" in page
    assert "12378" in page and "12315" in page


def test_unknown_pages_get_a_translated_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "找不到" in response.get_data(as_text=True) or "页面" in response.get_data(as_text=True)


def test_security_headers_are_on_pages_errors_and_static_files(client: FlaskClient) -> None:
    for path in ("/", "/no-such-page", "/static/css/app.css"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
