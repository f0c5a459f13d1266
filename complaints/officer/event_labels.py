"""Labels officers read for timeline events and duplicate reasons (the consumer's labels stay in core)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from complaints.core import labels
from complaints.models import CaseEvent, EventKind

#: Every EventKind, as officers read it on the timeline and the audit page.
EVENTS: dict[str, LazyString] = {
    EventKind.SUBMITTED: _l("Filed by the consumer"),
    EventKind.INFORMATION_ADDED: _l("The consumer added information"),
    EventKind.STATUS_CHANGED: _l("Status changed"),
    EventKind.MESSAGE_TO_COMPLAINANT: _l("Message to the consumer"),
    EventKind.NOTE: _l("Internal note"),
    EventKind.ASSIGNED: _l("Assigned"),
    EventKind.UNASSIGNED: _l("Unassigned"),
    EventKind.EVIDENCE_OPENED: _l("Evidence opened"),
    EventKind.PACKET_VIEWED: _l("Referral packet opened"),
    EventKind.REFERRAL_UPDATED: _l("Referral updated"),
    EventKind.SIGN_IN: _l("Signed in"),
    EventKind.SIGN_IN_FAILED: _l("Sign-in failed"),
    EventKind.ACCOUNT_CREATED: _l("Account created"),
    EventKind.ACCOUNT_ENROLLED: _l("Account enrolled"),
    EventKind.PASSWORD_CHANGED: _l("Password changed"),
    EventKind.TOTP_RESET: _l("Password and authenticator reset"),
    EventKind.ACCOUNT_DISABLED: _l("Account disabled"),
    EventKind.ACCOUNT_ENABLED: _l("Account enabled"),
    EventKind.PLATFORM_UPDATED: _l("Platform edited"),
    EventKind.PLATFORM_MERGED: _l("Platform merged"),
    EventKind.COLLECTOR_UPDATED: _l("Collector edited"),
    EventKind.COLLECTOR_MERGED: _l("Collector merged"),
    EventKind.COLLECTOR_LINKED: _l("Collector linked"),
    EventKind.REGULATOR_UPDATED: _l("Regulator edited"),
    EventKind.ROUTING_RULE_ADDED: _l("Routing rule added"),
    EventKind.ROUTING_RULE_REMOVED: _l("Routing rule removed"),
    EventKind.PUBLICATION_APPROVED: _l("Narrative approved for publication"),
    EventKind.PUBLICATION_WITHHELD: _l("Narrative withheld"),
    EventKind.PUBLICATION_REVOKED: _l("Publication approval revoked"),
    EventKind.PUBLICATION_REOPENED: _l("Narrative returned to review"),
    EventKind.PUBLICATION_CONSENT_WITHDRAWN: _l("The consumer withdrew consent to publish"),
    EventKind.PLATFORM_SENT: _l("Sent to the platform"),
    EventKind.PLATFORM_WITHHELD: _l("Not sent to the platform"),
    EventKind.PLATFORM_ANSWERED: _l("The platform answered"),
    EventKind.PLATFORM_COMPLAINT_OPENED: _l("Opened by the platform's responder"),
    EventKind.CONSUMER_REVIEWED: _l("The consumer reviewed the platform's answer"),
    EventKind.CAMPAIGN_JOINED: _l("Joined a campaign of related complaints"),
    EventKind.CAMPAIGN_LEFT: _l("Split off its campaign"),
    EventKind.AGENT_FILED: _l("Judged filed by an agent"),
    EventKind.PERSONAL_DATA_PURGED: _l("Contact details and evidence removed (retention period over)"),
    EventKind.OUTBOX_READ: _l("Outbox message read"),
}

ACTIONS: dict[str, LazyString] = {
    "accept": _l("Accepted at triage"),
    "request_info": _l("Information requested"),
    "answer_info": _l("The consumer answered"),
    "reject": _l("Rejected"),
    "refer": _l("Referred"),
    "close": _l("Closed"),
    "mark_duplicate": _l("Closed as a duplicate"),
    "withdraw": _l("Withdrawn by the consumer"),
}

#: Statuses as officers name them (the consumer's wording stays in complaints.core.labels).
STATUSES: dict[str, LazyString] = {
    "submitted": _l("Submitted"),
    "needs_info": _l("Needs information"),
    "accepted": _l("Accepted"),
    "referred": _l("Referred"),
    "closed": _l("Closed"),
}

#: Where a narrative stands in the publication queue, as supervisors name it.
PUBLICATION_STATES: dict[str, LazyString] = {
    "not_consented": _l("No consent"),
    "pending": _l("Waiting for review"),
    "approved": _l("Approved"),
    "withheld": _l("Withheld"),
}

DUPLICATE_REASONS: dict[str, LazyString] = {
    "contact": _l("Same contact details"),
    "phone": _l("Same collector phone number"),
    "narrative": _l("Near-duplicate narrative"),
    "evidence": _l("Same evidence file"),
    "origin": _l("Filed from the same network within a day"),
}


def event_title(event: CaseEvent) -> str:
    """What an event means, for officers."""
    if event.kind == EventKind.STATUS_CHANGED:
        action = str(event.data.get("action", ""))
        title = labels.label(ACTIONS, action)
        if event.data.get("resolution"):
            title += " · " + labels.label(labels.RESOLUTIONS, str(event.data["resolution"]))
        return title
    return labels.label(EVENTS, event.kind)
