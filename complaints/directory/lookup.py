"""The platform and collector directory as people meet it: search and resolve by name or number."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from complaints.core.database import MAX_ID, matches_like
from complaints.extensions import db
from complaints.models import Collector, Platform, PlatformAlias

_SPACES = re.compile(r"\s+")
#: An entry's number as officers type it: ``12``, ``#12``, or a label ending in it (``小禾钱包 #12``).
_NUMBER = re.compile(r"(?:^|#)\s*([0-9]{1,10})\s*$")  # ASCII digits only: int() would take any script's


def normalise_name(name: str) -> str:
    """A name as compared: trimmed, inner spaces collapsed, case-folded."""
    return _SPACES.sub(" ", name.strip()).casefold()


def pinyin_keys(name: str) -> list[str]:
    """Full pinyin and initials of a name: 小禾钱包 gives ``xiaoheqianbao`` and ``xhqb``."""
    # imported here: its dictionary costs 55 MB, which processes that never name a platform (exports) skip
    from pypinyin import Style, lazy_pinyin

    syllables = [s for s in lazy_pinyin(name, errors="ignore") if s.isalnum()]
    initials = [s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if s]
    keys = ["".join(syllables).lower(), "".join(initials).lower()]
    return [key for key in keys if key]


def refresh_search_text(platform: Platform) -> None:
    """Recompute the type-ahead text from the names, aliases and their pinyin."""
    names = [platform.name_zh, platform.name_en, *(a.alias for a in platform.aliases)]
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        keys.append(normalise_name(name))
        keys.extend(pinyin_keys(name))
    platform.search_text = "|".join(dict.fromkeys(keys))


def search_platforms(query: str, limit: int = 10, *, verified_only: bool = False) -> list[Platform]:
    """Platforms whose names, aliases or pinyin contain the query, verified ones first (or verified only)."""
    needle = normalise_name(query).replace(" ", "")
    if not needle:
        return []
    stmt = (
        select(Platform)
        .where(Platform.merged_into_id.is_(None))
        .where(
            or_(
                matches_like(func.replace(Platform.search_text, " ", ""), needle),
                matches_like(Platform.search_text, needle),
            )
        )
        .order_by(Platform.verified.desc(), func.length(Platform.name_zh), Platform.name_zh)
        .limit(limit)
    )
    if verified_only:
        stmt = stmt.where(Platform.verified.is_(True))
    return list(db.session.scalars(stmt))


def find_platform_by_name(name: str) -> Platform | None:
    """The live platform whose name or alias equals this name, following merges."""
    wanted = normalise_name(name)
    if not wanted:
        return None
    by_name = select(Platform).where(
        or_(func.lower(Platform.name_zh) == wanted, func.lower(Platform.name_en) == wanted)
    )
    platform = db.session.scalars(by_name.order_by(Platform.verified.desc(), Platform.id)).first()
    if platform is None:
        by_alias = (
            select(Platform)
            .join(PlatformAlias, PlatformAlias.platform_id == Platform.id)
            .where(func.lower(PlatformAlias.alias) == wanted)
        )
        platform = db.session.scalars(by_alias.order_by(Platform.id)).first()
    while platform is not None and platform.merged_into_id is not None:
        platform = db.session.get(Platform, platform.merged_into_id)
    return platform


def link_reported_platform(name: str) -> Platform | None:
    """The verified platform a consumer's typed name names exactly (name or alias), else None.

    What a consumer types is never made a directory entry: it may be a person's name, a phone
    number or an insult, and the directory is public. An officer links the complaint at triage.
    """
    platform = find_platform_by_name(_SPACES.sub(" ", name.strip()))
    return platform if platform is not None and platform.verified else None


def entry_label(entry: Platform | Collector) -> str:
    """How an officer's text field shows a directory entry: its name and its number, ``小禾钱包 #12``."""
    name = entry.name_zh if isinstance(entry, Platform) else entry.name
    return f"{name} #{entry.id}"


def _number(text: str) -> int | None:
    match = _NUMBER.search(text)
    number = int(match.group(1)) if match else None
    return number if number is not None and number <= MAX_ID else None


def find_live_platform(text: str) -> Platform | None:
    """The platform an officer typed, by its number (`entry_label`) or its name or alias; never a merged one."""
    text = text.strip()
    if not text:
        return None
    number = _number(text)
    if number is not None:
        platform = db.session.get(Platform, number)
        return platform if platform is not None and platform.merged_into_id is None else None
    return find_platform_by_name(text)


def find_live_collector(text: str) -> Collector | None:
    """The collector an officer typed, by its number (`entry_label`) or its exact name; never a merged one."""
    text = text.strip()
    if not text:
        return None
    number = _number(text)
    if number is not None:
        collector = db.session.get(Collector, number)
        return collector if collector is not None and collector.merged_into_id is None else None
    by_name = select(Collector).where(
        Collector.merged_into_id.is_(None), func.lower(Collector.name) == normalise_name(text)
    )
    return db.session.scalars(by_name.order_by(Collector.id)).first()


def search_collectors(query: str, limit: int = 10) -> list[Collector]:
    """Live collectors whose name contains the query, for the officers' type-ahead."""
    needle = normalise_name(query)
    if not needle:
        return []
    stmt = (
        select(Collector)
        .where(Collector.merged_into_id.is_(None), matches_like(func.lower(Collector.name), needle))
        .order_by(func.length(Collector.name), Collector.name)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
