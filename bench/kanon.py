"""Time the k-anonymous complaint dataset on an instance that holds demo data (`flask demo-data --complaints N`).

Run in the instance's environment, e.g.::

    INSTANCE_PATH=/tmp/kanon-200k .venv/bin/python bench/kanon.py

Reports: reading the quasi-identifiers, generalising them, the first full download (plan built) and a
second one (plan cached), a filtered download, the process's peak memory, and the plan's report.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from complaints import create_app
from complaints.statistics import anonymity
from complaints.statistics.csv_output import csv_lines
from complaints.statistics.datasets import (
    COMPLAINT_COLUMNS,
    COMPLAINT_TEXT_COLUMNS,
    Filters,
    complaint_plan,
    complaint_rows,
    read_facts,
)


def _download(filters: Filters) -> tuple[int, float, int]:
    started = time.perf_counter()
    rows = size = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal rows
        for row in complaint_rows(filters):
            rows += 1
            yield row

    for chunk in csv_lines([c.name for c in COMPLAINT_COLUMNS], counted(), text_columns=COMPLAINT_TEXT_COLUMNS):
        size += len(chunk.encode("utf-8"))
    return rows, time.perf_counter() - started, size


def main() -> None:
    app = create_app()
    with app.app_context():
        from complaints.extensions import db

        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        groups = read_facts(db.session.connection())
        read = time.perf_counter() - started
        started = time.perf_counter()
        plan = anonymity.generalise(groups, int(app.config["STATS_MIN_CELL"]))
        generalise = time.perf_counter() - started
        sizes = Counter(plan.published.values())
        distinct = len(groups)
        after_plan = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del plan, groups
        cold = _download(Filters())
        warm = _download(Filters())
        busiest = Counter(key[anonymity.PLATFORM] for key in complaint_plan().published.values()).most_common(1)[0][0]
        filtered = _download(Filters(platform_id=busiest))
        report = complaint_plan().report
        print(
            json.dumps(
                {
                    "read_facts_s": round(read, 2),
                    "distinct_exact_combinations": distinct,
                    "generalise_s": round(generalise, 2),
                    "classes": len(sizes),
                    "smallest_class": min(sizes.values(), default=0),
                    "median_class": sorted(sizes.values())[len(sizes) // 2] if sizes else 0,
                    "first_download": {"rows": cold[0], "seconds": round(cold[1], 2), "bytes": cold[2]},
                    "second_download_cached_plan": {"rows": warm[0], "seconds": round(warm[1], 2)},
                    "platform_download": {"platform": busiest, "rows": filtered[0], "seconds": round(filtered[1], 2)},
                    "rss_mb_before": round(baseline, 1),
                    "peak_rss_mb_after_plan": round(after_plan, 1),
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                    "report": report.as_json(),
                },
                indent=1,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
