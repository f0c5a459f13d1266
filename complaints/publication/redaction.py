"""Redaction of narratives for publication: the one place that decides what is a personal detail."""

from __future__ import annotations

import bisect
import functools
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from complaints.core.clock import local_today
from complaints.publication import names

__all__ = ["KINDS", "Finding", "find_personal_details", "redact_narrative"]

#: What replaces a personal detail, by the language of the published text.
REMOVED_ZH = "[已删除]"
REMOVED_EN = "[removed]"

#: Every kind of personal detail that is found, in the order the detectors claim text.
KINDS = ("email", "url", "wechat_qq", "id_number", "bank_card", "mobile", "landline", "name")


@dataclass(frozen=True)
class Finding:
    """One personal detail in a text: its kind and where it is (``text[start:end]``)."""

    kind: str
    start: int
    end: int


# Full-width ASCII (what Chinese input methods often type) maps one-to-one onto ASCII, so the
# offsets found in the folded text are the offsets in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_TLDS = (
    "com|cn|net|org|top|xyz|vip|cc|io|me|co|info|biz|app|site|shop|club|online|tech|ltd|"
    "wang|link|live|fun|store|asia|hk|tw|mo|edu|gov|test|example"
)
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]"
_URL = re.compile(
    rf"(?:https?://|ftp://){_URL_CHARS}+"
    rf"|(?<![A-Za-z0-9.@\-])(?:www\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+(?:{_TLDS})"
    rf"(?![A-Za-z0-9\-])(?::\d+)?(?:[/?#]{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_WECHAT_QQ = re.compile(
    r"(?P<cue>微信|威信|薇信|V信|v信|VX|vx|Vx|WX|wx|Wx|wechat|WeChat|Wechat|QQ|qq|Qq|扣扣|企鹅|加[vV微薇]"
    r"|(?<![A-Za-z])[vV薇](?=\s*[:：]))"
    r"(?P<marker>(?:\s*(?:号码|账号|号|ID|id|Id|account|number))?\s*(?:是|为|:|：|=|\bis\b)?)\s*"
    r"(?P<id>[A-Za-z0-9][A-Za-z0-9_\-]{4,19})(?![A-Za-z0-9_\-])"
)
# A run of digit groups joined by single separators; which groups form a number is decided later.
_DIGIT_GROUP = re.compile(r"\d+(?:[Xx](?![A-Za-z0-9]))?")
_GROUP_JOIN = re.compile(r"[ \t\-–—()（）]{1,3}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}|[48]00\d{7}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check used by bank card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _plausible_birth(year: int, month: int, day: int) -> bool:
    """Whether a birth date inside an ID number is a real date in the last 130 years."""
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return born.year >= 1890 and born <= local_today()


def _is_id_number(value: str) -> bool:
    """An 18-character ID with a valid region, birth date and check digit, or a 15-digit old one."""
    value = value.upper()
    if value[:1] not in "12345678":
        return False
    if len(value) == 18 and value[:17].isdigit():
        return (
            _plausible_birth(int(value[6:10]), int(value[10:12]), int(value[12:14]))
            and _id_check_character(value[:17]) == value[17]
        )
    if len(value) == 15 and value.isdigit():
        return _plausible_birth(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    return False


def _classify_number(value: str, after_plus: bool) -> str | None:
    """The kind of personal number a run of digits is, or None for amounts, dates and the like."""
    if "X" in value[:-1].upper():
        return None
    national = None
    if after_plus and value.startswith("86"):
        national = value[2:]
    elif value.startswith("0086"):
        national = value[4:]
    elif value.startswith("86") and len(value) == 13 and _MOBILE.fullmatch(value[2:]):
        national = value[2:]
    if national is not None:
        if _MOBILE.fullmatch(national):
            return "mobile"
        if _LANDLINE.fullmatch("0" + national) or _LANDLINE.fullmatch(national):
            return "landline"
        return None
    if not value[-1].isdigit():
        return "id_number" if _is_id_number(value) else None
    if _MOBILE.fullmatch(value):
        return "mobile"
    if _LANDLINE.fullmatch(value):
        return "landline"
    if len(value) in (15, 18) and _is_id_number(value):
        return "id_number"
    if 16 <= len(value) <= 19 and _luhn_valid(value):
        return "bank_card"
    return None


def _digit_runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Groups of digits that touch each other through spaces, dashes or brackets."""
    run: list[re.Match[str]] = []
    for match in _DIGIT_GROUP.finditer(text):
        if run and not _GROUP_JOIN.fullmatch(text[run[-1].end() : match.start()]):
            yield run
            run = []
        run.append(match)
    if run:
        yield run


#: No personal number has more digits than this (a 19-digit card with a +86-style prefix at most).
_MOST_DIGITS = 24


def _numbers_in_run(text: str, run: list[re.Match[str]]) -> Iterator[Finding]:
    """The personal numbers that consecutive groups of one run make up, those of most groups first."""
    candidates: list[tuple[int, int, str]] = []
    for first in range(len(run)):
        value = ""
        for last in range(first, len(run)):
            value += run[last].group()
            if len(value) > _MOST_DIGITS:
                break
            after_plus = run[first].start() > 0 and text[run[first].start() - 1] == "+"
            kind = _classify_number(value, after_plus)
            if kind is not None:
                candidates.append((first, last, kind))
    taken: set[int] = set()
    for first, last, kind in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if taken.intersection(range(first, last + 1)):
            continue
        taken.update(range(first, last + 1))
        yield _number_span(text, run[first].start(), run[last].end(), kind)


def _number_span(text: str, start: int, end: int, kind: str) -> Finding:
    """A number's finding, with its leading + and the brackets around an area code included."""
    if start > 0 and text[start - 1] == "+":
        start -= 1
    if text[start - 1 : start] in ("(", "（"):
        if text[end : end + 1] in (")", "）"):
            end += 1
        if any(bracket in text[start - 1 : end] for bracket in (")", "）")):
            start -= 1
    return Finding(kind, start, end)


def _number_findings(text: str) -> Iterator[Finding]:
    """Mobile and landline numbers, ID numbers and bank card numbers, however they are spaced."""
    for run in _digit_runs(text):
        yield from _numbers_in_run(text, run)


def _pattern_findings(text: str) -> Iterator[Finding]:
    """E-mail addresses, URLs and WeChat or QQ ids introduced as such, in that order of claim."""
    for match in _EMAIL.finditer(text):
        yield Finding("email", match.start(), match.end())
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?')]":
            end -= 1
        if "." in text[match.start() : end]:
            yield Finding("url", match.start(), end)
    for match in _WECHAT_QQ.finditer(text):
        # "WeChat messages" is English, "WeChat: zhangwei" or "微信zhangwei" is an id.
        spaced = match.start("id") > match.end("cue") and not match.group("marker").strip()
        if spaced and match.group("id").isalpha() and match.group("cue").isascii():
            continue
        yield Finding("wechat_qq", match.start("id"), match.end("id"))


def _mask(text: str, findings: list[Finding]) -> str:
    """The text with claimed spans blanked out, so later detectors cannot claim them again."""
    chars = list(text)
    for finding in findings:
        chars[finding.start : finding.end] = " " * (finding.end - finding.start)
    return "".join(chars)


def _claim(accepted: list[Finding], candidates: Iterable[Finding]) -> None:
    """Add the candidates that overlap nothing already accepted (kept sorted, so long texts stay fast)."""
    spans = sorted((finding.start, finding.end) for finding in accepted)
    starts = [start for start, _ in spans]
    for candidate in candidates:
        if candidate.end <= candidate.start:
            continue
        place = bisect.bisect_right(starts, candidate.start)
        if place > 0 and spans[place - 1][1] > candidate.start:
            continue
        if place < len(spans) and spans[place][0] < candidate.end:
            continue
        spans.insert(place, (candidate.start, candidate.end))
        starts.insert(place, candidate.start)
        accepted.append(candidate)


_tagger_lock = threading.Lock()
_tagger_cache: list[Any] = []


def _tagger() -> Any:
    """jieba's part-of-speech tagger with our dictionary additions, loaded once and quietly."""
    with _tagger_lock:
        if not _tagger_cache:
            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word in names.NOT_NAMES:
                tokenizer.add_word(word, freq=100_000, tag="nz")
            _tagger_cache.append(jieba.posseg.POSTokenizer(tokenizer))
        return _tagger_cache[0]


#: Directory names shorter than this are ignored: one character would blank out parts of real names.
_SHORTEST_KEPT = 2


@functools.lru_cache(maxsize=8)
def _keep_pattern(keep: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the names to keep, longest first; Latin names match whole words, in any case."""
    alternatives = []
    for name in sorted(keep, key=len, reverse=True):
        pattern = re.escape(name)
        if name[0].isascii() and name[0].isalnum():
            pattern = "(?<![A-Za-z0-9])" + pattern
        if name[-1].isascii() and name[-1].isalnum():
            pattern += "(?![A-Za-z0-9])"
        alternatives.append(pattern)
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _kept_spans(folded: str, keep: Iterable[str]) -> list[Finding]:
    """Where the names to keep (platforms and collectors of the directory) occur in the folded text."""
    names_to_keep = {name.strip().translate(_FOLD) for name in keep}
    pattern = _keep_pattern(tuple(sorted(name for name in names_to_keep if len(name) >= _SHORTEST_KEPT)))
    if pattern is None:
        return []
    return [Finding("kept", match.start(), match.end()) for match in pattern.finditer(folded)]


def find_personal_details(text: str, keep: Iterable[str] = ()) -> list[Finding]:
    """Every personal detail in a narrative, in reading order, none overlapping another.

    ``keep`` names known platforms and collectors (the directory's): they are never taken for
    personal names. Numbers, addresses and ids are found first, so a kept name cannot shield them.
    """
    folded = text.translate(_FOLD)
    accepted: list[Finding] = []
    _claim(accepted, _pattern_findings(folded))
    _claim(accepted, _number_findings(_mask(folded, accepted)))
    masked = _mask(folded, accepted + _kept_spans(folded, keep))
    name_spans = names.name_spans(masked, _tagger())
    _claim(accepted, (Finding("name", start, end) for start, end in name_spans))
    return sorted(accepted, key=lambda finding: finding.start)


def redact_narrative(text: str, language: str = "zh_Hans", keep: Iterable[str] = ()) -> str:
    """The narrative with every personal detail replaced by ``[已删除]`` or ``[removed]``.

    ``keep`` names known platforms and collectors that must stay readable (see ``find_personal_details``).
    """
    marker = REMOVED_ZH if language.lower().startswith("zh") else REMOVED_EN
    pieces: list[str] = []
    position = 0
    for finding in find_personal_details(text, keep):
        pieces.append(text[position : finding.start])
        pieces.append(marker)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
