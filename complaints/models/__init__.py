"""All models, imported here so that Alembic and the app see the whole schema."""

from complaints.models.campaign import Campaign
from complaints.models.complaint import (
    FILING_ORIGIN_WINDOW,
    OPEN_STATUSES,
    Channel,
    CollectionStage,
    Complaint,
    ComplaintStatus,
    ComplaintViolation,
    Evidence,
    FilingOrigin,
    NarrativeBand,
    NarrativeTerm,
    PublicationStatus,
    ReferenceCounter,
    ReportedPhone,
    Resolution,
    Severity,
    ThirdParty,
)
from complaints.models.directory import (
    Collector,
    CollectorKind,
    CollectorPhone,
    Platform,
    PlatformAlias,
    PlatformKind,
    Regulator,
    RoutingMatch,
    RoutingRule,
)
from complaints.models.events import ActorType, CaseEvent, EventKind
from complaints.models.mail import MailKind, MailLanguage, OutboxMessage
from complaints.models.officer import Officer, Role, SignInBackoff
from complaints.models.referral import Referral, ReferralChannel, ReferralStatus
from complaints.models.response import ConsumerReview, PlatformResponse, PlatformStage, ResponseType
from complaints.models.session import ServerSession, SessionKind
from complaints.models.stats import StatCount, StatVersion
from complaints.models.taxonomy import ViolationType

__all__ = [
    "FILING_ORIGIN_WINDOW",
    "OPEN_STATUSES",
    "ActorType",
    "Campaign",
    "CaseEvent",
    "Channel",
    "CollectionStage",
    "Collector",
    "CollectorKind",
    "CollectorPhone",
    "Complaint",
    "ComplaintStatus",
    "ComplaintViolation",
    "ConsumerReview",
    "EventKind",
    "Evidence",
    "FilingOrigin",
    "MailKind",
    "MailLanguage",
    "NarrativeBand",
    "NarrativeTerm",
    "Officer",
    "OutboxMessage",
    "Platform",
    "PlatformAlias",
    "PlatformKind",
    "PlatformResponse",
    "PlatformStage",
    "PublicationStatus",
    "ReferenceCounter",
    "Referral",
    "ReferralChannel",
    "ReferralStatus",
    "Regulator",
    "ReportedPhone",
    "Resolution",
    "ResponseType",
    "Role",
    "RoutingMatch",
    "RoutingRule",
    "ServerSession",
    "SessionKind",
    "Severity",
    "SignInBackoff",
    "StatCount",
    "StatVersion",
    "ThirdParty",
    "ViolationType",
]
