"""A retried Slack event (same event id) is processed once, even when the retries race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction
from bot.store.models import ProcessedEvent
from bot.store.repositories import mark_event_processed, purge_processed_events

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def test_retried_event_counts_once(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        first = mark_event_processed(session, "Ev01", "T1", NOW)
    with transaction(session_factory) as session:
        retry = mark_event_processed(session, "Ev01", "T1", NOW + timedelta(seconds=3))
        other = mark_event_processed(session, "Ev02", "T1", NOW)

    assert (first, retry, other) == (True, False, True)
    with session_factory() as session:
        stored = session.get(ProcessedEvent, "Ev01")
        assert stored is not None
        assert (stored.team_id, stored.received_at) == ("T1", NOW)


def test_the_same_event_twice_in_one_transaction_counts_once(session: Session) -> None:
    assert mark_event_processed(session, "Ev01", None, NOW)
    assert not mark_event_processed(session, "Ev01", None, NOW)


def test_concurrent_deliveries_of_one_event_let_exactly_one_through(
    session_factory: sessionmaker[Session],
) -> None:
    deliveries = 8
    start = threading.Barrier(deliveries)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def deliver() -> None:
        start.wait()
        with transaction(session_factory) as session:
            first = mark_event_processed(session, "Ev-race", "T1", NOW)
        with lock:
            outcomes.append(first)

    threads = [threading.Thread(target=deliver) for _ in range(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [False] * (deliveries - 1) + [True]


def test_purge_forgets_only_old_event_ids(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        mark_event_processed(session, "Ev-old", "T1", NOW - timedelta(days=2))
        mark_event_processed(session, "Ev-new", "T1", NOW - timedelta(hours=1))

    with transaction(session_factory) as session:
        assert purge_processed_events(session, NOW) == 1

    with transaction(session_factory) as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev-new"]
        # Forgotten ids are new again: only ids Slack could still retry are kept.
        assert mark_event_processed(session, "Ev-old", "T1", NOW)
