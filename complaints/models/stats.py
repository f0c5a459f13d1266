"""The statistics rollup: counts of public complaints, kept in step with every change to them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.base import UTCDateTime, utcnow

#: ``platform_id`` / ``collector_id`` value meaning "every platform / collector" (the cut ignores it).
ANY = 0
#: ``collector_id`` value for complaints that no officer has linked to a canonical collector.
UNLINKED = -1


class StatCount(db.Model):  # type: ignore[name-defined]
    """How many public complaints share one cell of the rollup (month × platform × collector × code × …)."""

    __tablename__ = "stat_counts"
    __table_args__ = (
        UniqueConstraint(
            "month", "platform_id", "collector_id", "code", "status", "dim", "value", name="uq_stat_counts_cell"
        ),
        # Covering indexes for the page queries: an exact month (or the all-time bucket) first, for the
        # default pages; the code first, for a platform's trend over a range of months.
        Index(
            "ix_stat_counts_month_cut",
            "dim",
            "month",
            "code",
            "platform_id",
            "collector_id",
            "status",
            "value",
            "complaints",
            "verified",
            "referred",
        ),
        Index(
            "ix_stat_counts_cut",
            "dim",
            "code",
            "month",
            "platform_id",
            "collector_id",
            "status",
            "value",
            "complaints",
            "verified",
            "referred",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    #: Month the complaint was received, ``YYYY-MM`` (UTC); quarters, years and all time sum months.
    month: Mapped[str] = mapped_column(String(7))
    #: Platform id, or 0 when the cut is not by platform.
    platform_id: Mapped[int] = mapped_column(Integer)
    #: Collector id, 0 when the cut is not by collector, -1 for "no collector linked".
    collector_id: Mapped[int] = mapped_column(Integer)
    #: Violation code, or empty when the cut is not by violation.
    code: Mapped[str] = mapped_column(String(16))
    #: Complaint status (accepted, referred, closed); empty in the channel/province/outcome/triage breakdowns.
    status: Mapped[str] = mapped_column(String(16))
    #: Extra breakdown: empty, ``channel``, ``province``, ``outcome`` or ``triage_days``.
    dim: Mapped[str] = mapped_column(String(16))
    #: The breakdown's value (a channel, a province code, a referral status, a number of days).
    value: Mapped[str] = mapped_column(String(16))
    #: Public complaints in the cell.
    complaints: Mapped[int] = mapped_column(Integer, default=0)
    #: Of those, complaints whose evidence an officer verified.
    verified: Mapped[int] = mapped_column(Integer, default=0)
    #: Of those, complaints referred to at least one regulator.
    referred: Mapped[int] = mapped_column(Integer, default=0)


class StatVersion(db.Model):  # type: ignore[name-defined]
    """A counter bumped with every rollup change; ETags of public pages and the API are built on it."""

    __tablename__ = "stat_version"

    #: Always 1: a single row.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: Incremented on every change of the rollup.
    version: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    #: When the rollup last changed (Last-Modified).
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
