"""Slack event de-duplication: Slack retries an event it thinks we missed, with the same id.

Retries come within minutes, so the table only has to remember ids for a
while; ``purge_processed_events`` keeps it small.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.models import ProcessedEvent
from bot.store.repositories._upsert import insert_on_conflict

#: Slack gives up retrying after about an hour; a day leaves ample margin.
DEFAULT_EVENT_MEMORY = timedelta(days=1)


def mark_event_processed(
    session: Session, event_id: str, team_id: str | None, now: datetime
) -> bool:
    """``True`` the first time an event id is seen, ``False`` for every retry of it.

    One ``INSERT ... ON CONFLICT DO NOTHING``: of concurrent callers exactly
    one inserts (PostgreSQL makes the others wait for its commit, SQLite
    serialises writers), so a select-then-insert race cannot let a retry
    through. The mark is only durable once the caller commits.
    """
    if not event_id:
        raise ValueError("a Slack event needs an event id")
    statement = (
        insert_on_conflict(session, ProcessedEvent)
        .values(event_id=event_id, team_id=team_id, received_at=now)
        .on_conflict_do_nothing(index_elements=[ProcessedEvent.event_id])
        .returning(ProcessedEvent.event_id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def purge_processed_events(
    session: Session, now: datetime, *, keep: timedelta = DEFAULT_EVENT_MEMORY
) -> int:
    """Forget event ids received more than ``keep`` before ``now``; returns how many went."""
    result = session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.received_at < now - keep),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))
