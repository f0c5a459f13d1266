"""One Chinese word for one thing across every catalog and template, so the pages never call it two names."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
#: The term to use, and the synonyms that must not appear beside it.
TERMS = {"电子邮箱": ["电子邮件", "电邮", "邮件地址"]}


def chinese_texts() -> list[Path]:
    """The Chinese catalogs of every area and the templates (which may hold Chinese text too)."""
    catalogs = sorted((ROOT / "complaints").rglob("translations/zh_Hans/LC_MESSAGES/messages.po"))
    return catalogs + sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize(("term", "synonym"), [(t, s) for t, synonyms in TERMS.items() for s in synonyms])
def test_the_chinese_text_uses_one_term(term: str, synonym: str) -> None:
    texts = chinese_texts()
    assert len(texts) > 10
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in texts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if synonym in line
    ]
    assert not found, f"{synonym!r} where the pages say {term!r}: {found}"
