"""Loading the reference data files (taxonomy, regulators, routing, provinces) into the database."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import Regulator, RoutingRule, ViolationType

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_yaml(name: str) -> dict[str, Any]:
    """Parse one data file from complaints/data."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@cache
def taxonomy_file() -> dict[str, Any]:
    """The taxonomy file, parsed once per process."""
    return load_yaml("violations.yaml")


def taxonomy_version() -> str:
    """The taxonomy version public datasets name."""
    return str(taxonomy_file()["version"])


def families() -> dict[str, dict[str, str]]:
    """Family prefix → labels in both languages, in display order."""
    return dict(taxonomy_file()["families"])


@dataclass(frozen=True)
class Province:
    """A provincial-level division."""

    code: str
    zh: str
    en: str

    def name(self, language: str) -> str:
        """The name in a language."""
        return self.zh if language.startswith("zh") else self.en


@cache
def provinces() -> tuple[Province, ...]:
    """Every province, in code order."""
    return tuple(Province(str(p["code"]), p["zh"], p["en"]) for p in load_yaml("provinces.yaml")["provinces"])


def province_name(code: str, language: str) -> str:
    """A province's name, or an empty string for an unknown code."""
    return next((p.name(language) for p in provinces() if p.code == code), "")


@dataclass
class SeedReport:
    """How many rows a seeding run created and updated."""

    created: int = 0
    updated: int = 0
    removed: int = 0


def _upsert(instance: Any, values: dict[str, Any], report: SeedReport) -> None:
    changed = False
    for key, value in values.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    if changed:
        report.updated += 1


def seed_violation_types(report: SeedReport) -> None:
    """Create or update the taxonomy from its file."""
    data = taxonomy_file()
    existing = {v.code: v for v in db.session.scalars(select(ViolationType))}
    for order, item in enumerate(data["codes"], start=1):
        values = {
            "family": item["code"].split("-")[0],
            "label_zh": item["zh"],
            "label_en": item["en"],
            "explanation_zh": item["explain_zh"],
            "explanation_en": item["explain_en"],
            "grounds": item.get("grounds", ""),
            "taxonomy_version": data["version"],
            "sort_order": order,
            "active": True,
        }
        if item["code"] in existing:
            _upsert(existing[item["code"]], values, report)
        else:
            db.session.add(ViolationType(code=item["code"], **values))
            report.created += 1
    listed = {item["code"] for item in data["codes"]}
    for code, violation in existing.items():
        # Codes dropped from the file are retired, not deleted: old complaints still carry them.
        if code not in listed and violation.active:
            violation.active = False
            report.updated += 1


def seed_regulators(report: SeedReport) -> None:
    """Create or update the regulators from their file."""
    existing = {r.code: r for r in db.session.scalars(select(Regulator))}
    for order, item in enumerate(load_yaml("regulators.yaml")["regulators"], start=1):
        values = {
            "name_zh": item["zh"],
            "name_en": item["en"],
            "jurisdiction_zh": item.get("jurisdiction_zh", ""),
            "jurisdiction_en": item.get("jurisdiction_en", ""),
            "handles_zh": item.get("handles_zh", ""),
            "handles_en": item.get("handles_en", ""),
            "intake_channel": item.get("channel", "hotline"),
            "intake_contact": str(item.get("contact", "")),
            "response_days": int(item.get("response_days", 30)),
            "sort_order": order,
        }
        if item["code"] in existing:
            _upsert(existing[item["code"]], values, report)
        else:
            db.session.add(Regulator(code=item["code"], active=True, **values))
            report.created += 1
    db.session.flush()


def seed_routing_rules(report: SeedReport) -> None:
    """Add the file's routing rules that are missing; rules a supervisor added stay."""
    existing = {(r.match_type, r.match_value, r.regulator_code): r for r in db.session.scalars(select(RoutingRule))}
    for item in load_yaml("routing.yaml")["rules"]:
        key = (item["match"], str(item["value"]), item["regulator"])
        if key in existing:
            _upsert(existing[key], {"note": item.get("note", "")}, report)
        else:
            db.session.add(
                RoutingRule(match_type=key[0], match_value=key[1], regulator_code=key[2], note=item.get("note", ""))
            )
            report.created += 1


def seed_reference_data() -> SeedReport:
    """Load every reference file; running it twice changes nothing the second time."""
    report = SeedReport()
    seed_violation_types(report)
    seed_regulators(report)
    seed_routing_rules(report)
    db.session.flush()
    return report


def active_violation_types() -> list[ViolationType]:
    """The codes offered on the form, in taxonomy order."""
    return list(
        db.session.scalars(
            select(ViolationType).where(ViolationType.active.is_(True)).order_by(ViolationType.sort_order)
        )
    )
