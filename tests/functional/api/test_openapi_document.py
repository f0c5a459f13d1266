"""The OpenAPI document says what a client will see, with this deployment's own numbers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.mark.parametrize("k", [5, 10])
def test_the_count_schema_names_the_threshold_in_force(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    monkeypatch.setitem(app.config, "STATS_MIN_CELL", k)
    document = client.get("/api/v1/openapi.json").get_json()
    described = document["components"]["schemas"]["Count"]["description"]
    assert f"from 1 to {k - 1} are hidden" in described and f"display '<{k}'" in described
    assert "<k" not in described and "k-1" not in described


def test_the_period_pattern_accepts_ascii_digits_only(client: FlaskClient) -> None:
    period = next(
        p
        for p in client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/platforms"]["get"]["parameters"]
        if p["name"] == "period"
    )
    assert "\\d" not in period["schema"]["pattern"], (
        "\\d means any script's digits to Python, and the API takes ASCII only"
    )
