"""The Frictionless datapackage.json describing every dataset, and writing the full datasets to files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale

from complaints.core.clock import utc_now
from complaints.directory.reference_data import taxonomy_version
from complaints.statistics import aggregates
from complaints.statistics.anonymity import WITHHELD
from complaints.statistics.csv_output import csv_lines
from complaints.statistics.datasets import (
    COMPLAINT_COLUMNS,
    COMPLAINT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    QUASI_IDENTIFIER_COLUMNS,
    Column,
    Filters,
    complaint_plan,
    complaint_rows,
)
from complaints.statistics.periods import ALL_TIME

COMPLAINTS_FILE = "complaints.csv"


def count_file(by: str) -> str:
    """File name of a monthly aggregate dataset."""
    return f"counts-{by}-violation-by-month.csv"


def _field(column: Column, k: int) -> dict[str, Any]:
    described: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.meaning(k)}
    if column.allowed:
        described["constraints"] = {"enum": list(column.allowed)}
        if column.name in ("channels",):
            described["description"] += " Allowed values: " + ", ".join(column.allowed) + "."
            del described["constraints"]
    return described


def datapackage() -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the public datasets, in English whoever asks.

    The data dictionary page shows the same column descriptions in the visitor's language.
    """
    with force_locale("en"):
        return _descriptor()


def _descriptor() -> dict[str, Any]:
    k = int(current_app.config["STATS_MIN_CELL"])
    plan = complaint_plan()
    common = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n", "header": True},
    }
    resources = [
        {
            "name": "complaints",
            "path": COMPLAINTS_FILE,
            **common,
            "description": "One row per complaint that passed triage (withdrawn and duplicate complaints excluded), "
            f"k-anonymous with k = {k}: every combination of the quasi-identifier columns "
            f"({', '.join(QUASI_IDENTIFIER_COLUMNS)}) occurs at least {k} times, months, provinces and code "
            "combinations generalised and other values withheld ('*') where they would single a complaint out; "
            "'anonymity' counts the rows generalised and withheld.",
            "anonymity": {
                **plan.report.as_json(),
                "method": "Top-down greedy generalisation of the whole public set (complaints.statistics.anonymity); "
                "rows withheld only where fewer than k public complaints share their year.",
            },
            "schema": {
                "fields": [_field(c, k) for c in COMPLAINT_COLUMNS],
                "primaryKey": ["public_id"],
                "missingValues": ["", WITHHELD],
            },
        },
    ]
    for by, columns in COUNT_COLUMNS.items():
        resources.append(
            {
                "name": f"counts-{by}-violation",
                "path": count_file(by),
                **common,
                "description": f"Public complaints per month × {by} × violation code; "
                f"counts 1–{k - 1} shown as '<{k}', some others as '—' so small counts cannot be worked out.",
                "schema": {"fields": [_field(c, k) for c in columns], "missingValues": ["", f"<{k}", "—"]},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "collectwatch-complaints",
        "title": "CollectWatch: complaints about abusive debt collection",
        "description": "Complaints are consumers' own accounts, checked at triage, not findings of fact. Counts are "
        "not adjusted for platform size.",
        "version": taxonomy_version(),
        "taxonomy_version": taxonomy_version(),
        "created": utc_now().replace(microsecond=0).isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def datasets_dir() -> Path:
    """Where `flask build-datasets` writes the files the download page offers."""
    return Path(current_app.instance_path) / "datasets"


def _write(path: Path, chunks: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as handle:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            digest.update(data)
            size += len(data)
            handle.write(data)
    tmp.replace(path)
    return digest.hexdigest(), size


def build_all() -> list[tuple[str, str, int]]:
    """Write every full dataset, the datapackage.json and SHA256SUMS; return (name, sha256, bytes)."""
    folder = datasets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    header = [c.name for c in COMPLAINT_COLUMNS]
    written.append(
        (
            COMPLAINTS_FILE,
            *_write(
                folder / COMPLAINTS_FILE,
                csv_lines(header, complaint_rows(Filters()), text_columns=COMPLAINT_TEXT_COLUMNS),
            ),
        )
    )
    for by in COUNT_COLUMNS:
        rows = aggregates.count_rows(by, "month", ALL_TIME)
        written.append((count_file(by), *_write(folder / count_file(by), csv_lines(aggregates.header(by), rows))))
    package = json.dumps(datapackage(), ensure_ascii=False, indent=2)
    written.append(("datapackage.json", *_write(folder / "datapackage.json", [package])))
    sums = "".join(f"{sha}  {name}\n" for name, sha, _size in written)
    (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return written


def built_files() -> list[dict[str, Any]]:
    """The files last written by build-datasets, with checksums, sizes and dates."""
    folder = datasets_dir()
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        return []
    files = []
    for line in sums.read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        path = folder / name
        if path.exists():
            stat = path.stat()
            modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
            files.append({"name": name, "sha256": sha, "size": stat.st_size, "modified": modified})
    return files
