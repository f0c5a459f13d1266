"""Campaigns: complaints that one filer or one template ties together (see complaints.casework.campaigns)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.base import UTCDateTime, utcnow


class Campaign(db.Model):  # type: ignore[name-defined]
    """A cluster of related complaints, formed when a filing ties to complaints of its own.

    Members are the complaints whose ``campaign_id`` names it. Officers judge members agent-filed
    (then all but the first count once in public figures), close them as duplicates of one, or
    split a false member off; each step is a case event on the member.
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: When the filing that formed it came in.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the last complaint joined.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
