"""Labels officers read for timeline events and duplicate reasons (the consumer's labels stay in core)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from complaints.core import labels
from complaints.models import CaseEvent

EVENTS: dict[str, LazyString] = {
    "submitted": _l("Filed by the consumer"),
    "information_added": _l("The consumer added information"),
    "status_changed": _l("Status changed"),
    "message_to_complainant": _l("Message to the consumer"),
    "note": _l("Internal note"),
    "assigned": _l("Assigned"),
    "unassigned": _l("Unassigned"),
    "evidence_opened": _l("Evidence opened"),
    "packet_viewed": _l("Referral packet opened"),
    "referral_updated": _l("Referral updated"),
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "account_created": _l("Account created"),
    "account_enrolled": _l("Account enrolled"),
    "password_changed": _l("Password changed"),
    "totp_reset": _l("Password and authenticator reset"),
    "account_disabled": _l("Account disabled"),
    "account_enabled": _l("Account enabled"),
    "platform_updated": _l("Platform edited"),
    "platform_merged": _l("Platform merged"),
    "collector_updated": _l("Collector edited"),
    "collector_merged": _l("Collector merged"),
    "collector_linked": _l("Collector linked"),
    "regulator_updated": _l("Regulator edited"),
    "routing_rule_added": _l("Routing rule added"),
    "routing_rule_removed": _l("Routing rule removed"),
    "publication_approved": _l("Narrative approved for publication"),
    "publication_withheld": _l("Narrative withheld"),
    "publication_revoked": _l("Publication approval revoked"),
    "publication_reopened": _l("Narrative returned to review"),
    "publication_consent_withdrawn": _l("The consumer withdrew consent to publish"),
    "personal_data_purged": _l("Contact details and evidence removed (retention period over)"),
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
    "narrative": _l("Near-identical narrative"),
}


def event_title(event: CaseEvent) -> str:
    """What an event means, for officers."""
    if event.kind == "status_changed":
        action = str(event.data.get("action", ""))
        title = labels.label(ACTIONS, action)
        if event.data.get("resolution"):
            title += " · " + labels.label(labels.RESOLUTIONS, str(event.data["resolution"]))
        return title
    return labels.label(EVENTS, event.kind)
