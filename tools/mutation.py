"""Mutation testing of the rule modules: run mutmut, then print and record the score of each module.

Usage: ``python tools/mutation.py [PATTERN ...]`` (mutmut mutant-name globs, e.g.
``"complaints.statistics.periods*"``; none runs every module of ``[tool.mutmut] only_mutate``).
The scores go to ``bench/results/mutation-<date>-<commit>.md``. A module's score is
killed ÷ (all mutants − the ones listed as equivalent in ``tools/equivalent_mutants.txt``).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import subprocess  # nosec B404  # fixed argument lists, never a shell
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
EQUIVALENT = ROOT / "tools" / "equivalent_mutants.txt"


def equivalent_mutants() -> set[str]:
    """Mutant names judged equivalent (no test can tell them apart), one per line, '#' comments."""
    if not EQUIVALENT.exists():
        return set()
    names = set()
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def module_of(mutant: str) -> str:
    """``complaints.statistics.periods.x_parse__mutmut_3`` → ``complaints.statistics.periods``."""
    head = mutant.split("__mutmut_", 1)[0]
    parts = head.split(".")
    # the last part is the mangled function name (x_name or xǁClassǁmethod)
    return ".".join(parts[:-1])


def scores(statuses: dict[str, str], equivalent: set[str]) -> list[tuple[str, int, int, int, int]]:
    """(module, killed, survived and other, equivalent, score %) for each module."""
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses.items():
        key = "equivalent" if name in equivalent else status
        by_module[module_of(name)][key] += 1
    rows = []
    for module, counts in sorted(by_module.items()):
        killed = counts["killed"] + counts["caught by type check"] + counts["timeout"]
        equivalents = counts["equivalent"]
        total = sum(counts.values()) - equivalents
        rows.append((module, killed, total - killed, equivalents, round(100 * killed / total) if total else 100))
    return rows


def read_statuses() -> dict[str, str]:
    """Every mutant's status from ``mutmut results --all true``."""
    command = [*MUTMUT, "results", "--all", "true"]
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603  # nosec B603
    statuses = {}
    for line in out.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status
    return statuses


def main(patterns: list[str]) -> int:
    """Run mutmut on the patterns, then write the score table."""
    run = subprocess.run([*MUTMUT, "run", *patterns], cwd=ROOT, check=False)  # noqa: S603  # nosec B603
    statuses = {
        name: status
        for name, status in read_statuses().items()
        if not patterns or any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
    }
    unchecked = sorted({module_of(name) for name, status in statuses.items() if status == "not checked"})
    if run.returncode != 0 or unchecked:
        # mutmut stops before running mutants when a test fails on the unmutated code: no score then.
        print(f"mutmut did not run every mutant (exit {run.returncode}; not checked: {', '.join(unchecked)})")
        return 1
    rows = scores(statuses, equivalent_mutants())
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603  # nosec
    lines = [
        f"# Mutation scores, {dt.date.today().isoformat()}, commit {commit}",
        "",
        "| module | killed | survived | equivalent | score |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| `{m}` | {k} | {s} | {e} | {p} % |" for m, k, s, e, p in rows),
        "",
        "Survivors: `mutmut results`; one in full: `mutmut show NAME`.",
    ]
    table = "\n".join(lines)
    print(table)
    out = ROOT / "bench" / "results" / f"mutation-{dt.date.today().isoformat()}-{commit}.md"
    out.write_text(table + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
