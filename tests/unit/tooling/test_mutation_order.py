"""Under mutation testing the mutated module's own tests run first (tests/mutation_testing.py)."""

from __future__ import annotations

import pytest

from tests.mutation_testing import mutated_module


@pytest.mark.parametrize(
    ("mutant", "module"),
    [
        ("complaints.statistics.rollup.x__touched_ids__mutmut_3", "rollup"),
        ("complaints.statistics.rollup.xǁCountsǁplus__mutmut_1", "rollup"),
        ("complaints.accounts.officers.x_authenticate__mutmut_42", "officers"),
        ("", ""),
        ("stats", ""),
        ("list_all_tests", ""),
    ],
)
def test_the_module_of_the_mutant_under_test(mutant: str, module: str) -> None:
    assert mutated_module(mutant) == module
