"""Two `send-mail` workers at once never send one message twice (SKIP LOCKED on PostgreSQL, one writer on SQLite)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.mail import messages, outbox, sender, smtp
from complaints.models import OutboxMessage
from tests.support.smtp_server import SmtpServer


def enqueue_many(count: int) -> list[int]:
    rows = [
        outbox.enqueue(
            messages.consumer_answered(
                recipient=f"many{n}@example.org",
                language="en",
                reference=f"CW-2026-{n:06d}",
                link="https://x.example.org",
            )
        )
        for n in range(count)
    ]
    db.session.commit()
    return [row.id for row in rows]


def test_a_second_worker_claiming_meanwhile_takes_other_messages(app: Flask) -> None:
    ids = enqueue_many(5)
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    postgresql = db.engine.dialect.name == "postgresql"
    with app.app_context():  # worker A: a session of its own
        first = [m.id for m in outbox.claim(now, 2)]
        if not postgresql:
            db.session.commit()  # SQLite has one writer: B would wait for A's commit
        with app.app_context():  # worker B, while A (on PostgreSQL) still holds its claim uncommitted
            second = [m.id for m in outbox.claim(now, 10)]
            db.session.commit()
        db.session.commit()
    assert first == ids[:2]
    assert second == ids[2:], "B passes over what A holds and takes the rest"
    with app.app_context():
        assert outbox.claim(now, 10) == [], "a claimed message is not due again until its lease ends"
        assert len(outbox.claim(now + outbox.CLAIM_LEASE, 10)) == 5
        db.session.rollback()


def test_workers_racing_over_one_outbox_deliver_each_message_exactly_once(app: Flask, smtp_server: SmtpServer) -> None:
    ids = enqueue_many(40)
    start = threading.Barrier(4)
    deliveries: Counter[int] = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def deliver(settings: smtp.SmtpSettings, message: OutboxMessage) -> None:
        with lock:
            deliveries[message.id] += 1
        smtp.send(settings, message)

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                sender.send_due(deliver=deliver)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert deliveries == Counter({i: 1 for i in ids})
    assert sorted(Counter(d.message_id for d in smtp_server.delivered).values()) == [1] * 40
    assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0
