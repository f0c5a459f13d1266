"""Shingles, containment and keyed LSH bands of narratives (complaints.core.resemblance)."""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import Counter

from complaints.core import resemblance
from complaints.core.crypto import KeyRing
from tests.data import campaign_corpus

RING = KeyRing(keys={"k1": b"\x01" * 32}, current="k1", index_key=b"\x02" * 32)
OTHER_RING = KeyRing(keys={"k1": b"\x01" * 32}, current="k1", index_key=b"\x03" * 32)
TEMPLATE = "".join(campaign_corpus.TEMPLATE_ZH).format(date="2026年3月1日", amount="5000", platform="快易贷")


def _evasions() -> dict[str, str]:
    sentences = "\n".join(campaign_corpus.TEMPLATE_ZH).format(date="2026年7月9日", amount="12800", platform="快易贷")
    shuffled = sentences.split("\n")
    random.Random(3).shuffle(shuffled)
    reworded = sentences
    for phrase, replacement in campaign_corpus.REWORDINGS_ZH:
        reworded = reworded.replace(phrase, replacement)
    return {
        "substituted": sentences.replace("\n", ""),
        "personal": campaign_corpus.PERSONAL_ZH[0] + sentences.replace("\n", "") + campaign_corpus.PERSONAL_ZH[1],
        "shuffled": "".join(shuffled),
        "reworded": reworded.replace("\n", ""),
        "spelling": sentences.replace("\n", "").replace("快易贷", "KuaiYiDai"),
    }


def test_numbers_count_as_one_unit_and_full_width_text_as_its_ascii_form() -> None:
    assert resemblance.units("借款５０００元 on 3 May") == ["借", "款", "0", "元", "on", "0", "may"]
    assert resemblance.shingles("") == set()
    assert resemblance.shingles("催收") == {"催\x1f收"}


def test_every_cheap_evasion_keeps_the_story_and_shares_a_band() -> None:
    bands = resemblance.band_codes(RING, TEMPLATE)
    assert len(bands) == resemblance.BANDS
    for name, text in _evasions().items():
        assert resemblance.similarity(TEMPLATE, text) >= resemblance.CONTAINMENT, name
        assert bands & resemblance.band_codes(RING, text), name


def test_independent_stories_about_the_same_collector_are_apart() -> None:
    stories = [
        text.format(platform="快易贷", phone=campaign_corpus.COLLECTOR_PHONE) for text in campaign_corpus.GENUINE
    ]
    for index, story in enumerate(stories):
        for other in stories[index + 1 :]:
            assert resemblance.similarity(story, other) < resemblance.CONTAINMENT / 2


def test_bands_depend_on_the_index_key() -> None:
    """Without the key, nobody can compute a guessed text's bands and look them up in the database."""
    assert resemblance.band_codes(RING, TEMPLATE) == resemblance.band_codes(RING, TEMPLATE)
    assert not resemblance.band_codes(RING, TEMPLATE) & resemblance.band_codes(OTHER_RING, TEMPLATE)


def test_codes_fit_a_signed_32_bit_column() -> None:
    assert all(-(2**31) <= code < 2**31 for code in resemblance.band_codes(RING, TEMPLATE))
    assert resemblance.band_codes(RING, "，。！") == set()


def _clusters_under(ring: KeyRing) -> tuple[dict[str, float], float]:
    """Per batch, the share of members in its largest cluster, and the share of genuine complaints tied to any,
    when narratives tie by a shared band checked by containment (the other signals as the casework has them)."""
    corpus = campaign_corpus.build()
    pieces = [resemblance.shingles(f.narrative) for f in corpus]
    bands = [resemblance.band_codes(ring, f.narrative) for f in corpus]
    links: dict[int, set[int]] = {i: set() for i in range(len(corpus))}
    for i, j in itertools.combinations(range(len(corpus)), 2):
        story = bool(bands[i] & bands[j]) and resemblance.containment(pieces[i], pieces[j]) >= resemblance.CONTAINMENT
        same_file = bool(set(corpus[i].evidence) & set(corpus[j].evidence))
        if story or same_file or corpus[i].contact_phone == corpus[j].contact_phone:
            links[i].add(j)
            links[j].add(i)
    root: dict[int, int] = {}
    for start in links:
        stack = [start]
        while stack:
            node = stack.pop()
            if node not in root:
                root[node] = start
                stack.extend(links[node] - root.keys())
    recall = {}
    for group in ("campaign-zh", "campaign-en"):
        members = [i for i, f in enumerate(corpus) if f.group == group]
        recall[group] = Counter(root[i] for i in members).most_common(1)[0][1] / len(members)
    genuine = [i for i, f in enumerate(corpus) if f.group == "genuine"]
    return recall, sum(1 for i in genuine if links[i]) / len(genuine)


def test_recall_and_false_positives_hold_whatever_the_index_key() -> None:
    """The bands depend on the key, so the corpus is tried under forty keys, not one: every batch
    at ≥ 95 % in one cluster, at most 5 % of genuine complaints tied (the first band choice, 21 × 3,
    fell to 80 % on the English batch under some keys)."""
    for n in range(40):
        key = hashlib.sha256(f"corpus-key-{n}".encode()).digest()
        recall, false_positive = _clusters_under(KeyRing(keys={"k1": b"\x01" * 32}, current="k1", index_key=key))
        assert min(recall.values()) >= 0.95, (n, recall)
        assert false_positive <= 0.05, (n, false_positive)
