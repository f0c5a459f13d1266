"""Shared column helpers for the models."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect

from complaints.core import clock


def utcnow() -> dt.datetime:
    """The current time in UTC, evaluated on each call (never once at import); the one clock's."""
    return clock.utc_now()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class StrEnum(enum.StrEnum):
    """An enum whose members are their own string values, for columns and forms."""

    @classmethod
    def values(cls) -> list[str]:
        """Every allowed value, in declaration order."""
        return [member.value for member in cls]


def enum_check(column: str, enum_cls: type[StrEnum]) -> str:
    """SQL text of a CHECK constraint that keeps a column inside an enum's values."""
    allowed = ", ".join(f"'{value}'" for value in enum_cls.values())
    return f"{column} IN ({allowed})"
