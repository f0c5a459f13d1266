"""Print the redaction's per-kind recall and precision on both synthetic corpora, and what it wrongly removes.

Run from the repository root: ``.venv/bin/python bench/redaction_report.py [--misses]``.

The first corpus (``tests/data/redaction_corpus.jsonl``) plants details in the forms the first
detectors knew; the second (``redaction_forms_corpus.jsonl``, issue 10 part 4) plants them as people
really write them, with each narrative's own private values passed as the review queue passes a
complaint's, and marks the non-personal tokens (amounts, dates, times, counts, regulator hotlines,
platform names) that must survive: a finding that touches one is a false removal.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from complaints.publication.redaction import KINDS, find_personal_details
from tests.redaction_scoring import (
    DIRECTORY,
    FORMS_CORPUS,
    FULL_DIRECTORY,
    ID_KINDS,
    combined,
    false_removals,
    form_recall,
    load_corpus,
    score_corpus,
    table,
)


def _first_corpus(misses: bool) -> None:
    """The first corpus, with its platforms kept, as before."""
    rows = load_corpus()
    started = time.perf_counter()
    scores = score_corpus(rows)
    elapsed = time.perf_counter() - started
    details = sum(score.planted for score in scores.values())
    print(f"redaction corpus: {len(rows)} narratives, {details} planted details; keep = its {len(DIRECTORY)} platforms")
    print(table(scores))
    print(f"corpus scored in {elapsed:.1f} s ({elapsed / len(rows) * 1000:.1f} ms a narrative)")
    bare = score_corpus(rows, keep=())["name"]
    print(f"names without keep (heuristics alone): recall {bare.recall:.1%}, precision {bare.precision:.1%}")
    if misses:
        everything = combined(scores, KINDS)
        for kind in KINDS:
            for miss in scores[kind].missed:
                print(f"missed   {kind:<14} {miss}")
            for alarm in scores[kind].spurious:
                print(f"spurious {kind:<14} {alarm}")
        print(f"{len(everything.missed)} missed, {len(everything.spurious)} spurious")


def _forms_corpus(misses: bool) -> None:
    """The corpus of written forms: recall by kind and by form, and the false removals."""
    rows = load_corpus(FORMS_CORPUS)
    started = time.perf_counter()
    scores = score_corpus(rows, FULL_DIRECTORY)
    elapsed = time.perf_counter() - started
    details = sum(score.planted for score in scores.values())
    print()
    print(
        f"written-forms corpus: {len(rows)} narratives, {details} planted details (own values passed as private);"
        f" keep = {len(FULL_DIRECTORY)} platforms"
    )
    print(table(scores))
    print(f"corpus scored in {elapsed:.1f} s ({elapsed / len(rows) * 1000:.1f} ms a narrative)")
    groups = {"numbers and ids": ID_KINDS, "names": ("name",), "addresses": ("address",), "plates": ("plate",)}
    for group, kinds in groups.items():
        score = combined(scores, kinds)
        print(f"{group:<16} recall {score.recall:.1%} ({score.removed}/{score.planted})")
    print()
    print(f"{'kind/form':<34}{'planted':>8}{'removed':>8}{'recall':>9}")
    for form, tally in form_recall(rows).items():
        print(f"{form:<34}{tally.total:>8}{tally.hit:>8}{tally.share:>9.1%}")
        if misses:
            for example in tally.examples:
                print(f"    missed {example}")
    print()
    spared = false_removals(rows)
    print(f"{'non-personal token':<20}{'tokens':>8}{'removed':>8}{'share':>9}")
    for kind, tally in spared.items():
        print(f"{kind:<20}{tally.total:>8}{tally.hit:>8}{tally.share:>9.2%}")
        for example in tally.examples if misses else ():
            print(f"    removed {example}")
    wrong = sum(tally.hit for tally in spared.values())
    total = sum(tally.total for tally in spared.values())
    print(f"{'all':<20}{total:>8}{wrong:>8}{wrong / total if total else 0:>9.2%}")


def main() -> None:
    """Score both corpora and print the tables (with --misses, every miss, false alarm and false removal)."""
    misses = "--misses" in sys.argv
    started = time.perf_counter()
    find_personal_details("催收员张伟打电话")  # loads jieba once
    print(f"jieba loaded in {time.perf_counter() - started:.1f} s")
    _first_corpus(misses)
    _forms_corpus(misses)


if __name__ == "__main__":
    main()
