"""The queue service on its own: counts reuse, reference search, cursor robustness."""

from __future__ import annotations

from complaints.casework import queue
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


def test_reference_prefixes_ending_anywhere_find_exactly_their_complaints() -> None:
    ComplaintFactory(reference="CW-2025-000999")
    inside = [ComplaintFactory(reference=f"CW-2026-00{n}") for n in ("0199", "0200", "1000")]
    for prefix, expected in (("CW-", 4), ("CW-2026", 3), ("CW-2026-", 3), ("CW-2026-0002", 1), ("cw-2026-0001", 1)):
        found = queue.queue_page(queue.QueueFilter(search=prefix, status="all")).complaints
        assert len(found) == expected, prefix
    assert inside
