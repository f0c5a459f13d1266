"""The bar chart's rule: a hidden count is drawn at the bound the public knows, never as zero."""

from __future__ import annotations

from complaints.statistics.suppression import Count, Hidden
from complaints.statistics.tables import Row, Table


def _table(*counts: Count) -> Table:
    return Table("by_province", "By province", "Province", [Row(str(i), f"row {i}", c) for i, c in enumerate(counts)])


def test_a_small_count_is_drawn_at_the_most_it_could_be_and_marked() -> None:
    bars = _table(Count(8), Count(None, Hidden.PRIMARY, 5)).bars()
    assert [(b.text, b.length, b.hidden) for b in bars] == [("8", 100.0, None), ("<5", 50.0, Hidden.PRIMARY)]


def test_a_complementary_count_is_drawn_at_the_least_it_could_be() -> None:
    bars = _table(Count(20), Count(None, Hidden.COMPLEMENTARY, 5)).bars()
    assert [(b.text, b.length) for b in bars] == [("20", 100.0), ("—", 25.0)]


def test_a_chart_of_hidden_counts_only_is_not_empty() -> None:
    """The province chart whose every cell is "<5": bars of (k−1)/k, not of zero."""
    bars = _table(Count(None, Hidden.PRIMARY, 5), Count(None, Hidden.PRIMARY, 5)).bars()
    assert [b.length for b in bars] == [80.0, 80.0]


def test_a_withheld_count_and_a_zero_have_no_length_but_only_the_withheld_is_marked() -> None:
    bars = _table(Count(10), Count(0), Count(None, Hidden.WITHHELD, 5)).bars()
    assert [(b.length, b.hidden) for b in bars] == [(100.0, None), (0.0, None), (0.0, Hidden.WITHHELD)]
    assert _table(Count(10), Count(None, Hidden.WITHHELD, 5)).hidden_kinds() == {Hidden.WITHHELD}
