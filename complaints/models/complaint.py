"""A consumer's complaint with its violation codes, reported phone numbers and evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    inspect,
    true,
)
from sqlalchemy.orm import InstanceState, Mapped, mapped_column, relationship

from complaints.core import resemblance
from complaints.core.crypto import KeyRing
from complaints.extensions import db
from complaints.models import private
from complaints.models.base import StrEnum, UTCDateTime, enum_check, utcnow
from complaints.models.directory import Collector, CollectorKind, Platform
from complaints.models.response import PlatformResponse, PlatformStage

if TYPE_CHECKING:
    from complaints.models.officer import Officer


class ComplaintStatus(StrEnum):
    """Where a complaint stands in its lifecycle (DOMAIN.md)."""

    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    REFERRED = "referred"
    CLOSED = "closed"


OPEN_STATUSES = (
    ComplaintStatus.SUBMITTED,
    ComplaintStatus.NEEDS_INFO,
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.REFERRED,
)


class Resolution(StrEnum):
    """How a closed complaint ended."""

    RESOLVED = "resolved"
    REGULATOR_ACTION = "regulator_action"
    UNRESOLVED = "unresolved"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"
    REJECTED_OUT_OF_SCOPE = "rejected_out_of_scope"
    REJECTED_INSUFFICIENT = "rejected_insufficient"
    REJECTED_SPAM = "rejected_spam"


class Severity(StrEnum):
    """Triage severity; urgent for violence, self-harm risk or threats against family."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


class CollectionStage(StrEnum):
    """The stage of collection as the consumer saw it."""

    REMINDER = "reminder"
    IN_HOUSE = "in_house"
    OUTSOURCED = "outsourced"
    LEGAL = "legal"


class Channel(StrEnum):
    """How the collector reached the consumer."""

    CALL = "call"
    SMS = "sms"
    MESSAGING_APP = "messaging_app"
    EMAIL = "email"
    VISIT = "visit"
    SOCIAL_MEDIA = "social_media"
    LETTER = "letter"
    THIRD_PARTY = "third_party"


class ThirdParty(StrEnum):
    """Which third parties the collector contacted."""

    FAMILY = "family"
    CONTACTS_LIST = "contacts_list"
    EMPLOYER = "employer"
    COLLEAGUES = "colleagues"
    FRIENDS = "friends"
    OTHER = "other"


class PublicationStatus(StrEnum):
    """Where a consented narrative stands in the supervisor's publication queue."""

    NOT_CONSENTED = "not_consented"
    PENDING = "pending"
    APPROVED = "approved"
    WITHHELD = "withheld"


class Complaint(db.Model):  # type: ignore[name-defined]
    """One consumer's account of one collection relationship."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(enum_check("status", ComplaintStatus), name="status"),
        CheckConstraint("resolution IS NULL OR " + enum_check("resolution", Resolution), name="resolution"),
        CheckConstraint("(status = 'closed') = (resolution IS NOT NULL)", name="closed_has_resolution"),
        CheckConstraint(enum_check("severity", Severity), name="severity"),
        CheckConstraint(enum_check("stage", CollectionStage), name="stage"),
        CheckConstraint(enum_check("collector_kind_reported", CollectorKind), name="collector_kind"),
        CheckConstraint(enum_check("publication_status", PublicationStatus), name="publication"),
        CheckConstraint(enum_check("platform_stage", PlatformStage), name="platform_stage"),
        CheckConstraint("consumer_review IN ('', 'settled', 'disputed')", name="consumer_review"),
        CheckConstraint("amount_owed IS NULL OR amount_owed >= 0", name="amount_not_negative"),
        CheckConstraint("days_overdue IS NULL OR days_overdue >= 0", name="days_not_negative"),
        CheckConstraint("calls_per_day IS NULL OR calls_per_day >= 0", name="calls_not_negative"),
        CheckConstraint(
            "last_incident_on IS NULL OR first_incident_on IS NULL OR last_incident_on >= first_incident_on",
            name="incident_order",
        ),
        # The officer queue: each common filter walks its index already in received order (keyset pages).
        Index("ix_complaints_queue_status", "status", "submitted_at", "id"),
        Index("ix_complaints_queue_assignee", "assignee_id", "submitted_at"),
        Index("ix_complaints_queue_platform", "platform_id", "submitted_at"),
        Index("ix_complaints_queue_severity", "severity", "submitted_at"),
        Index("ix_complaints_queue_province", "province", "submitted_at", "id"),
        Index("ix_complaints_updated_at", "updated_at"),
        # The few complaints folded into their campaigns, by filing time (statistics.folding).
        Index("ix_complaints_campaign_folded", "campaign_folded", "submitted_at"),
        # The queue in received order; with the status and platform stage in it, a filter on them (the
        # queue's "back from the platform" tab) is decided in the index as it walks, not row by row.
        Index("ix_complaints_submitted_at", "submitted_at", "status", "platform_stage"),
        # Overdue answers, soonest deadline first: the queue's tab, its count and the reminders read
        # this index alone (only a complaint waiting for its platform has a deadline).
        Index(
            "ix_complaints_answer_due",
            "platform_answer_due_at",
            "platform_stage",
            "status",
            "platform_overdue_notified_at",
        ),
        # The responder portal: one platform's sent complaints, newest first; and those still waiting for
        # an answer (the only ones with a deadline), soonest deadline first.
        Index("ix_complaints_platform_sent", "platform_id", "sent_to_platform_at"),
        Index("ix_complaints_platform_waiting", "platform_id", "platform_answer_due_at"),
        # Complaints by platform stage (the count of those back from the platform).
        Index("ix_complaints_platform_due", "platform_stage", "platform_answer_due_at"),
        # Suggested duplicates look up the same contact details (by keyed hash: the details are encrypted).
        Index("ix_complaints_contact_email_hash", "contact_email_hash"),
        Index("ix_complaints_contact_phone_hash", "contact_phone_hash"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    #: Consumer-facing reference, ``CW-2026-000123``; never published.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    #: Random identifier used in public datasets instead of the reference.
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    #: Keyed hash (``hmac1$<key id>$<hex>``, `intake.access`) of the secret access code shown once on the receipt;
    #: complaints of earlier versions may still hold an Argon2id hash until their next look-up.
    access_code_hash: Mapped[str] = mapped_column(String(200))
    #: Lifecycle status (ComplaintStatus).
    status: Mapped[str] = mapped_column(String(16), default=ComplaintStatus.SUBMITTED.value, index=True)
    #: Set exactly when the status is closed (Resolution).
    resolution: Mapped[str | None] = mapped_column(String(32))
    #: Triage severity (Severity).
    severity: Mapped[str] = mapped_column(String(8), default=Severity.NORMAL.value)

    #: The verified directory platform the debt is owed to: the one the consumer's words named exactly, else
    #: the one an officer linked at triage; empty until then (a complaint cannot be accepted without it).
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    #: The platform name exactly as the consumer typed it (encrypted: it may be a person's name or number).
    platform_name_reported: Mapped[str] = mapped_column(
        private.EncryptedText("complaints.platform_name_reported"), default=""
    )
    #: Canonical collector, linked by an officer.
    collector_id: Mapped[int | None] = mapped_column(ForeignKey("collectors.id"), index=True)
    #: Collector kind as the consumer reported it.
    collector_kind_reported: Mapped[str] = mapped_column(String(16), default=CollectorKind.UNKNOWN.value)
    #: The name the caller gave, as reported (encrypted: it may name the consumer's relatives too).
    collector_name_reported: Mapped[str] = mapped_column(
        private.EncryptedText("complaints.collector_name_reported"), default=""
    )

    #: Amount owed as the consumer stated it, in yuan.
    amount_owed: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: Days overdue as stated.
    days_overdue: Mapped[int | None] = mapped_column(Integer)
    #: Loan or order reference (private, encrypted).
    loan_reference: Mapped[str] = mapped_column(private.EncryptedText("complaints.loan_reference"), default="")
    #: Collection stage as the consumer saw it (CollectionStage).
    stage: Mapped[str] = mapped_column(String(16), default=CollectionStage.REMINDER.value)
    #: First incident date.
    first_incident_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Last incident date.
    last_incident_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Channels used (list of Channel values).
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Third parties contacted (list of ThirdParty values).
    third_parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Calls per day as reported.
    calls_per_day: Mapped[int | None] = mapped_column(Integer)
    #: The consumer's account in their own words (private, encrypted; searched through narrative_terms).
    narrative: Mapped[str] = mapped_column(private.EncryptedText("complaints.narrative"))
    #: What the consumer wants to happen (encrypted).
    desired_outcome: Mapped[str] = mapped_column(private.EncryptedText("complaints.desired_outcome"), default="")
    #: Province code (GB/T 2260 two-digit prefix), or empty.
    province: Mapped[str] = mapped_column(String(8), default="")
    #: Language the complaint was filed in.
    language: Mapped[str] = mapped_column(String(8), default="zh_Hans")

    #: Consent 1: share identity and contact details with regulators.
    consent_share_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Consent 2: publish the redacted narrative.
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Consent 3: contact me about this complaint.
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Consent 4: share identity, contact details and loan reference with the platform, so it can settle.
    consent_share_with_platform: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The consumer fears retaliation if the platform hears of the complaint: it is never sent to it.
    fears_retaliation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Contact name (private, encrypted).
    contact_name: Mapped[str] = mapped_column(private.EncryptedText("complaints.contact_name"), default="")
    #: Contact phone, E.164 (private, encrypted).
    contact_phone: Mapped[str] = mapped_column(private.EncryptedText("complaints.contact_phone"), default="")
    #: Contact e-mail (private, encrypted).
    contact_email: Mapped[str] = mapped_column(private.EncryptedText("complaints.contact_email"), default="")
    #: Keyed hash of the contact e-mail, so duplicates are found without reading it.
    contact_email_hash: Mapped[str] = mapped_column(String(64), default="")
    #: Keyed hash of the contact phone.
    contact_phone_hash: Mapped[str] = mapped_column(String(64), default="")
    #: Keyed hash of all the contact details together.
    contact_fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    #: Keyed hash of the normalised narrative, for near-identical bulk filings.
    narrative_fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)

    #: Redacted narrative proposed or corrected for publication (encrypted: a draft may still hold details).
    narrative_redacted: Mapped[str] = mapped_column(private.EncryptedText("complaints.narrative_redacted"), default="")
    #: The approved redacted text, in clear because it is public; empty unless publication_status is approved.
    narrative_published: Mapped[str] = mapped_column(Text, default="")
    #: Publication queue state (PublicationStatus).
    publication_status: Mapped[str] = mapped_column(String(16), default=PublicationStatus.NOT_CONSENTED.value)

    #: Where the complaint stands with its platform (PlatformStage; decided by casework.platform_loop).
    platform_stage: Mapped[str] = mapped_column(
        String(16), default=PlatformStage.NOT_SENT.value, server_default=PlatformStage.NOT_SENT.value
    )
    #: When triage sent it to the platform (the last time, if it was sent again).
    sent_to_platform_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When the platform's next answer is due (15 days after sending; 60 after an "in progress"); empty after.
    platform_answer_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When the platform gave its final answer.
    platform_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Whether every answer came before its deadline; empty until the final answer.
    platform_timely: Mapped[bool | None] = mapped_column(Boolean)
    #: When officers were last told this answer is overdue (so each is told once).
    platform_overdue_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: What the consumer said of the final answer (ConsumerReview), or empty.
    consumer_review: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: When they said it.
    consumer_reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    #: Officer the complaint is assigned to.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    #: Officers verified the evidence at triage.
    evidence_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The complaint this one duplicates, when closed as duplicate.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    #: The campaign (cluster of related complaints) it belongs to, if any.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    #: Officers judged it filed by a paid agent.
    agent_filed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Agent-filed and not its campaign's first such member: counted once, under that one, in public figures.
    campaign_folded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    #: When the consumer filed it.
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it passed triage (entered the public set).
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When it was closed.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Last change of any kind.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    platform: Mapped[Platform | None] = relationship()
    collector: Mapped[Collector | None] = relationship()
    assignee: Mapped[Officer | None] = relationship()
    violations: Mapped[list[ComplaintViolation]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintViolation.id"
    )
    reported_phones: Mapped[list[ReportedPhone]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ReportedPhone.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    platform_responses: Mapped[list[PlatformResponse]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PlatformResponse.id"
    )
    terms: Mapped[list[NarrativeTerm]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    bands: Mapped[list[NarrativeBand]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def refresh_blind_indexes(self, ring: KeyRing, *, new: bool) -> None:
        """Recompute the keyed hashes, search terms and published text from the (changed) private fields."""
        state: InstanceState[Complaint] = inspect(self)

        def changed(*names: str) -> bool:
            return new or any(state.attrs[name].history.has_changes() for name in names)

        if changed("contact_email"):
            self.contact_email_hash = private.email_hash(ring, self.contact_email or "")
        if changed("contact_phone"):
            self.contact_phone_hash = private.phone_hash(ring, self.contact_phone or "")
        if changed("contact_name", "contact_phone", "contact_email"):
            self.contact_fingerprint = private.contact_fingerprint(
                ring, self.contact_name or "", self.contact_phone or "", self.contact_email or ""
            )
        if changed("narrative"):
            self.narrative_fingerprint = private.narrative_fingerprint(ring, self.narrative or "")
            codes = private.term_codes(ring, self.narrative or "")
            if new:
                self.terms = [NarrativeTerm(term_hash=code) for code in sorted(codes)]
            else:
                kept = [term for term in self.terms if term.term_hash in codes]
                have = {term.term_hash for term in kept}
                self.terms = kept + [NarrativeTerm(term_hash=code) for code in sorted(codes - have)]
            bands = resemblance.band_codes(ring, self.narrative or "")
            if new:
                self.bands = [NarrativeBand(band_hash=code) for code in sorted(bands)]
            else:
                same = [band for band in self.bands if band.band_hash in bands]
                held = {band.band_hash for band in same}
                self.bands = same + [NarrativeBand(band_hash=code) for code in sorted(bands - held)]
        if changed("publication_status", "narrative_redacted"):
            approved = self.publication_status == PublicationStatus.APPROVED.value
            published = (self.narrative_redacted or "") if approved else ""
            if self.narrative_published != published:
                self.narrative_published = published

    @property
    def primary_code(self) -> str | None:
        """The primary violation code, if any."""
        return next((v.code for v in self.violations if v.primary), None)

    @property
    def codes(self) -> list[str]:
        """All violation codes, primary first."""
        return sorted((v.code for v in self.violations), key=lambda c: (c != self.primary_code, c))

    @property
    def is_open(self) -> bool:
        """Whether the complaint is still in an open state."""
        return self.status != ComplaintStatus.CLOSED.value


class ComplaintViolation(db.Model):  # type: ignore[name-defined]
    """One violation code on one complaint."""

    __tablename__ = "complaint_violations"
    __table_args__ = (
        UniqueConstraint("complaint_id", "code"),
        # The queue's violation filter: an index-only EXISTS per complaint.
        Index("ix_complaint_violations_code_complaint", "code", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint.
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: The violation code.
    code: Mapped[str] = mapped_column(ForeignKey("violation_types.code"), index=True)
    #: Exactly one code per complaint is primary.
    primary: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Evidence that shows this violation, if pointed at.
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))

    complaint: Mapped[Complaint] = relationship(back_populates="violations")


class ReportedPhone(db.Model):  # type: ignore[name-defined]
    """A phone number the consumer says the collector called or texted from.

    Normalised (``core.phones.normalise_phone``: E.164, or the digits of a gateway or short number)
    when recognised; otherwise kept as the consumer typed it, with ``normalised`` false, rather
    than refusing the complaint.
    """

    __tablename__ = "reported_phones"
    __table_args__ = (UniqueConstraint("complaint_id", "phone"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint.
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: The normalised number, or the text as typed; indexed because shared numbers link complaints to one agency.
    phone: Mapped[str] = mapped_column(String(40), index=True)
    #: Whether ``phone`` is the normalised number (false: kept as typed, not recognised as a number).
    normalised: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    complaint: Mapped[Complaint] = relationship(back_populates="reported_phones")


class Evidence(db.Model):  # type: ignore[name-defined]
    """A file supporting a complaint, stored outside the web root under its SHA-256."""

    __tablename__ = "evidence"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The complaint.
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the stored bytes (after re-encoding for images), hex.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Stored size in bytes.
    size_bytes: Mapped[int] = mapped_column(Integer)
    #: MIME type detected from the bytes.
    mime_type: Mapped[str] = mapped_column(String(100))
    #: image, pdf or audio.
    kind: Mapped[str] = mapped_column(String(16))
    #: The file name the consumer's device gave (private, encrypted; may contain a name).
    original_name: Mapped[str] = mapped_column(private.EncryptedText("evidence.original_name"), default="")
    #: Key in the evidence store.
    storage_key: Mapped[str] = mapped_column(String(128))
    #: An officer checked that it shows what the complaint says.
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When it was uploaded.
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when retention purged the file; the row stays for the record.
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship(back_populates="evidence")


class NarrativeTerm(db.Model):  # type: ignore[name-defined]
    """Blind search index: one keyed hash of one distinct two-character piece of a complaint's narrative."""

    __tablename__ = "narrative_terms"
    __table_args__ = {"sqlite_with_rowid": False}

    #: 32-bit keyed hash of the bigram (KeyRing.term_code); first in the key, so a term's complaints are one range.
    term_hash: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The complaint whose narrative holds the bigram.
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NarrativeBand(db.Model):  # type: ignore[name-defined]
    """Near-duplicate index: one LSH band code of a complaint's narrative (see complaints.core.resemblance)."""

    __tablename__ = "narrative_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    #: 32-bit code of one band of the narrative's keyed MinHash; first in the key, so a band's complaints are one range.
    band_hash: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The complaint whose narrative has the band.
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True, index=True
    )


#: How long a filing's network is kept, and how close in time two filings must be to share it.
FILING_ORIGIN_WINDOW = dt.timedelta(hours=24)


class FilingOrigin(db.Model):  # type: ignore[name-defined]
    """The keyed hash of the network a complaint was filed from, kept about a day (`flask purge` drops it).

    It ties copies an agent files from one place within a day; it is never enough alone (a phone
    carrier's network is shared by thousands), and it never leaves the database.
    """

    __tablename__ = "filing_origins"
    __table_args__ = (Index("ix_filing_origins_network", "network_hash", "filed_at"),)

    #: The complaint filed.
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    #: private.network_hash of the filing address.
    network_hash: Mapped[str] = mapped_column(String(64))
    #: When it was filed (rows older than a day serve nothing and are purged).
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ReferenceCounter(db.Model):  # type: ignore[name-defined]
    """The last reference number handed out in a year, incremented atomically."""

    __tablename__ = "reference_counters"

    #: The calendar year of the reference.
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The last number used.
    last_value: Mapped[int] = mapped_column(Integer, default=0)
