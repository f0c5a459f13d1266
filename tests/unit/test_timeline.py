"""A complaint's timeline is read in one place: its own events, oldest first, filtered by audience or kind."""

from complaints.audit.events import record_event, timeline
from tests.factories import ComplaintFactory


def test_the_timeline_holds_only_this_complaints_events_oldest_first() -> None:
    complaint, other = ComplaintFactory(), ComplaintFactory()
    first = record_event("submitted", complaint=complaint, visible_to_complainant=True)
    record_event("submitted", complaint=other)
    note = record_event("note_added", complaint=complaint)
    last = record_event("status_changed", complaint=complaint, visible_to_complainant=True)
    assert timeline(complaint) == [first, note, last]


def test_the_consumer_sees_only_the_events_meant_for_them() -> None:
    complaint = ComplaintFactory()
    shown = record_event("submitted", complaint=complaint, visible_to_complainant=True)
    record_event("note_added", complaint=complaint)
    assert timeline(complaint, consumer_visible=True) == [shown]


def test_the_timeline_can_be_narrowed_to_some_kinds() -> None:
    complaint = ComplaintFactory()
    submitted = record_event("submitted", complaint=complaint)
    record_event("note_added", complaint=complaint)
    referred = record_event("referral_updated", complaint=complaint)
    assert timeline(complaint, kinds=["submitted", "referral_updated"]) == [submitted, referred]
