"""The load test, shortened for CI: gunicorn with 4 workers, 20 consumers filing with evidence for a few seconds.

The full run (200 consumers and 50 readers for 60 s) is `make load` / bench/load.py; its figures are in
bench/results/. This one proves the same properties on every run: no 5xx, and no lost complaint —
every receipt opens its status page with its access code, and the database holds exactly the
complaints that got a receipt, each with its evidence.
"""

from __future__ import annotations

import os

from bench.load_client import file_complaints, verify_receipts
from bench.load_server import database_check, deployment, server_errors

CONSUMERS = 20
SECONDS = 5


def test_twenty_consumers_filing_at_once_get_no_5xx_and_lose_no_complaint() -> None:
    server_url = os.environ.get("TEST_DATABASE_URL")
    with deployment(
        "postgresql" if server_url else "sqlite",
        workers=4,
        postgres_url=server_url,
        redis_url=os.environ.get("REDIS_TEST_URL"),
    ) as target:
        run = file_complaints(target.base_url, CONSUMERS, SECONDS, target.platforms)
        verification = verify_receipts(target.base_url, run.receipts)
        check = database_check(target, run.receipts)
        log_errors = server_errors(target.error_log)

    assert run.server_errors() == 0, run.statuses
    assert run.problems == [], run.problems
    assert len(run.receipts) >= CONSUMERS, "every consumer filed at least once"
    assert verification.failures == [] and verification.opened == len(run.receipts)
    assert check["complaints_in_database"] == check["receipts"] == check["distinct_receipt_references"]
    assert check["complaints_without_receipt"] == check["receipts_without_complaint"] == 0
    assert check["complaints_without_evidence"] == 0
    assert check["evidence_rows"] == check["evidence_files_on_disk"] == len(run.receipts)
    assert log_errors == []
