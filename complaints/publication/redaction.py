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
from complaints.publication import names, places
from complaints.publication.numerals import DIGITS, FULL_WIDTH, fold_numerals
from complaints.publication.private_values import PrivateValues, private_spans

__all__ = [
    "KINDS",
    "Finding",
    "PrivateValues",
    "every_hit",
    "find_personal_details",
    "mask_private_values",
    "redact_narrative",
]

#: What replaces a personal detail, by the language of the published text.
REMOVED_ZH = "[已删除]"
REMOVED_EN = "[removed]"

#: Every kind of personal detail that is found, in the order the detectors claim text.
#: The complaint's own values are claimed before all of them; ``loan_reference`` is only ever one of those.
KINDS = (
    "email",
    "url",
    "wechat_qq",
    "id_number",
    "bank_card",
    "mobile",
    "landline",
    "plate",
    "address",
    "loan_reference",
    "name",
)


@dataclass(frozen=True)
class Finding:
    """One personal detail in a text: its kind and where it is (``text[start:end]``)."""

    kind: str
    start: int
    end: int
    #: Whether this is one of the complaint's own values (its contact name, phone …), not a guess.
    private: bool = False


# Full-width ASCII (what Chinese input methods often type) maps one-to-one onto ASCII, so the
# offsets found in the folded text are the offsets in the original.
_FOLD = FULL_WIDTH

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
# A run of digit groups joined by separators; which groups form a number is decided later. Spaces,
# dashes and brackets join any number; dots, commas and slashes (138，0013，8000) only a phone or an ID,
# since lists of amounts and dates are written that way too.
_DIGIT_GROUP = re.compile(r"\d+(?:[Xx](?![A-Za-z0-9]))?")
_GROUP_JOIN = re.compile(r"[ \t\-–—()（）]{1,3}")
_WIDE_JOIN = re.compile(r"[ \t\-–—()（）.,，、·/_~]{1,3}")
_WIDE_KINDS = frozenset(("mobile", "id_number"))
# A mobile number split by a few words (138，后面是0013 8000; 1380013，尾号8000). Neither part may be
# an amount or a count (150元，还了2000 3000), a sentence's end separates, and so does blank space
# alone (four spaces split a number, as they always did: see _GROUP_JOIN).
_UNITS_AFTER = "元块次个天月年号点分岁万千百期倍%"
_SPLIT_MOBILE = re.compile(
    rf"(?<![0-9])(?:1[3-9][0-9]|1[3-9][0-9]{{5}})(?![0-9{_UNITS_AFTER}])[^0-9。！？!?\n]{{1,6}}?"
    rf"(?<![0-9])(?:[0-9]{{4}}[ \-]?[0-9]{{4}}|[0-9]{{4}})(?![0-9{_UNITS_AFTER}])"
)
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


@dataclass(frozen=True)
class _Group:
    """Consecutive digits of a folded text, and whether a wide separator (a comma, a dot) comes before them."""

    start: int
    end: int
    wide: bool = False


def _digit_runs(text: str) -> Iterator[list[_Group]]:
    """Groups of digits that touch each other through spaces, dashes, brackets, dots or commas."""
    run: list[_Group] = []
    for match in _DIGIT_GROUP.finditer(text):
        gap = text[run[-1].end : match.start()] if run else ""
        if run and not _WIDE_JOIN.fullmatch(gap):
            yield run
            run = []
        run.append(_Group(match.start(), match.end(), bool(run) and not _GROUP_JOIN.fullmatch(gap)))
    if run:
        yield run


#: No personal number has more digits than this (a 19-digit card with a +86-style prefix at most).
_MOST_DIGITS = 24
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _trimmed(original: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A number's span, then the span without a Chinese 一 at either end that begins or ends a word (一天, 打一)."""
    yield start, end
    if original[end - 1] == "一" and _HAN_CHAR.match(original, end) and original[end : end + 1] not in DIGITS:
        yield start, end - 1
    if (
        original[start] == "一"
        and start > 0
        and _HAN_CHAR.match(original[start - 1])
        and original[start - 1] not in DIGITS
    ):
        yield start + 1, end


def _numbers_in_run(text: str, original: str, run: list[_Group]) -> Iterator[Finding]:
    """The personal numbers that consecutive groups of one run make up, those of most groups first."""
    candidates: list[tuple[int, int, int, int, str]] = []
    for first in range(len(run)):
        wide = False
        digits = 0
        for last in range(first, len(run)):
            wide = wide or (last > first and run[last].wide)
            digits += run[last].end - run[last].start
            if digits > _MOST_DIGITS + 1:  # one more for a Chinese 一 that may be cut off
                break
            for start, end in _trimmed(original, run[first].start, run[last].end):
                value = "".join(text[max(group.start, start) : min(group.end, end)] for group in run[first : last + 1])
                if not value or len(value) > _MOST_DIGITS:
                    continue
                after_plus = start > 0 and text[start - 1] == "+"
                kind = _classify_number(value, after_plus)
                if kind is not None and (not wide or kind in _WIDE_KINDS):
                    candidates.append((first, last, start, end, kind))
                    break
    taken: set[int] = set()
    for first, last, start, end, kind in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if taken.intersection(range(first, last + 1)):
            continue
        taken.update(range(first, last + 1))
        yield _number_span(text, start, end, kind)


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


def _number_findings(text: str, original: str) -> Iterator[Finding]:
    """Mobile and landline numbers, ID numbers and bank card numbers, however they are spaced or written.

    ``text`` is the folded text with earlier findings blanked out; ``original`` is what was written.
    """
    digits = fold_numerals(text)
    for run in _digit_runs(digits):
        yield from _numbers_in_run(digits, original, run)
    for match in _SPLIT_MOBILE.finditer(digits):
        between = "".join(char for char in match.group() if not char.isdigit())
        if len(match.group()) - len(between) == 11 and between.strip(" -"):
            yield Finding("mobile", match.start(), match.end())


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


def _longest_first(candidates: Iterable[Finding]) -> list[Finding]:
    """Candidates ordered so that of two overlapping ones the longer is claimed (ties: the earlier found)."""
    return sorted(candidates, key=lambda finding: finding.start - finding.end)


def _place_findings(masked: str) -> Iterator[Finding]:
    """Licence plates and addresses in a text whose numbers and links are already blanked out."""
    yield from (Finding("plate", start, end) for start, end in places.plate_spans(masked))
    yield from (Finding("address", start, end) for start, end in places.address_spans(masked))


def _details_but_names(folded: str, text: str) -> list[Finding]:
    """E-mails, links, messaging ids, numbers, plates and addresses: what no kept name may shield."""
    accepted: list[Finding] = []
    _claim(accepted, _pattern_findings(folded))
    _claim(accepted, _number_findings(_mask(folded, accepted), text))
    _claim(accepted, _longest_first(_place_findings(_mask(folded, accepted))))
    return accepted


#: How far around a kept name a longer personal name holding it may reach (王建国 around 建国).
_AROUND_KEPT = 6


def _whole_kept_spans(folded: str, accepted: list[Finding], keep: Iterable[str]) -> list[Finding]:
    """Where kept names occur as whole names: 建国 is kept, but not inside the personal name 王建国.

    Names are looked for only a few characters around each kept name, so long narratives stay fast.
    """
    kept = _kept_spans(folded, keep)
    if not kept:
        return []
    masked = _mask(folded, accepted)
    whole: list[Finding] = []
    for span in kept:
        offset = max(0, span.start - _AROUND_KEPT)
        window = masked[offset : span.end + _AROUND_KEPT]
        swallowed = any(
            offset + start <= span.start and span.end <= offset + end and end - start > span.end - span.start
            for start, end in names.name_spans(window, _tagger())
        )
        if not swallowed:
            whole.append(span)
    return whole


def _private_findings(text: str, private: PrivateValues | None) -> list[Finding]:
    """Where the complaint's own values occur (possibly overlapping one another)."""
    if not private:
        return []
    spans = private_spans(text, private, _tagger().tokenizer.FREQ)
    return [Finding(kind, start, end, private=True) for kind, start, end in spans]


def _with_private(accepted: list[Finding], private: list[Finding]) -> list[Finding]:
    """The findings with the complaint's own values added; a value and what it overlaps become one finding."""
    merged: list[Finding] = []
    for finding in sorted(accepted + private, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            last = merged[-1]
            kind = last.kind if last.private or not finding.private else finding.kind
            merged[-1] = Finding(kind, last.start, max(last.end, finding.end), private=last.private or finding.private)
        else:
            merged.append(finding)
    return merged


def find_personal_details(text: str, keep: Iterable[str] = (), private: PrivateValues | None = None) -> list[Finding]:
    """Every personal detail in a narrative, in reading order, none overlapping another.

    ``keep`` names known platforms and collectors (the directory's): they are never taken for
    personal names, but only where they stand as whole names. Numbers, addresses and ids are found
    first, so a kept name cannot shield them. ``private`` are the complaint's own values: every
    occurrence of them is a detail (``private=True``), and swallows whatever it overlaps.
    """
    folded = text.translate(_FOLD)
    accepted = _details_but_names(folded, text)
    masked = _mask(folded, accepted + _whole_kept_spans(folded, accepted, keep))
    name_spans = names.name_spans(masked, _tagger())
    _claim(accepted, _longest_first(Finding("name", start, end) for start, end in name_spans))
    return sorted(_with_private(accepted, _private_findings(text, private)), key=lambda finding: finding.start)


def every_hit(text: str, keep: Iterable[str] = (), private: PrivateValues | None = None) -> list[Finding]:
    """Every span that any detector or private value hits, overlapping, for a reviewer's eyes.

    Beyond ``find_personal_details`` this holds what the automatic pass leaves in: names that a
    kept name shields (and the kept names, as kind ``kept``), and candidates that lost to an
    overlapping one.
    """
    folded = text.translate(_FOLD)
    hits = [*_pattern_findings(folded), *_number_findings(folded, text), *_place_findings(folded)]
    hits += [Finding("name", start, end) for start, end in names.name_spans(folded, _tagger())]
    hits += _kept_spans(folded, keep)
    hits += _private_findings(text, private)
    hits += find_personal_details(text, keep, private)
    return sorted(set(hits), key=lambda finding: (finding.start, -finding.end))


def _replaced(text: str, findings: Iterable[Finding], language: str) -> str:
    """The text with each finding replaced by the marker of its language."""
    marker = REMOVED_ZH if language.lower().startswith("zh") else REMOVED_EN
    pieces: list[str] = []
    position = 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(marker)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_narrative(
    text: str, language: str = "zh_Hans", keep: Iterable[str] = (), private: PrivateValues | None = None
) -> str:
    """The narrative with every personal detail replaced by ``[已删除]`` or ``[removed]``.

    ``keep`` names known platforms and collectors that must stay readable, ``private`` the
    complaint's own values that must go wherever they appear (see ``find_personal_details``).
    """
    return _replaced(text, find_personal_details(text, keep, private), language)


def mask_private_values(text: str, private: PrivateValues, language: str = "zh_Hans") -> str:
    """The text with every occurrence of the complaint's own values replaced, in every written form.

    The values are the complaint's contact name, phone, e-mail, loan reference and the reported
    collector when that is a person (``PrivateValues.of``); nothing else is removed.
    """
    return _replaced(text, _with_private([], _private_findings(text, private)), language)
