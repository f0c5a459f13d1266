"""The queue service on its own: counts reuse, reference search, cursor robustness."""

from __future__ import annotations

from complaints.services import queue
from tests.factories import ComplaintFactory


def test_status_counts_are_reused_only_within_their_age() -> None:
    ComplaintFactory()
    assert queue.status_counts()["submitted"] == 1
    ComplaintFactory()
    assert queue.status_counts(max_age=60)["submitted"] == 1
    assert queue.status_counts(max_age=0)["submitted"] == 2


def test_a_whole_reference_a_prefix_and_a_nonsense_cursor() -> None:
    first, second = ComplaintFactory(reference="CW-2026-000101"), ComplaintFactory(reference="CW-2026-000102")
    exact = queue.queue_page(queue.QueueFilter(search="cw-2026-000101"))
    assert [c.id for c in exact.complaints] == [first.id]
    prefix = queue.queue_page(queue.QueueFilter(search="CW-2026-0001"))
    assert {c.id for c in prefix.complaints} == {first.id, second.id}
    garbage = queue.queue_page(queue.QueueFilter(cursor="not~a~cursor"))
    assert len(garbage.complaints) == 2
