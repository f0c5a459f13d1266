"""The publication boundary for the directory: which platforms and collectors the public may see.

Every public output — the statistics pages, their CSV and JSON, the API, the dataset files and the
public type-ahead — names platforms and collectors through this module, so a new output cannot
forget a rule:

- A platform is public when an officer verified it (``Platform.verified``) and it was not merged
  away (a merged entry's complaints moved to its target). What consumers type is never a
  directory entry (`directory.lookup.link_reported_platform`): it stays private text on the
  complaint until an officer links a verified entry at triage.
- A collector is public when it is a live directory entry: only officers create collectors.
- An entry that is not public answers exactly as one that does not exist (the pages and the API
  give 404), so ids cannot be walked to find the hidden ones.

The other two rules of what is public live beside the data they judge: which complaints count
(`statistics.rollup.is_public`, which also requires a linked platform) and which narratives are
published (`publication.review.published_clause`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select

from complaints.core.database import MAX_ID
from complaints.directory.lookup import normalise_name, search_platforms
from complaints.extensions import db
from complaints.models import Collector, Platform


def platform_is_public() -> ColumnElement[bool]:
    """SQL for "this platform entry may be shown to the public"."""
    return and_(Platform.verified.is_(True), Platform.merged_into_id.is_(None))


def collector_is_public() -> ColumnElement[bool]:
    """SQL for "this collector entry may be shown to the public"."""
    return Collector.merged_into_id.is_(None)


def public_platforms() -> list[Platform]:
    """Every public platform, by Chinese name."""
    return list(db.session.scalars(select(Platform).where(platform_is_public()).order_by(Platform.name_zh)))


def public_platform(platform_id: int) -> Platform | None:
    """The platform with this id if it is public, else None (as for an id that does not exist)."""
    if not 0 < platform_id <= MAX_ID:
        return None
    platform = db.session.get(Platform, platform_id)
    return platform if platform is not None and platform.verified and platform.merged_into_id is None else None


def public_collector(collector_id: int) -> Collector | None:
    """The collector with this id if it is public (a live directory entry), else None."""
    if not 0 < collector_id <= MAX_ID:
        return None
    collector = db.session.get(Collector, collector_id)
    return collector if collector is not None and collector.merged_into_id is None else None


def platform_names(language: str) -> dict[int, str]:
    """Display names of the public platforms in a language."""
    return {p.id: p.name(language) for p in public_platforms()}


def public_collectors() -> list[Collector]:
    """Every public collector, by name."""
    live = select(Collector).where(collector_is_public()).order_by(Collector.name)
    return list(db.session.scalars(live))


def collector_names() -> dict[int, str]:
    """Names of the public collectors."""
    return {c.id: c.name for c in public_collectors()}


def suggest_platforms(query: str, limit: int) -> list[Platform]:
    """The public type-ahead: verified platforms whose names, aliases or pinyin contain the query."""
    return search_platforms(query, limit=limit, verified_only=True)


def matching_platforms(query: str) -> set[int]:
    """Ids of the public platforms whose names, aliases or pinyin contain the search text."""
    needle = normalise_name(query)
    if not needle:
        return set()
    return {p.id for p in public_platforms() if needle in f"{p.name_zh} {p.name_en} {p.search_text}".casefold()}
