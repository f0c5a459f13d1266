"""The translation catalogs are found wherever the catalogs module lives (the build compiles them all)."""

from __future__ import annotations

from pathlib import Path

from complaints.core import catalogs

PACKAGE = Path(__file__).resolve().parents[3] / "complaints"


def test_compiling_writes_a_catalog_for_every_po_file() -> None:
    # After the move to core/ it looked one folder too high and compiled nothing, silently.
    po_files = sorted(PACKAGE.rglob("translations/*/LC_MESSAGES/messages.po"))
    assert len(po_files) >= 3
    assert catalogs.compile_all() == len(po_files)
    assert all(po.with_suffix(".mo").stat().st_size > 0 for po in po_files)


def test_the_untranslated_check_reads_the_catalogs() -> None:
    # An empty answer must mean "all translated", not "no catalog found".
    assert PACKAGE.parent == catalogs.ROOT
    assert list(catalogs.ROOT.glob("complaints/**/translations/zh_Hans/LC_MESSAGES/messages.po"))
