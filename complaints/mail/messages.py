"""The four messages the outbox sends, each composed in its recipient's language and saying only what they may see.

A message carries a complaint's reference, what happened and a link to the page where the
recipient signs in or opens their complaint to read the rest: never a name, a phone number, a
narrative or an answer's text, since mail leaves our hands and may be read by someone else.
Each function returns an unsaved `Message`; `outbox.enqueue` adds it to the caller's transaction.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from complaints.core import labels
from complaints.mail.outbox import Message
from complaints.models import ComplaintStatus, MailKind, MailLanguage
from complaints.models.response import ANSWER_DAYS

#: What a status means, where the status page's own explanation ("answer it below") does not fit a mail.
MAIL_EXPLANATIONS: dict[str, LazyString] = {
    "needs_info": _l("A case officer asked you a question. Open your status page to answer it."),
}


def mail_language(language: str) -> MailLanguage:
    """The language to write in: zh_Hans or en from a stored language code, else the app's default."""
    code = (language or "").replace("-", "_").lower()
    if code.startswith("zh"):
        return MailLanguage.ZH_HANS
    if code.startswith("en"):
        return MailLanguage.EN
    default = current_app.config.get("DEFAULT_LANGUAGE", "zh_Hans") if has_app_context() else "zh_Hans"
    return MailLanguage.EN if str(default).startswith("en") else MailLanguage.ZH_HANS


def checked_recipient(recipient: str) -> str:
    """The address, trimmed; ValueError unless it looks like one address on one line.

    The forms already checked it (international addresses such as 测试@example.org included, which
    the SMTP server must then accept with SMTPUTF8); this only refuses what could add a header or
    a second recipient.
    """
    value = recipient.strip()
    local, at, domain = value.rpartition("@")
    if not (local and at and domain) or any(ch in value for ch in "\r\n,;<>") or any(ch.isspace() for ch in domain):
        raise ValueError("not one e-mail address")
    return value


def _footer() -> str:
    return _("This message was sent automatically by CollectWatch. Replies to it are not read.")


def _message(kind: MailKind, recipient: str, language: MailLanguage, subject: str, paragraphs: list[str]) -> Message:
    return Message(
        kind=kind,
        recipient=recipient,
        language=language,
        subject=subject,
        body="\n\n".join([*paragraphs, _footer()]) + "\n",
    )


def responder_new_complaint(*, recipient: str, language: str, reference: str, link: str) -> Message:
    """A platform's representative: a complaint about their platform waits in their portal."""
    address, lang = checked_recipient(recipient), mail_language(language)
    with force_locale(lang.value):
        return _message(
            MailKind.RESPONDER_NEW_COMPLAINT,
            address,
            lang,
            _("CollectWatch: a new complaint about your platform (%(reference)s)", reference=reference),
            [
                _(
                    "A consumer filed complaint %(reference)s about your platform's debt collection. "
                    "It is waiting for your answer in the CollectWatch platform portal.",
                    reference=reference,
                ),
                _(
                    "Please sign in and answer within %(days)s days of this notice. The complaint's details "
                    "are shown only in the portal, never by e-mail.",
                    days=ANSWER_DAYS,
                ),
                link,
            ],
        )


def consumer_answered(*, recipient: str, language: str, reference: str, link: str) -> Message:
    """A consumer who agreed to be contacted: the platform answered their complaint."""
    address, lang = checked_recipient(recipient), mail_language(language)
    with force_locale(lang.value):
        return _message(
            MailKind.CONSUMER_ANSWERED,
            address,
            lang,
            _("CollectWatch: the platform answered your complaint %(reference)s", reference=reference),
            [
                _("The platform answered your complaint %(reference)s.", reference=reference),
                _(
                    "Open your complaint's status page with your reference and access code to read the answer, "
                    "and tell us whether it settled your complaint."
                ),
                link,
                _("You receive this e-mail because you agreed to be contacted about your complaint."),
            ],
        )


def consumer_status_changed(*, recipient: str, language: str, reference: str, status: str, link: str) -> Message:
    """A consumer who agreed to be contacted: their complaint moved to another status."""
    address, lang = checked_recipient(recipient), mail_language(language)
    code = ComplaintStatus(status).value  # ValueError for a status that does not exist
    with force_locale(lang.value):
        label = labels.label(labels.STATUSES, code)
        return _message(
            MailKind.CONSUMER_STATUS_CHANGED,
            address,
            lang,
            _("CollectWatch: news about your complaint %(reference)s", reference=reference),
            [
                _("The status of your complaint %(reference)s is now: %(status)s", reference=reference, status=label),
                str(MAIL_EXPLANATIONS.get(code) or labels.label(labels.STATUS_EXPLANATIONS, code)),
                _("Open your complaint's status page with your reference and access code to see more."),
                link,
                _("You receive this e-mail because you agreed to be contacted about your complaint."),
            ],
        )


def officer_overdue(*, recipient: str, language: str, references: list[str], link: str) -> Message:
    """Officers: these complaints' platform answers are past their deadline."""
    address, lang = checked_recipient(recipient), mail_language(language)
    with force_locale(lang.value):
        return _message(
            MailKind.OFFICER_OVERDUE,
            address,
            lang,
            _("CollectWatch: overdue platform answers (%(count)s)", count=len(references)),
            [
                _(
                    "The platforms have not answered these complaints within %(days)s days:",
                    days=ANSWER_DAYS,
                ),
                "\n".join(f"- {reference}" for reference in references),
                link,
            ],
        )
