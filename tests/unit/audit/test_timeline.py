"""A complaint's timeline is read in one place: its own events, oldest first, filtered by audience or kind."""

from complaints.audit.events import record_event, timeline
from complaints.models import EventKind
from tests.factories import ComplaintFactory


def test_the_timeline_holds_only_this_complaints_events_oldest_first() -> None:
    complaint, other = ComplaintFactory(), ComplaintFactory()
    first = record_event(EventKind.SUBMITTED, complaint=complaint, visible_to_complainant=True)
    record_event(EventKind.SUBMITTED, complaint=other)
    note = record_event(EventKind.NOTE, complaint=complaint)
    last = record_event(EventKind.STATUS_CHANGED, complaint=complaint, visible_to_complainant=True)
    assert timeline(complaint) == [first, note, last]


def test_the_consumer_sees_only_the_events_meant_for_them() -> None:
    complaint = ComplaintFactory()
    shown = record_event(EventKind.SUBMITTED, complaint=complaint, visible_to_complainant=True)
    record_event(EventKind.NOTE, complaint=complaint)
    assert timeline(complaint, consumer_visible=True) == [shown]


def test_the_timeline_can_be_narrowed_to_some_kinds() -> None:
    complaint = ComplaintFactory()
    submitted = record_event(EventKind.SUBMITTED, complaint=complaint)
    record_event(EventKind.NOTE, complaint=complaint)
    referred = record_event(EventKind.REFERRAL_UPDATED, complaint=complaint)
    assert timeline(complaint, kinds=[EventKind.SUBMITTED, EventKind.REFERRAL_UPDATED]) == [submitted, referred]
