"""What encryption at rest costs: demo-data time, the queue's narrative search, and filing a complaint.

Run from the repository: ``.venv/bin/python bench/crypto_figures.py --demo 20000 --search 100000``.
To measure the code before encryption, point PYTHONPATH at a checkout of that commit. SQLite, in
temporary instance folders; figures are medians, printed as JSON. The machines are shared and
noisy, so each figure is given twice: wall time and the process's own CPU time (less sensitive to
other load).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
FORM = {
    "platform": "虚构花朵钱包",
    "collector_kind": "agency",
    "collector_name": "某某虚构律师事务所",
    "collector_phones": "13900139000",
    "violations": ["THR-01", "TP-01"],
    "primary_violation": "THR-01",
    "channels": ["call"],
    "third_parties": ["family"],
    "calls_per_day": "30",
    "stage": "outsourced",
    "province": "44",
    "narrative": "从九月开始，催收人员每天打三十多个电话，威胁要上门，还给我通讯录里的亲戚发短信。",
    "desired_outcome": "停止骚扰。",
    "contact_name": "虚构人",
    "contact_phone": "13800138000",
    "contact_email": "someone@example.org",
    "consent_contact": "y",
}


def _env(instance: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "FLASK_APP": "wsgi",
        "RATELIMIT_ENABLED": "0",
        "COLLECTWATCH_ENV": "development",
    }
    env.pop("DATABASE_URL", None)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seed(instance: Path, complaints: int) -> dict[str, float]:
    env = _env(instance)
    for args in (["db", "upgrade"], ["seed-reference"]):
        subprocess.run([str(BIN / "flask"), *args], env=env, check=True, capture_output=True)
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [str(BIN / "flask"), "demo-data", "--complaints", str(complaints)], env=env, check=True, capture_output=True
    )
    return {"wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(_children_cpu() - cpu, 1)}


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def _medians(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "wall_ms": round(statistics.median(s[0] for s in samples), 2),
        "cpu_ms": round(statistics.median(s[1] for s in samples), 2),
    }


def _app(instance: Path):  # type: ignore[no-untyped-def]
    os.environ.update(_env(instance))
    from complaints import create_app
    from complaints.config import Config

    return create_app(Config(), WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)


def search_latency(instance: Path, terms: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Median ms of queue_page with a narrative search, per term."""
    from complaints.casework.queue import QueueFilter, queue_page

    app = _app(instance)
    figures = {}
    with app.app_context():
        for term in terms:
            query = QueueFilter(status="", search=term)
            found = len(queue_page(query).complaints)
            samples = [_timed(lambda query=query: queue_page(query)) for _ in range(rounds)]
            figures[f"{term} ({found} on page 1)"] = _medians(samples)
    return figures


def filing_latency(instance: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Median ms to POST the complaint form, without and with a PNG."""
    from PIL import Image

    app = _app(instance)
    client = app.test_client()
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(out, format="PNG")
    image = out.getvalue()
    figures = {}
    for label, with_image in (("no file", False), ("one 800x600 PNG", True)):
        samples = []
        statuses: list[int] = []
        for i in range(rounds):
            data = dict(FORM)
            if with_image:
                data["evidence"] = [(io.BytesIO(image + bytes([i % 256])), "shot.png")]

            def post(data: dict[str, object] = data) -> None:
                statuses.append(  # noqa: B023  (filled and read within the same label)
                    client.post("/complaints/new", data=data, content_type="multipart/form-data").status_code
                )

            samples.append(_timed(post))
        assert set(statuses) == {303}, statuses
        figures[label] = _medians(samples)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=int, default=20_000)
    parser.add_argument("--search", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    result: dict[str, object] = {"load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as large:
        result[f"demo_data_{args.demo}"] = _seed(Path(small), args.demo)
        result[f"demo_data_{args.search}"] = _seed(Path(large), args.search)
        terms = ["律师", "通讯录", "张伟", "cw"]
        result[f"search_at_{args.search}"] = search_latency(Path(large), terms, args.rounds)
        result["filing"] = filing_latency(Path(small), args.rounds)
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
