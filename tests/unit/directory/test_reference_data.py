"""Reference data loads from files, idempotently, and file changes update rows."""

from sqlalchemy import func, select

from complaints.directory import reference_data
from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db
from complaints.models import Regulator, RoutingRule, ViolationType


def test_the_taxonomy_has_the_22_codes_with_both_languages() -> None:
    codes = list(db.session.scalars(select(ViolationType)))
    assert len(codes) == 22
    assert all(v.label_zh and v.label_en and v.explanation_zh and v.explanation_en for v in codes)
    assert db.session.scalar(select(func.count()).select_from(Regulator)) == 7


def test_seeding_twice_changes_nothing_the_second_time() -> None:
    report = seed_reference_data()
    assert (report.created, report.updated) == (0, 0)


def test_a_changed_label_in_the_file_updates_the_row(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    original = reference_data.taxonomy_file()
    changed = {**original, "codes": [dict(c) for c in original["codes"]]}
    changed["codes"][0]["en"] = "Violence (renamed)"
    monkeypatch.setattr(reference_data, "taxonomy_file", lambda: changed)
    report = seed_reference_data()
    assert report.updated == 1
    assert db.session.get(ViolationType, "THR-01").label_en == "Violence (renamed)"


def test_routing_rules_cover_the_suggestions_of_the_domain() -> None:
    rules = {(r.match_type, r.match_value, r.regulator_code) for r in db.session.scalars(select(RoutingRule))}
    assert ("violation", "THR-01", "POLICE") in rules
    assert ("platform_kind", "lending_app", "NIFA") in rules
    assert ("credit_threat", "*", "PBOC") in rules
