"""The complaint's own private values, found in its narrative however they are written.

The consumer typed their name, phone, e-mail and loan reference into the form, and often again into
the story, in another form: 一三八 0013 八零零零, 郑 丽 华, Zheng Lihua. Those values are known, so
they are looked for directly rather than guessed at, in every written form of a number (ASCII,
full-width, Chinese numerals with 幺 and the financial forms, spaced, split by separators or by a
few words) and every written form of a name (whole, spaced, the given name alone, pinyin).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from complaints.publication import names
from complaints.publication.numerals import FULL_WIDTH, all_digits

#: The most characters that may stand between two digits of one value (138，然后0013，8000).
MOST_BETWEEN = 4
#: Values shorter than this are too common to look for (a reference "3200" is also an amount).
SHORTEST_NUMBER = 7
SHORTEST_REFERENCE = 6
SHORTEST_EMAIL_NAME = 5
#: A given name alone is looked for when it is not an ordinary word this frequent (建国 3083, 国庆 131).
GIVEN_NAME_WORD_FREQUENCY = 100
_MOBILE = re.compile(r"1[3-9]\d{9}")
#: Words that make a reported collector an organisation rather than a person.
_ORGANISATION_WORDS = re.compile(
    r"公司|集团|事务所|律所|中心|科技|金融|银行|资产|管理|催收|平台|商务|咨询|信息|服务|网络|外包|小贷|分期|贷|借|呗"
    r"|\b(?:ltd|limited|co|company|inc|llc|group|law|firm|credit|bank|finance|agency|services?)\b",
    re.IGNORECASE,
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){0,3}")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def is_personal_name(value: str) -> bool:
    """Whether a reported collector name is a person's (潘志刚, 王经理, Li Wei), not a company's."""
    value = value.strip()
    if not value or _ORGANISATION_WORDS.search(value):
        return False
    han = re.sub(r"\s+", "", value)
    if _HAN_NAME.fullmatch(han):
        return names.looks_like_name(han) or names.is_titled_surname(han)
    return _LATIN_NAME.fullmatch(value) is not None


def _phone_forms(phone: str) -> Iterator[str]:
    """The digits of a phone number as it may be written: national, and a landline without its area code."""
    digits = "".join(char for char in all_digits(phone) if char.isdigit() and char.isascii())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            digits = digits[len(prefix) :]
    if len(digits) >= SHORTEST_NUMBER:
        yield digits
    if digits.startswith("0") and not _MOBILE.fullmatch(digits):
        area = 3 if digits[1] in "12" else 4
        if len(digits) - area >= SHORTEST_NUMBER:
            yield digits[area:]


@dataclass(frozen=True)
class PrivateValues:
    """What a complaint itself says about the consumer: names, phone digits, e-mails and loan references."""

    names: tuple[str, ...] = ()
    #: Digits only, in national form (13800138000), with a landline's local number as well.
    phones: tuple[str, ...] = ()
    #: Lower case.
    emails: tuple[str, ...] = ()
    #: Letters (upper case) and digits only.
    references: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        contact_name: str = "",
        contact_phone: str = "",
        contact_email: str = "",
        loan_reference: str = "",
        collector_name: str = "",
    ) -> PrivateValues:
        """The values of one complaint; the reported collector counts only when it names a person."""
        people = [contact_name.strip()]
        if is_personal_name(collector_name):
            people.append(collector_name.strip())
        reference = re.sub(r"[^A-Za-z0-9]", "", loan_reference.translate(FULL_WIDTH)).upper()
        return cls(
            names=tuple(dict.fromkeys(name for name in people if len(re.sub(r"\s+", "", name)) >= 2)),
            phones=tuple(dict.fromkeys(_phone_forms(contact_phone))),
            emails=(contact_email.strip().lower(),) if "@" in contact_email else (),
            references=(reference,) if len(reference) >= SHORTEST_REFERENCE else (),
        )

    def __bool__(self) -> bool:
        return bool(self.names or self.phones or self.emails or self.references)


def _skeleton(text: str, keep: str) -> tuple[str, list[int]]:
    """The characters of a text that a value is made of (``keep``: "digits" or "alnum"), and where each is.

    Characters further apart than ``MOST_BETWEEN`` are separated by a break, so no value spans them.
    """
    folded = all_digits(text).upper()
    chars: list[str] = []
    places: list[int] = []
    for place, char in enumerate(folded):
        if not char.isascii() or not (char.isdigit() or (keep == "alnum" and char.isalpha())):
            continue
        if places and place - places[-1] - 1 > MOST_BETWEEN:
            chars.append("\n")
            places.append(-1)
        chars.append(char)
        places.append(place)
    return "".join(chars), places


def _occurrences(skeleton: str, places: list[int], value: str) -> Iterator[tuple[int, int]]:
    """Every place a value occurs in a skeleton, as a span of the original text."""
    start = skeleton.find(value)
    while start >= 0:
        yield places[start], places[start + len(value) - 1] + 1
        start = skeleton.find(value, start + 1)


def _name_pattern(name: str, frequency: Mapping[str, int]) -> re.Pattern[str] | None:
    """One pattern for every written form of a name: whole or spaced, the given name alone, in pinyin."""
    han = re.sub(r"\s+", "", name)
    alternatives: list[str] = []
    if _HAN_NAME.fullmatch(han):
        alternatives.append(r"\s?".join(map(re.escape, han)))
        surname = names.surname_length(han)
        given = han[surname:]
        if surname and len(given) >= 2 and (frequency.get(given) or 0) < GIVEN_NAME_WORD_FREQUENCY:
            alternatives.append(r"\s?".join(map(re.escape, given)))
        alternatives += _pinyin_alternatives(han[:surname], given) if surname else []
    elif _LATIN_NAME.fullmatch(name.strip()):
        words = name.split()
        alternatives.append(r"(?<![A-Za-z])" + r"[\s\-]+".join(map(re.escape, words)) + r"(?![A-Za-z])")
    if not alternatives:
        return None
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)), re.IGNORECASE)


def _pinyin_alternatives(surname: str, given: str) -> list[str]:
    """Zheng Lihua, Lihua Zheng, Zheng Li Hua, ZhengLihua: the romanised forms of a name."""
    from pypinyin import Style, lazy_pinyin

    family = [re.escape(s) for s in lazy_pinyin(surname, style=Style.NORMAL)]
    own = [re.escape(s) for s in lazy_pinyin(given, style=Style.NORMAL)]
    if not own or not all(s.isalpha() for s in (*family, *own)):
        return []
    join = r"[\s\-']*"
    forward = join.join(family + own)
    backward = join.join(own) + r"[\s\-,]+" + join.join(family)
    return [rf"(?<![A-Za-z])(?:{forward}|{backward})(?![A-Za-z])"]


def private_spans(text: str, values: PrivateValues, frequency: Mapping[str, int]) -> list[tuple[str, int, int]]:
    """Where the complaint's own values occur in a text, as (kind, start, end); spans may overlap.

    ``frequency`` is the word dictionary's frequencies (jieba's), so that a given name that is also an
    ordinary word (建国) is only looked for with its surname.
    """
    found: list[tuple[str, int, int]] = []
    if values.phones or values.references:
        digits, digit_places = _skeleton(text, "digits")
        for phone in values.phones:
            kind = "mobile" if _MOBILE.fullmatch(phone) else "landline"
            found += [(kind, *span) for span in _occurrences(digits, digit_places, phone)]
        alnum, alnum_places = _skeleton(text, "alnum")
        for reference in values.references:
            found += [("loan_reference", *span) for span in _occurrences(alnum, alnum_places, reference)]
            numeric = "".join(char for char in reference if char.isdigit())
            if numeric != reference and len(numeric) >= SHORTEST_NUMBER + 1:
                found += [("loan_reference", *span) for span in _occurrences(digits, digit_places, numeric)]
    folded = text.translate(FULL_WIDTH)
    for email in values.emails:
        local = email.split("@", 1)[0]
        forms = [email] + ([local] if len(local) >= SHORTEST_EMAIL_NAME else [])
        address = re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)
        found += [("email", match.start(), match.end()) for match in address.finditer(folded)]
    for name in values.names:
        pattern = _name_pattern(name, frequency)
        if pattern is not None:
            found += [("name", match.start(), match.end()) for match in pattern.finditer(folded)]
    return found
