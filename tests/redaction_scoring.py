"""Scoring the redaction detector on the synthetic corpus: per-kind recall and precision."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from complaints.publication.private_values import PrivateValues
from complaints.publication.redaction import KINDS, Finding, find_personal_details
from tests.data import make_redaction_forms_corpus as forms_corpus
from tests.data.make_redaction_corpus import EN_PLATFORMS, PLATFORMS

CORPUS = Path(__file__).parent / "data" / "redaction_corpus.jsonl"
#: The corpus of written forms (issue 10 part 4), written after its detectors, with its own seed.
FORMS_CORPUS = forms_corpus.OUT
#: Kinds held to the 98% recall bar together; names have their own bar.
NUMBER_KINDS = ("mobile", "landline", "id_number", "bank_card", "email", "url", "wechat_qq")
#: Numbers and ids of every sort, the complaint's loan reference and licence plates included (bar: 99%).
ID_KINDS = (*NUMBER_KINDS, "loan_reference", "plate")
#: The corpus's invented platforms, passed as ``keep`` the way the app passes its directory's names.
DIRECTORY = (*PLATFORMS, *EN_PLATFORMS)
#: Both corpora's platforms.
FULL_DIRECTORY = (*DIRECTORY, *forms_corpus.PLATFORMS)


@dataclass
class KindScore:
    """Counts for one kind: planted, planted and fully removed, found, found and really planted."""

    planted: int = 0
    removed: int = 0
    found: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of planted details that the redaction removes completely."""
        return self.removed / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        """Share of findings that cover a planted detail (and not an amount, date or platform)."""
        return self.correct / self.found if self.found else 1.0


def load_corpus(path: Path = CORPUS) -> list[dict[str, object]]:
    """The narratives of the corpus, one dict each."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def private_of(row: dict[str, object]) -> PrivateValues | None:
    """The complaint's own values of a corpus row, as the review queue passes them, if the row has any."""
    values = row.get("private")
    return PrivateValues.of(**values) if isinstance(values, dict) else None


def findings_of(row: dict[str, object], keep: tuple[str, ...]) -> list[Finding]:
    """What the redaction finds in a row, with the row's own values passed as the app passes a complaint's."""
    return find_personal_details(str(row["text"]), keep, private_of(row))


def score_corpus(rows: list[dict[str, object]], keep: Iterable[str] = DIRECTORY) -> dict[str, KindScore]:
    """Per-kind scores: a planted detail counts as removed when one finding covers all of it."""
    keep = tuple(keep)
    scores = {kind: KindScore() for kind in KINDS}
    for row in rows:
        text = str(row["text"])
        planted = [
            (str(d["kind"]), int(d["start"]), int(d["start"]) + len(str(d["text"])))
            for d in row["details"]  # type: ignore[attr-defined]
        ]
        findings = findings_of(row, keep)
        for kind, start, end in planted:
            scores[kind].planted += 1
            if any(f.start <= start and end <= f.end for f in findings):
                scores[kind].removed += 1
            else:
                scores[kind].missed.append(f"#{row['id']} {text[start:end]!r}")
        for finding in findings:
            scores[finding.kind].found += 1
            if any(finding.start < end and start < finding.end for _, start, end in planted):
                scores[finding.kind].correct += 1
            else:
                scores[finding.kind].spurious.append(f"#{row['id']} {text[finding.start : finding.end]!r}")
    return scores


def combined(scores: dict[str, KindScore], kinds: tuple[str, ...]) -> KindScore:
    """One score adding up several kinds."""
    total = KindScore()
    for kind in kinds:
        total.planted += scores[kind].planted
        total.removed += scores[kind].removed
        total.found += scores[kind].found
        total.correct += scores[kind].correct
        total.missed += scores[kind].missed
        total.spurious += scores[kind].spurious
    return total


def table(scores: dict[str, KindScore]) -> str:
    """A plain-text table of the scores, one kind a line, then the two groups the bars apply to."""
    lines = [f"{'kind':<16}{'planted':>8}{'removed':>8}{'recall':>9}{'found':>8}{'correct':>8}{'precision':>10}"]
    rows = [(kind, scores[kind]) for kind in KINDS]
    rows += [("numbers+ids", combined(scores, NUMBER_KINDS)), ("all", combined(scores, KINDS))]
    for name, score in rows:
        lines.append(
            f"{name:<16}{score.planted:>8}{score.removed:>8}{score.recall:>9.1%}"
            f"{score.found:>8}{score.correct:>8}{score.precision:>10.1%}"
        )
    return "\n".join(lines)


@dataclass
class Tally:
    """How many of something there were, and how many the redaction got wrong or right."""

    total: int = 0
    hit: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """``hit`` as a share of ``total``."""
        return self.hit / self.total if self.total else 0.0


def form_recall(rows: list[dict[str, object]], keep: Iterable[str] = FULL_DIRECTORY) -> dict[str, Tally]:
    """Recall by written form (``chinese_yao``, ``spaced``, ``own_given`` …): planted, and removed whole."""
    keep = tuple(keep)
    tallies: dict[str, Tally] = {}
    for row in rows:
        findings = findings_of(row, keep)
        for detail in row["details"]:  # type: ignore[attr-defined]
            start = int(detail["start"])
            end = start + len(str(detail["text"]))
            tally = tallies.setdefault(f"{detail['kind']}/{detail.get('form', '')}", Tally())
            tally.total += 1
            if any(f.start <= start and end <= f.end for f in findings):
                tally.hit += 1
            else:
                tally.examples.append(f"#{row['id']} {detail['text']!r}")
    return dict(sorted(tallies.items()))


def false_removals(rows: list[dict[str, object]], keep: Iterable[str] = FULL_DIRECTORY) -> dict[str, Tally]:
    """Non-personal tokens (amounts, dates, times, counts, hotlines, platforms) that a finding touches, by kind."""
    keep = tuple(keep)
    tallies: dict[str, Tally] = {}
    for row in rows:
        findings = findings_of(row, keep)
        for token in row.get("sparing", ()):  # type: ignore[attr-defined]
            start = int(token["start"])
            end = start + len(str(token["text"]))
            tally = tallies.setdefault(str(token["kind"]), Tally())
            tally.total += 1
            if any(f.start < end and start < f.end for f in findings):
                tally.hit += 1
                tally.examples.append(f"#{row['id']} {token['text']!r}")
    return dict(sorted(tallies.items()))
