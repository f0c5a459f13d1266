"""A filing whose images are each allowed but together too many pixels is refused at once, in the
consumer's language, with nothing saved: such images once held a worker past its timeout (a 500)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint, Evidence
from tests.budget import within_budget
from tests.functional.helpers import post_complaint, valid_form, with_files

#: Seconds the refusal may take; decoding these images took far longer.
BUDGET = 5


@pytest.fixture
def budget() -> Iterator[None]:
    with within_budget("the filing", BUDGET):
        yield


@pytest.fixture
def big_webp() -> bytes:
    """24 million pixels (under the per-file limit) in a few dozen bytes."""
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), "white").save(out, format="WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()


def test_several_big_images_are_refused_quickly_in_chinese_and_nothing_is_saved(
    app: Flask, zh_client: FlaskClient, big_webp: bytes, budget: None
) -> None:
    # The images are made before the alarm is set (fixtures are set up in the order of the arguments).
    form = with_files(valid_form(), [(big_webp, f"screen-{i}.webp") for i in range(4)])
    response = post_complaint(zh_client, form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "这些图片合起来太大，无法处理（每次提交合计最多 60 百万像素）。请少发几张，或者发送较小的图片。" in page
    assert valid_form()["narrative"] in page  # what was typed stays
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    assert not evidence_dir.exists() or [p for p in evidence_dir.rglob("*") if p.is_file()] == []
