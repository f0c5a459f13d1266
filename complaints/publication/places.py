"""Addresses and licence plates in narratives, for ``redaction.py`` alone.

An address is a chain of named places (朝阳区, 建国路, 阳光花园) ending in numbered parts (88号,
3栋2单元501室); a named housing estate (翠湖小区) counts on its own. A district, a city or a road
alone is no address: the province is published anyway, and 马路对面 is not where anyone lives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from complaints.publication.numerals import DIGITS

#: Characters that never belong to the name of a place: particles, pronouns, verbs of moving and
#: living, and the words around a place (门口, 楼下, 附近).
_NOT_IN_PLACE_NAME = (
    "的了在是我你他她它们这那和与及或到去来住找把被给从向于对跟说有没不也都还就又再才将要会能可个位次些上"
    "下内外前后旁边附近门口楼里寄搬回离往"
)
_PLACE_NAME = re.compile(rf"[\u4e00-\u9fff](?<![{_NOT_IN_PLACE_NAME}])")
#: How housing estates end: with a name in front, one of them is an address on its own.
ESTATES = ("小区", "花园", "家园", "新村", "公寓", "大厦", "苑", "山庄", "雅居", "名苑", "华府")
#: How other places end: districts, roads, villages. They need numbered parts after them.
PLACES = (
    "自治州",
    "开发区",
    "社区",
    "街道",
    "大街",
    "大道",
    "胡同",
    "广场",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
    "村",
    "屯",
    "庄",
    "路",
    "街",
    "巷",
    "弄",
    "里",
    "园",
    "城",
    "湾",
    "坊",
)
_SUFFIXES = tuple(sorted({*ESTATES, *PLACES}, key=len, reverse=True))
#: A number inside an address, short enough that no run of digits makes the search slow.
_NUMBER = rf"(?:[0-9]{{1,6}}|[{''.join(DIGITS)}十百]{{1,4}})"
#: A numbered part: 3栋, 2单元, 501室, 五号楼, B座, 3组, 12号, 1-2-301号.
_UNIT = rf"(?:{_NUMBER}|[A-Za-z])(?:[-—]{_NUMBER}){{0,3}}(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|弄|组|排|户|队)"
#: Numbered parts in a row, and a last bare number (2单元302).
_UNITS = re.compile(rf"(?<![0-9A-Za-z])(?:{_UNIT})+(?:{_NUMBER}(?![0-9]))?")
#: A first part that is a building: parts without a place before them are an address from two on.
_BUILDING = re.compile(rf"(?:{_NUMBER}|[A-Za-z])(?:号楼|栋|幢|座)")
_UNIT_ONE = re.compile(_UNIT)
_ESTATE = re.compile("|".join(ESTATES))
#: How far back from its numbered parts or its estate word the name of a place may reach.
_LONGEST_PLACE = 14


def _place_before(text: str, end: int) -> int:
    """Where the stretch of place-name characters that ends at ``end`` begins (``end`` itself when none)."""
    start = end
    while start > 0 and end - start < _LONGEST_PLACE and _PLACE_NAME.match(text, start - 1):
        start -= 1
    return start


#: Province abbreviations that start a plate, then the issuing office's letter, then five characters
#: (six for new-energy cars), with or without a dot or space after the letter.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"[{_PROVINCES}][A-Za-z][·・.\s\-]?(?P<tail>[A-Za-z0-9]{{5,6}})(?:[挂学警港澳])?(?![A-Za-z0-9])")


def address_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where addresses are: named places with numbered parts after them, or a named housing estate.

    Numbered parts need a place before them (解放路88号), unless there are two or more and the first
    is a building (10号楼三单元1201). Parts that overlap or touch (天河区解放路264号 | 丽景新村7栋)
    make one address. The search is linear: regular expressions find the numbered parts and the
    estate words, and the place names before them are read backwards, at most a few characters.
    """
    spans: list[tuple[int, int]] = []
    for match in _UNITS.finditer(text):
        start = _place_before(text, match.start())
        place = text[start : match.start()]
        if place.endswith(_SUFFIXES) and place not in _SUFFIXES:  # a name before the suffix: 解放路, not 路
            spans.append((start, match.end()))
            continue
        first = _UNIT_ONE.match(text, match.start())
        if _BUILDING.match(text, match.start()) and first is not None and first.end() < match.end():
            spans.append(match.span())
    for match in _ESTATE.finditer(text):
        start = _place_before(text, match.start())
        if match.start() - start >= 2:
            spans.append((start, match.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    yield from merged


def plate_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where licence plates are (京A12345, 粤B·D12345): the tail holds at least one digit."""
    for match in _PLATE.finditer(text):
        if any(char.isdigit() for char in match.group("tail")):
            yield match.start(), match.end()
