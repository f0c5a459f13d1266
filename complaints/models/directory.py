"""The directory: platforms, collectors, regulators and the routing rules between them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.extensions import db
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    pass


class PlatformKind(StrEnum):
    """What kind of lender or seller a platform is."""

    INSTALLMENT_MALL = "installment_mall"
    LENDING_APP = "lending_app"
    CONSUMER_FINANCE = "consumer_finance"
    BANK_CARD = "bank_card"
    MICROLENDER = "microlender"
    PHONE_RENTAL = "phone_rental"
    BNPL = "bnpl"
    OTHER = "other"


class CollectorKind(StrEnum):
    """Who did the collecting."""

    IN_HOUSE = "in_house"
    AGENCY = "agency"
    LAW_FIRM = "law_firm"
    UNKNOWN = "unknown"


class Platform(db.Model):  # type: ignore[name-defined]
    """A lender or seller the debt is owed to."""

    __tablename__ = "platforms"
    __table_args__ = (CheckConstraint(enum_check("kind", PlatformKind), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Name in Chinese (what most consumers type).
    name_zh: Mapped[str] = mapped_column(String(200), index=True)
    #: Name in English, or a transliteration; may be empty.
    name_en: Mapped[str] = mapped_column(String(200), default="")
    #: One of PlatformKind.
    kind: Mapped[str] = mapped_column(String(32), default=PlatformKind.OTHER.value)
    #: Licence holder or operating company, if known.
    operating_company: Mapped[str] = mapped_column(String(300), default="")
    #: An officer confirmed this entry; consumer-typed platforms start unverified.
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Lower-case names, aliases and pinyin (full and initials) for type-ahead search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: Set when this platform was merged into another; its complaints moved there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    #: When the entry was created.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    aliases: Mapped[list[PlatformAlias]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="PlatformAlias.id"
    )

    def name(self, language: str) -> str:
        """The display name in a language, falling back to the Chinese name."""
        if not language.startswith("zh") and self.name_en:
            return self.name_en
        return self.name_zh


class PlatformAlias(db.Model):  # type: ignore[name-defined]
    """Another spelling or app name of a platform; merged platforms leave their name here."""

    __tablename__ = "platform_aliases"
    __table_args__ = (UniqueConstraint("platform_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The platform this name points to.
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    #: The other name, as written.
    alias: Mapped[str] = mapped_column(String(200), index=True)

    platform: Mapped[Platform] = relationship(back_populates="aliases")


class Collector(db.Model):  # type: ignore[name-defined]
    """A canonical collector (in-house team, agency or law firm) that officers link complaints to."""

    __tablename__ = "collectors"
    __table_args__ = (CheckConstraint(enum_check("kind", CollectorKind), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The collector's name as officers know it.
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: One of CollectorKind.
    kind: Mapped[str] = mapped_column(String(16), default=CollectorKind.UNKNOWN.value)
    #: Officers' notes about the collector (never public).
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Set when merged into another collector.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("collectors.id"), index=True)
    #: When the entry was created.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    phones: Mapped[list[CollectorPhone]] = relationship(
        back_populates="collector", cascade="all, delete-orphan", order_by="CollectorPhone.id"
    )


class CollectorPhone(db.Model):  # type: ignore[name-defined]
    """A normalised phone number known to belong to a collector."""

    __tablename__ = "collector_phones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The collector.
    collector_id: Mapped[int] = mapped_column(ForeignKey("collectors.id", ondelete="CASCADE"), index=True)
    #: E.164 form, e.g. ``+8613800138000``; a number belongs to one collector.
    phone: Mapped[str] = mapped_column(String(32), unique=True)

    collector: Mapped[Collector] = relationship(back_populates="phones")


class Regulator(db.Model):  # type: ignore[name-defined]
    """A referral target that can act on a complaint."""

    __tablename__ = "regulators"

    #: Short code, e.g. ``NFRA``.
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: Name in Chinese.
    name_zh: Mapped[str] = mapped_column(String(200))
    #: Name in English.
    name_en: Mapped[str] = mapped_column(String(200))
    #: Jurisdiction in Chinese (national, provincial …).
    jurisdiction_zh: Mapped[str] = mapped_column(String(200), default="")
    #: Jurisdiction in English.
    jurisdiction_en: Mapped[str] = mapped_column(String(200), default="")
    #: What it handles, Chinese.
    handles_zh: Mapped[str] = mapped_column(Text, default="")
    #: What it handles, English.
    handles_en: Mapped[str] = mapped_column(Text, default="")
    #: How it takes complaints: hotline, web portal, email, post.
    intake_channel: Mapped[str] = mapped_column(String(32), default="hotline")
    #: The hotline number, address or portal name for that channel.
    intake_contact: Mapped[str] = mapped_column(String(300), default="")
    #: Days within which it promises to answer; sets referral follow-up dates.
    response_days: Mapped[int] = mapped_column(Integer, default=30)
    #: Order in lists.
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    #: Inactive regulators are not offered for new referrals.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, language: str) -> str:
        """The name in a language."""
        return self.name_zh if language.startswith("zh") else self.name_en

    def handles(self, language: str) -> str:
        """What it handles, in a language."""
        return self.handles_zh if language.startswith("zh") else self.handles_en


class RoutingMatch(StrEnum):
    """What a routing rule looks at."""

    VIOLATION = "violation"
    PLATFORM_KIND = "platform_kind"
    CREDIT_THREAT = "credit_threat"


class RoutingRule(db.Model):  # type: ignore[name-defined]
    """A suggestion: complaints matching this send to that regulator (an officer confirms)."""

    __tablename__ = "routing_rules"
    __table_args__ = (
        UniqueConstraint("match_type", "match_value", "regulator_code"),
        CheckConstraint(enum_check("match_type", RoutingMatch), name="match_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: One of RoutingMatch.
    match_type: Mapped[str] = mapped_column(String(16))
    #: The violation code or platform kind matched (``*`` for credit threats).
    match_value: Mapped[str] = mapped_column(String(32))
    #: The regulator suggested.
    regulator_code: Mapped[str] = mapped_column(ForeignKey("regulators.code"), index=True)
    #: Why the rule exists, for the supervisor editing it.
    note: Mapped[str] = mapped_column(Text, default="")

    regulator: Mapped[Regulator] = relationship()
