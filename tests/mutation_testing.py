"""Whether the suite runs under mutation testing (`make mutation`), whose copy of the package is rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UNDER_MUTATION = "MUTANT_UNDER_TEST" in os.environ or Path.cwd().name == "mutants"

#: For tests that read the package's source as text: mutmut rewrites every function of it.
reads_the_source = pytest.mark.skipif(UNDER_MUTATION, reason="reads the source, which mutation testing rewrites")


def mutated_module(mutant: str) -> str:
    """``complaints.statistics.rollup.x__touched_ids__mutmut_3`` → ``rollup``; "" when no mutant is under test."""
    if "__mutmut_" not in mutant:
        return ""
    return mutant.split("__mutmut_", 1)[0].rsplit(".", 1)[0].rsplit(".", 1)[-1]


def order_for_mutant(items: list[pytest.Item]) -> None:
    """Under a mutant, run the tests of the mutated module first (its rule tests before the others).

    mutmut runs a mutant against every test that reached the mutated function, in no particular order,
    and stops at the first failure (-x). A function the rollup calls on every flush is reached by every
    database test, so a mutant the rule tests kill in a second could otherwise run for minutes first.
    Which tests run, and so every verdict, stays the same; only the order changes.
    """
    module = mutated_module(os.environ.get("MUTANT_UNDER_TEST", ""))
    if module:
        items.sort(key=lambda item: (module not in item.path.stem, "rules" not in item.path.stem))
