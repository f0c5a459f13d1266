"""The four messages: in the recipient's language, with the product's name first, and no private detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from complaints.mail import messages
from complaints.mail.outbox import Message
from complaints.models import ComplaintStatus, MailKind, MailLanguage

LINK = "https://collectwatch.example.org/p"
REF = "CW-2026-000777"


def each_message(language: str) -> dict[MailKind, Message]:
    common: dict[str, Any] = {"recipient": "someone@example.org", "language": language, "link": LINK}
    return {
        MailKind.RESPONDER_NEW_COMPLAINT: messages.responder_new_complaint(reference=REF, **common),
        MailKind.CONSUMER_ANSWERED: messages.consumer_answered(reference=REF, **common),
        MailKind.CONSUMER_STATUS_CHANGED: messages.consumer_status_changed(reference=REF, status="referred", **common),
        MailKind.OFFICER_OVERDUE: messages.officer_overdue(references=[REF, "CW-2026-000778"], **common),
    }


@pytest.mark.parametrize(("language", "prefix"), [("zh_Hans", "催收观察："), ("en", "CollectWatch: ")])
def test_every_message_is_in_the_recipients_language_with_the_reference_and_link(language: str, prefix: str) -> None:
    for kind, message in each_message(language).items():
        assert message.kind is kind and message.language == MailLanguage(language)
        assert message.subject.startswith(prefix), message.subject
        assert REF in message.body and LINK in message.body
        has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in message.subject + message.body)
        assert has_chinese == (language == "zh_Hans"), (kind, message.body)
        assert "someone@example.org" not in message.body


def test_the_status_is_shown_by_its_label_and_the_deadline_in_days() -> None:
    zh = messages.consumer_status_changed(
        recipient="a@example.org", language="zh_Hans", reference=REF, status="needs_info", link=LINK
    )
    en = messages.consumer_status_changed(
        recipient="a@example.org", language="en", reference=REF, status="closed", link=LINK
    )
    assert "needs_info" not in zh.body and "打开投诉状态页回答" in zh.body
    assert "is now: Closed" in en.body
    responder = messages.responder_new_complaint(recipient="r@example.org", language="en", reference=REF, link=LINK)
    assert "within 15 days" in responder.body
    for status in ComplaintStatus:
        messages.consumer_status_changed(
            recipient="a@example.org", language="en", reference=REF, status=status, link=LINK
        )


def test_a_language_code_is_read_as_zh_hans_or_en() -> None:
    assert messages.mail_language("zh") is MailLanguage.ZH_HANS
    assert messages.mail_language("en-GB") is MailLanguage.EN
    assert messages.mail_language("") is MailLanguage.ZH_HANS, "the default language, Chinese"


def answered_to(recipient: str) -> Message:
    return messages.consumer_answered(recipient=recipient, language="en", reference=REF, link=LINK)


def status_mail(status: str) -> Message:
    return messages.consumer_status_changed(
        recipient="a@example.org", language="en", reference=REF, status=status, link=LINK
    )


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (answered_to, "no-at-sign"),
        (answered_to, "a@example.org\r\nBcc: b@example.org"),
        (answered_to, "a@example.org, b@example.org"),
        (status_mail, "lost"),
    ],
)
def test_what_could_add_a_recipient_or_an_unknown_status_is_refused(call: Callable[[str], Message], value: str) -> None:
    with pytest.raises(ValueError):
        call(value)


def test_an_international_address_is_kept_as_typed() -> None:
    message = messages.consumer_answered(recipient=" 王小明@example.org ", language="zh_Hans", reference=REF, link=LINK)
    assert message.recipient == "王小明@example.org"
