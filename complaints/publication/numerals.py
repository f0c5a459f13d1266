"""Numbers as people write them in narratives: Chinese numerals, full-width digits, spaces and separators.

Every fold here maps one character onto one character, so an offset found in a folded text is the
offset in the original, and a finding always covers exactly what the consumer wrote.
"""

from __future__ import annotations

import re

#: Full-width ASCII (what Chinese input methods often type) and the ideographic space, onto ASCII.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

#: Chinese numerals read digit by digit, as phone and ID numbers are said: 幺 is "one" on the phone,
#: 壹贰叁… are the financial forms, 〇 and ○ are written zeros. (十, 百, 千 and 两 are no digits.)
DIGITS = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "一": "1",
    "幺": "1",
    "壹": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
_DIGIT_TABLE = str.maketrans(DIGITS)
_NUMERAL_CLASS = "".join(DIGITS)
#: A chain of digits and numerals that touch through a few separators (一三三 3366 7788, 一 三 八).
_CHAIN = re.compile(rf"[0-9{_NUMERAL_CLASS}](?:[ \t\-–—.,，、·()（）]{{0,3}}[0-9{_NUMERAL_CLASS}])*")
#: Chinese numerals a chain needs before it is read as digits: one 一 beside a number is a word
#: (一天, 一次), two or more are digits (一三八…, 一 三 八, 三四个 does no harm as 34个).
_FEWEST_NUMERALS = 2


def fold_numerals(text: str) -> str:
    """The text with Chinese numerals read as digits wherever two or more of them form a chain with digits.

    ``text`` should already be folded from full width; the result has the same length.
    """

    def read(match: re.Match[str]) -> str:
        chain = match.group()
        if sum(char in DIGITS for char in chain) < _FEWEST_NUMERALS:
            return chain
        return chain.translate(_DIGIT_TABLE)

    return _CHAIN.sub(read, text)


def all_digits(text: str) -> str:
    """Every numeral of a text read as a digit, full-width digits included (same length as ``text``)."""
    return text.translate(FULL_WIDTH).translate(_DIGIT_TABLE)


def is_written_digit(char: str) -> bool:
    """Whether a character is a digit in some written form: ASCII, full-width or a Chinese numeral."""
    return all_digits(char).isdigit() and all_digits(char).isascii()
