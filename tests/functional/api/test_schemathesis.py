"""schemathesis against /api/v1/openapi.json: no server error, and every answer is what the document promises.

Every operation of the document gets generated requests (valid and invalid paths and periods);
each response must match the document: a status code it lists, its content type, its body schema
and headers. The data seeded first gives the endpoints counts to show, some of them suppressed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from complaints.extensions import limiter
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_stats import accepted_complaint, refer


def _seed() -> None:
    """Two platforms across two months: one with enough complaints to publish, one with a small count."""
    big, small = PlatformFactory(), PlatformFactory()
    collector = CollectorFactory()
    for day in range(7):
        complaint = accepted_complaint(
            submitted=dt.datetime(2026, 9 + day % 2, 3 + day, 9, tzinfo=dt.UTC),
            platform=big,
            collector=collector,
            codes=["THR-01", "TP-01"] if day % 2 else ["ABU-01"],
        )
        if day < 3:
            refer(complaint)
    accepted_complaint(platform=small, codes=["IMP-01"])


@pytest.fixture
def no_limits() -> Iterator[None]:
    """The API's rate limit would answer 429 long before the generator is done."""
    limiter.enabled = False
    yield
    limiter.enabled = True


# The operations are walked by hand, not with schemathesis' pytest plugin: its lazy (fixture-built)
# schema reads a pytest attribute that pytest 9.2 no longer has, and the app here is a fixture.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_the_api_keeps_every_promise_of_its_openapi_document(app: Flask, no_limits: None, mode: GenerationMode) -> None:
    _seed()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every API route but the document itself is described, so every route is exercised here.
    routes = {
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
    }
    assert routes == {operation.path for operation in operations}
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # nothing to get wrong (GET /periods takes no parameter)

        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate()

        call()
