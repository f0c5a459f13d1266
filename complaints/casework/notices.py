"""Who is told of what by mail, as casework happens: each notice joins the outbox in the same transaction.

- A platform's responders, of each complaint sent to their platform.
- A consumer who gave an e-mail and agreed to be contacted, of the platform's answer and of each
  status change an officer made (not of the steps they took themselves).
- Officers, once per complaint, when a platform's answer is overdue: the assignee, or every
  active supervisor when nobody is assigned (`platform_loop.remind_overdue`, run by `flask send-mail`).

Mail leaves our hands, so the messages (`complaints.mail.messages`) carry a reference and a link,
never the complaint's content. A change that rolls back takes its notices with it.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from complaints.core.routing import absolute_url
from complaints.extensions import db
from complaints.mail import messages, outbox
from complaints.models import Complaint, ComplaintStatus, Officer, Role

#: Responders and officers have no language of their own yet: they are written to in the product's first language.
RESPONDER_LANGUAGE = "zh_Hans"
#: At most this many references are listed in one officer's reminder (the link lists them all).
REMINDER_REFERENCES = 50


def _consumer_address(complaint: Complaint) -> str:
    """The consumer's e-mail, only if they agreed to be contacted about this complaint."""
    return (complaint.contact_email or "").strip() if complaint.consent_contact else ""


def complaint_sent(complaint: Complaint) -> int:
    """Tell every active responder of the complaint's platform; returns how many were told."""
    responders = db.session.scalars(
        select(Officer).where(
            Officer.role == Role.RESPONDER.value,
            Officer.platform_id == complaint.platform_id,
            Officer.active.is_(True),
        )
    ).all()
    link = absolute_url("respond.complaint", reference=complaint.reference)
    for responder in responders:
        outbox.enqueue(
            messages.responder_new_complaint(
                recipient=responder.email, language=RESPONDER_LANGUAGE, reference=complaint.reference, link=link
            )
        )
    return len(responders)


def platform_answered(complaint: Complaint) -> bool:
    """Tell the consumer (if they agreed to be contacted) that the platform answered."""
    address = _consumer_address(complaint)
    if not address:
        return False
    outbox.enqueue(
        messages.consumer_answered(
            recipient=address,
            language=complaint.language,
            reference=complaint.reference,
            link=absolute_url("public.status_lookup"),
        )
    )
    return True


def status_changed(complaint: Complaint, status: ComplaintStatus) -> bool:
    """Tell the consumer (if they agreed to be contacted) that an officer moved their complaint."""
    address = _consumer_address(complaint)
    if not address:
        return False
    outbox.enqueue(
        messages.consumer_status_changed(
            recipient=address,
            language=complaint.language,
            reference=complaint.reference,
            status=status.value,
            link=absolute_url("public.status_lookup"),
        )
    )
    return True


def answers_overdue(overdue: list[Complaint]) -> int:
    """Tell officers of these overdue platform answers: each assignee of theirs, every supervisor of the
    unassigned; returns how many messages were written."""
    supervisors = db.session.scalars(
        select(Officer).where(Officer.role == Role.ADMIN.value, Officer.active.is_(True)).order_by(Officer.id)
    ).all()
    staff = {officer.id: officer for officer in supervisors}
    by_recipient: dict[int, list[str]] = defaultdict(list)
    for complaint in overdue:
        assignee = complaint.assignee
        if assignee is not None and assignee.active and not assignee.is_responder:
            staff[assignee.id] = assignee
            by_recipient[assignee.id].append(complaint.reference)
        else:
            for supervisor in supervisors:
                by_recipient[supervisor.id].append(complaint.reference)
    link = absolute_url("officer.queue", answers="overdue")
    for officer_id, references in by_recipient.items():
        outbox.enqueue(
            messages.officer_overdue(
                recipient=staff[officer_id].email,
                language=RESPONDER_LANGUAGE,
                references=references[:REMINDER_REFERENCES],
                link=link,
            )
        )
    return len(by_recipient)
