"""Locust users for bench/load.py: consumers filing complaints with evidence, readers of the statistics.

Run through bench/load.py, which sets LOAD_DIRECTORY (platforms, a year with data), LOAD_RECEIPTS
(where receipts are written, one JSON line each) and LOAD_STATUSES (answers by request and status).
Each consumer visit is a new person: fresh cookies and its own X-Forwarded-For address.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_client import address_for, complaint_form, csrf_token, evidence_image, reader_paths, receipt_of

DIRECTORY: dict[str, Any] = json.loads(Path(os.environ["LOAD_DIRECTORY"]).read_text())
RECEIPTS = Path(os.environ["LOAD_RECEIPTS"]).open("a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
STATUSES: Counter[str] = Counter()
TIMES: dict[str, list[float]] = {}
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "1,3").split(","))
TIMEOUT = 300
_numbers = itertools.count(1)
PATHS = reader_paths(DIRECTORY["platform_ids"], DIRECTORY["year"])


@events.request.add_listener
def count_status(name: str, response_time: float, response: Any, **_: Any) -> None:
    """Every answer by request name and status code (0: no answer at all), and its time."""
    STATUSES[f"{name}|{getattr(response, 'status_code', 0) or 0}"] += 1
    TIMES.setdefault(name, []).append(response_time)


@events.quitting.add_listener
def write_statuses(**_: Any) -> None:
    RECEIPTS.close()
    answers = {"statuses": dict(STATUSES), "times_ms": TIMES}
    Path(os.environ["LOAD_STATUSES"]).write_text(json.dumps(answers, ensure_ascii=False))


class Consumer(HttpUser):
    """A person filing a complaint: the form, a pause to fill it in, the filing with a screenshot, the receipt."""

    fixed_count = int(os.environ.get("LOAD_CONSUMERS", "200"))
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.visit = 0
        self.rng = random.Random(self.number)

    @task
    def file_a_complaint(self) -> None:
        self.visit += 1
        self.client.cookies.clear()
        headers = {
            "X-Forwarded-For": address_for(self.number, self.visit),
            "Accept-Language": "zh-CN,zh;q=0.9" if self.number % 3 else "en",
        }
        with self.client.get(
            "/complaints/new", headers=headers, name="GET /complaints/new", timeout=TIMEOUT, catch_response=True
        ) as form:
            token = csrf_token(form.text or "")
            if form.status_code != 200 or token is None:
                form.failure(f"form: {form.status_code}")
                return
        self.wait()  # filling in the form
        name, content, mime = evidence_image(self.number * 10_000 + self.visit)
        with self.client.post(
            "/complaints/new",
            data=complaint_form(self.rng, DIRECTORY["platforms"], token),
            files=[("evidence", (name, content, mime))],
            headers=headers,
            allow_redirects=False,
            name="POST /complaints/new (with evidence)",
            timeout=TIMEOUT,
            catch_response=True,
        ) as filing:
            if filing.status_code != 303:
                filing.failure(f"filing: {filing.status_code}")
                return
        with self.client.get(
            "/complaints/receipt", headers=headers, name="GET /complaints/receipt", timeout=TIMEOUT, catch_response=True
        ) as page:
            receipt = receipt_of(page.text or "")
            if receipt is None:
                page.failure(f"receipt: {page.status_code}")
                return
        RECEIPTS.write(json.dumps(receipt) + "\n")
        RECEIPTS.flush()


class Reader(HttpUser):
    """A researcher or journalist browsing the statistics and downloading CSV, from their own address."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.number = 500_000 + next(_numbers)
        self.rng = random.Random(self.number)
        self.headers = {"X-Forwarded-For": address_for(self.number, 0)}

    @task
    def read_statistics(self) -> None:
        name, path = self.rng.choice(PATHS)
        self.client.get(path, headers=self.headers, name=name, timeout=TIMEOUT)
