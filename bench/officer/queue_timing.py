"""What both queue benchmarks share: sealing SQL-seeded rows, and timing the queue service's pages."""

import statistics
import time

from sqlalchemy.orm import Session

from complaints.casework import queue as q
from complaints.core.crypto import current_keyring
from complaints.privacy.key_rotation import rebuild_blind_indexes, reseal_rows


def seal_seeded_rows(s: Session) -> None:
    """Rows as SQL wrote them are clear: encrypt them and build the blind index, as migration 0005 would."""
    for _step in reseal_rows(s.connection(), current_keyring()):
        pass
    for _count in rebuild_blind_indexes(s.connection(), current_keyring()):
        pass
    s.commit()


def time_queue_pages() -> None:
    """Print median and max of seven runs of each queue page, then the two counts."""
    cases = {
        "first page (open)": q.QueueFilter(),
        "status=submitted": q.QueueFilter(status="submitted"),
        "platform=7": q.QueueFilter(platform_id=7, status="all"),
        "severity=urgent": q.QueueFilter(severity="urgent"),
        "code=THR-01": q.QueueFilter(code="THR-01"),
        "search 张伟": q.QueueFilter(search="张伟", status="all"),
        "reference prefix": q.QueueFilter(search="CW-2026-00012", status="all"),
        "search absent 李娜": q.QueueFilter(search="李娜", status="all"),
        "reference exact": q.QueueFilter(search="CW-2026-0001234", status="all"),
        "page 50 via cursor": None,
    }
    page = q.queue_page(q.QueueFilter())
    cursor = page.next_cursor
    for _ in range(48):
        cursor = q.queue_page(q.QueueFilter(cursor=cursor)).next_cursor
    cases["page 50 via cursor"] = q.QueueFilter(cursor=cursor)
    for label, f in cases.items():
        times = []
        for _ in range(7):
            t = time.perf_counter()
            q.queue_page(f)
            times.append((time.perf_counter() - t) * 1000)
        print(f"{label:22s} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms")
    t = time.perf_counter()
    q.status_counts()
    print(f"status counts          {((time.perf_counter() - t) * 1000):7.1f} ms")
    t = time.perf_counter()
    q.overdue_count()
    print(f"overdue count          {((time.perf_counter() - t) * 1000):7.1f} ms")
