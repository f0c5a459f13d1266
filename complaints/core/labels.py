"""Human labels for the domain's codes, in the visitor's language (the codes stay in data)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

CHANNELS: dict[str, LazyString] = {
    "call": _l("Phone calls"),
    "sms": _l("Text messages (SMS)"),
    "messaging_app": _l("WeChat, QQ or other messaging apps"),
    "email": _l("E-mail"),
    "visit": _l("Visits in person"),
    "social_media": _l("Social media posts"),
    "letter": _l("Letters or documents"),
    "third_party": _l("Through other people"),
}

THIRD_PARTIES: dict[str, LazyString] = {
    "family": _l("Family members"),
    "contacts_list": _l("People in my phone contacts"),
    "employer": _l("My employer"),
    "colleagues": _l("Colleagues"),
    "friends": _l("Friends"),
    "other": _l("Others"),
}

STAGES: dict[str, LazyString] = {
    "reminder": _l("Reminders from the lender"),
    "in_house": _l("The lender's own collection team"),
    "outsourced": _l("A collection agency"),
    "legal": _l("Lawyers or a lawsuit"),
}

COLLECTOR_KINDS: dict[str, LazyString] = {
    "in_house": _l("The platform's own staff"),
    "agency": _l("A collection agency"),
    "law_firm": _l("A law firm"),
    "unknown": _l("I don't know"),
}

STATUSES: dict[str, LazyString] = {
    "submitted": _l("Received, waiting for review"),
    "needs_info": _l("We need more information from you"),
    "accepted": _l("Reviewed and accepted"),
    "referred": _l("Sent to a regulator"),
    "closed": _l("Closed"),
}

STATUS_EXPLANATIONS: dict[str, LazyString] = {
    "submitted": _l("A case officer will read your complaint. This usually takes a few working days."),
    "needs_info": _l("A case officer asked you a question. Please answer it below."),
    "accepted": _l("Your complaint passed review and now counts in the public statistics (without your details)."),
    "referred": _l("Your complaint was sent to a regulator that can act on it."),
    "closed": _l("Work on this complaint has ended."),
}

RESOLUTIONS: dict[str, LazyString] = {
    "resolved": _l("Resolved"),
    "regulator_action": _l("A regulator acted"),
    "unresolved": _l("Closed without a remedy"),
    "withdrawn": _l("Withdrawn by you"),
    "duplicate": _l("Merged with another complaint"),
    "rejected_out_of_scope": _l("Not something we can handle"),
    "rejected_insufficient": _l("Not enough information"),
    "rejected_spam": _l("Rejected as spam"),
}

SEVERITIES: dict[str, LazyString] = {
    "urgent": _l("Urgent"),
    "high": _l("High"),
    "normal": _l("Normal"),
}

PLATFORM_KINDS: dict[str, LazyString] = {
    "installment_mall": _l("Installment-shopping mall"),
    "lending_app": _l("Lending app"),
    "consumer_finance": _l("Consumer-finance company"),
    "bank_card": _l("Bank card"),
    "microlender": _l("Microlender"),
    "phone_rental": _l("Phone rental"),
    "bnpl": _l("Buy now, pay later"),
    "other": _l("Other"),
}

REFERRAL_STATUSES: dict[str, LazyString] = {
    "sent": _l("Sent"),
    "acknowledged": _l("Acknowledged"),
    "action_taken": _l("Action taken"),
    "declined": _l("Declined"),
    "no_response": _l("No response"),
}

#: How a regulator takes complaints (its `intake_channel`), as the consumer reads it before its contact.
REGULATOR_CHANNELS: dict[str, LazyString] = {
    "hotline": _l("Hotline"),
    "web_portal": _l("Web portal"),
    "email": _l("E-mail"),
    "post": _l("Post"),
}

EVENT_KINDS: dict[str, LazyString] = {
    "submitted": _l("You filed the complaint"),
    "information_added": _l("You added information"),
    "status_changed": _l("Status changed"),
    "message_to_complainant": _l("Message from a case officer"),
    "information_requested": _l("A case officer asked for more information"),
    "referred": _l("Sent to a regulator"),
    "publication_consent_withdrawn": _l("You withdrew your consent to publish your story"),
    "platform_sent": _l("Sent to the platform, which must answer within 15 days"),
    "platform_answered": _l("The platform answered"),
    "consumer_reviewed": _l("You said whether the platform's answer settled your complaint"),
}

RESPONSE_TYPES: dict[str, LazyString] = {
    "monetary_relief": _l("Money back: fees or interest refunded, or the debt reduced"),
    "non_monetary_relief": _l("Action taken: collection stopped, agency removed, record corrected or an apology"),
    "explanation": _l("An explanation, without relief"),
    "in_progress": _l("In progress: a final answer will follow within 60 days"),
    "not_our_customer": _l("The platform says you are not its customer"),
}

PLATFORM_STAGES: dict[str, LazyString] = {
    "not_sent": _l("Not sent to the platform"),
    "withheld": _l("Not sent to the platform"),
    "awaiting": _l("Waiting for the platform's answer"),
    "in_progress": _l("The platform is working on it"),
    "answered": _l("The platform answered"),
    "settled": _l("Settled by the platform's answer"),
    "disputed": _l("The answer was disputed"),
    "not_our_customer": _l("The platform says it is not its customer"),
}

CONSUMER_REVIEWS: dict[str, LazyString] = {
    "settled": _l("Settled"),
    "disputed": _l("Disputed"),
}


def label(mapping: dict[str, LazyString], code: str | None) -> str:
    """The label of a code, or the code itself when it has none."""
    if code is None:
        return ""
    return str(mapping.get(code, code))
