"""Small counts are hidden, and no hidden count can be worked out from the totals beside it."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from complaints.statistics.suppression import Hidden, published, share, suppress_table

K = 5


def test_a_count_below_k_is_shown_as_less_than_k() -> None:
    assert published(3, K).text == "<5"
    assert published(0, K).text == "0"
    assert published(5, K).text == "5"


def test_one_small_cell_beside_a_total_takes_a_second_cell_with_it() -> None:
    table = suppress_table({("a", "x"): 3, ("a", "y"): 10, ("a", "z"): 20}, ["a"], ["x", "y", "z"], k=K)
    assert table.get(("a", "x")).hidden is Hidden.PRIMARY
    assert table.get(("a", "y")).hidden is Hidden.COMPLEMENTARY
    assert table.get(("a", "z")).text == "20"
    assert table.get(("row", "a")).text == "33"


def test_a_share_is_withheld_when_it_would_reveal_a_small_count() -> None:
    assert share(2, 100, K) is None
    assert share(98, 100, K) is None
    assert share(50, 100, K) == 0.5


def recoverable(members: list[int], hidden: list[bool], reasons: list[Hidden | None], total: int) -> bool:
    """Brute force: could the public pin one hidden member, knowing the total and the bounds?"""
    slots = [i for i, h in enumerate(hidden) if h]
    if not slots:
        return False
    rest = total - sum(v for v, h in zip(members, hidden, strict=True) if not h)
    ranges = []
    for i in slots:
        if reasons[i] is Hidden.PRIMARY:
            ranges.append(range(1, K))
        else:
            ranges.append(range(K if members[i] >= K else 1, rest + 1))
    solutions = [combo for combo in itertools.product(*ranges) if sum(combo) == rest]
    return any(len({s[j] for s in solutions}) == 1 for j in range(len(slots)))


@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=3), min_size=1, max_size=3))
def test_no_hidden_cell_can_be_worked_out_from_row_or_column_totals(grid: list[list[int]]) -> None:
    width = max(len(row) for row in grid)
    rows, columns = list(range(len(grid))), list(range(width))
    cells = {(r, c): (grid[r][c] if c < len(grid[r]) else 0) for r in rows for c in columns}
    table = suppress_table(cells, rows, columns, column_totals=True, k=K)
    every = [*cells, *[("row", r) for r in rows], *[("col", c) for c in columns], "total"]
    for key in every:
        shown = table.get(key)
        assert shown.value is None or not 0 < shown.value < K
    lines = [([(r, c) for c in columns], ("row", r)) for r in rows]
    lines += [([(r, c) for r in rows], ("col", c)) for c in columns]
    lines += [([("row", r) for r in rows], "total"), ([("col", c) for c in columns], "total")]
    for members, total in lines:
        if table.get(total).hidden:
            continue
        values = [table.values[m] for m in members]
        reasons = [table.get(m).hidden for m in members]
        assert not recoverable(values, [r is not None for r in reasons], reasons, table.values[total])
