"""Print the redaction detector's per-kind recall and precision on the synthetic corpus.

Run from the repository root: ``.venv/bin/python bench/redaction_report.py [--misses]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from complaints.publication.redaction import find_personal_details
from tests.redaction_scoring import DIRECTORY, KINDS, combined, load_corpus, score_corpus, table


def main() -> None:
    """Score the corpus with its platforms kept, print the table (with --misses, every miss and false alarm)."""
    rows = load_corpus()
    started = time.perf_counter()
    find_personal_details("催收员张伟打电话")  # loads jieba once
    loaded = time.perf_counter()
    scores = score_corpus(rows)
    elapsed = time.perf_counter() - loaded
    details = sum(score.planted for score in scores.values())
    print(f"redaction corpus: {len(rows)} narratives, {details} planted details; keep = its {len(DIRECTORY)} platforms")
    print(table(scores))
    print(
        f"jieba loaded in {loaded - started:.1f} s; corpus scored in {elapsed:.1f} s"
        f" ({elapsed / len(rows) * 1000:.1f} ms a narrative)"
    )
    bare = score_corpus(rows, keep=())["name"]
    print(f"names without keep (heuristics alone): recall {bare.recall:.1%}, precision {bare.precision:.1%}")
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
