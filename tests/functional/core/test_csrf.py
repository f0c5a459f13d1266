"""With CSRF protection on (as in production), state changes without a token are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from tests.functional.helpers import valid_form


@pytest.fixture
def csrf_client(app: Flask):  # type: ignore[no-untyped-def]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield app.test_client()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize(
    "path",
    [
        "/complaints/new",
        "/status",
        "/status/leave",
        "/status/complaint/information",
        "/status/complaint/withdraw",
        "/status/complaint/publication-consent",
    ],
)
def test_posts_without_a_csrf_token_are_refused(csrf_client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = csrf_client.post(path, data=valid_form(), content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_the_form_with_its_token_is_accepted(csrf_client, app: Flask) -> None:  # type: ignore[no-untyped-def]
    import re

    page = csrf_client.get("/complaints/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    response = csrf_client.post(
        "/complaints/new", data=valid_form(csrf_token=token.group(1)), content_type="multipart/form-data"
    )
    assert response.status_code == 303
    assert Path(app.config["EVIDENCE_DIR"]).parent.exists()
