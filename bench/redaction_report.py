"""Print the redaction detector's per-kind recall and precision on the synthetic corpus.

Run from the repository root: ``.venv/bin/python bench/redaction_report.py [--misses]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.redaction_scoring import KINDS, combined, load_corpus, score_corpus, table


def main() -> None:
    """Score the corpus and print the table (and, with --misses, every miss and false alarm)."""
    rows = load_corpus()
    started = time.perf_counter()
    scores = score_corpus(rows)
    elapsed = time.perf_counter() - started
    details = sum(score.planted for score in scores.values())
    print(f"redaction corpus: {len(rows)} narratives, {details} planted details")
    print(table(scores))
    print(f"scored in {elapsed:.1f} s (includes loading jieba once)")
    if "--misses" in sys.argv:
        everything = combined(scores, KINDS)
        for kind in KINDS:
            for miss in scores[kind].missed:
                print(f"missed   {kind:<10} {miss}")
            for alarm in scores[kind].spurious:
                print(f"spurious {kind:<10} {alarm}")
        print(f"{len(everything.missed)} missed, {len(everything.spurious)} spurious")


if __name__ == "__main__":
    main()
