"""Whether the suite runs under mutation testing (`make mutation`), whose copy of the package is rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UNDER_MUTATION = "MUTANT_UNDER_TEST" in os.environ or Path.cwd().name == "mutants"

#: For tests that read the package's source as text: mutmut rewrites every function of it.
reads_the_source = pytest.mark.skipif(UNDER_MUTATION, reason="reads the source, which mutation testing rewrites")
