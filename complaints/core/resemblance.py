"""Near-duplicate narratives that survive shuffling, insertions, rewording and new spellings.

In core because the models compute the band codes with their other blind indexes; casework
(complaints.casework.duplicates) reads them to suggest duplicates and campaigns.

A narrative is cut into *shingles*: runs of three units, where a unit is one Chinese character or
one Latin word, and every number counts as the same unit (agents change the amounts, dates and
names of a template; the rest stays). Shuffled sentences keep almost all their shingles, two added
sentences add a few, seven rewordings change a part: the share of shingles two texts have in
common (their containment) stays high for a template's copies and low for stories told
independently, even about the same collector (measured on tests/data/campaign_corpus.py).

Comparing a new complaint with every other one would not scale, so each narrative gets a MinHash
signature (`datasketch`) cut into LSH bands: two narratives whose shingle sets overlap enough
share at least one band with high probability, and the `narrative_bands` table finds them by an
indexed look-up of the new complaint's band codes. The few candidates are then checked exactly.

Narratives are encrypted at rest, so the signature is computed from the plaintext when the
narrative is written (and by `flask rotate-key --rebuild-index` for existing rows), and only the
band codes are stored. Every shingle is hashed with a keyed BLAKE2b whose key comes from the
ring's index key: without that key, nobody holding the database can compute the bands of a
guessed text to test whether someone complained with it. The codes say only which complaints
resemble each other, which is what officers need.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from complaints.core.crypto import KeyRing

#: Units of a shingle: a CJK character, a run of letters, or a run of digits.
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\d_]+|\d+", re.UNICODE)
#: Units per shingle (3 separated the corpus best: genuine pairs ≤ 0.13 containment, copies ≥ 0.6).
SHINGLE = 3
#: Permutations of the MinHash signature.
NUM_PERM = 48
#: The Jaccard similarity around which LSH makes two narratives candidates (datasketch chooses the bands).
LSH_THRESHOLD = 0.3
#: How datasketch weighs a false candidate against a missed one when it chooses the bands: a missed
#: copy costs an officer a campaign, a false candidate only an exact check that discards it.
LSH_WEIGHTS = (0.2, 0.8)
#: Share of the smaller narrative's shingles found in the other: above this, the two tell one story.
CONTAINMENT = 0.4

_LSH = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
#: Bands of the signature and rows per band: 24 × 2 for the values above, which makes two narratives
#: of Jaccard similarity 0.35 candidates with probability 0.957, of 0.45 with 0.996, and two
#: unrelated ones (0.03) with 0.021. (The first choice, 64 permutations in 21 bands of 3, missed
#: reworded English copies, Jaccard about 0.45, in one suite run of several: 0.87 a pair.)
BANDS, ROWS = _LSH.b, _LSH.r
#: datasketch's permutation scheme, named so that a new default in a later release cannot change the
#: stored codes unnoticed (after changing it, or NUM_PERM, run `flask rotate-key --rebuild-index`).
SCHEME = "affine32"
#: The signature's random permutations (datasketch's, from its fixed seed), drawn once rather than per text.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def units(text: str) -> list[str]:
    """The text's units after compatibility normalisation and case folding; numbers become '0'."""
    form = unicodedata.normalize("NFKC", text).casefold()
    return ["0" if unit.isdigit() else unit for unit in _UNIT.findall(form)]


def shingles(text: str) -> set[str]:
    """The distinct runs of SHINGLE units (a shorter text is one shingle; an empty one none)."""
    found = units(text)
    if not found:
        return set()
    return {"\x1f".join(found[i : i + SHINGLE]) for i in range(max(1, len(found) - SHINGLE + 1))}


def containment(first: set[str], second: set[str]) -> float:
    """The share of the smaller set found in the other (0 when either is empty)."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def similarity(first: str, second: str) -> float:
    """How much of the shorter narrative the other one repeats, from 0 to 1."""
    return containment(shingles(first), shingles(second))


@lru_cache(maxsize=8)
def _shingle_key(index_key: bytes) -> bytes:
    return hmac.new(index_key, b"narrative-minhash", hashlib.sha256).digest()


def signature(ring: KeyRing, pieces: Iterable[str]) -> MinHash:
    """The keyed MinHash of a set of shingles."""
    key = _shingle_key(ring.index_key)

    def keyed(data: bytes) -> int:
        return int.from_bytes(hashlib.blake2b(data, digest_size=4, key=key).digest(), "little")

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=keyed, permutations=_PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch([piece.encode() for piece in pieces])
    return minhash


def band_codes(ring: KeyRing, text: str) -> set[int]:
    """The LSH band codes of a narrative (32-bit, signed, one per band): what narrative_bands holds for it."""
    pieces = shingles(text)
    if not pieces:
        return set()
    values = signature(ring, pieces).hashvalues
    codes = set()
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "big") + chunk, digest_size=4).digest()
        codes.add(int.from_bytes(digest, "big", signed=True))
    return codes
