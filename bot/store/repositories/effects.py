"""The ledger of Slack side effects: an intent written before each call, the result after.

A crash can fall between Slack doing something and the app learning of it.
The ledger tells a resumed attempt which effects are settled (``done_at``
set: skip them), which were begun and may have happened (look in Slack before
calling again), and which never started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.store.models import SlackEffect
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now

#: Settled effects are kept this long: longer than any job, event retry or digest takeover.
DEFAULT_EFFECT_MEMORY = timedelta(days=30)


@dataclass(frozen=True)
class EffectState:
    """What the ledger knows of one effect when an attempt begins it."""

    key: str
    channel_id: str
    thread_ts: str | None
    ts: str | None
    file_id: str | None
    #: ``True`` when an earlier attempt began this effect and did not record its end.
    unsettled: bool
    done: bool
    intended_at: datetime


def begin_effect(
    session: Session,
    workspace_id: int,
    key: str,
    *,
    channel_id: str,
    thread_ts: str | None = None,
    now: datetime | None = None,
) -> EffectState:
    """Record the intent to make effect ``key`` and say what earlier attempts left.

    The first call inserts the row; later calls (a resumed attempt) count the
    attempt and keep the first ``intended_at``, from which a search of the
    channel starts. Commit before making the call: the intent must survive a crash.
    """
    moment = now or utc_now()
    statement = (
        insert_on_conflict(session, SlackEffect)
        .values(
            workspace_id=workspace_id,
            key=key,
            channel_id=channel_id,
            thread_ts=thread_ts,
            attempts=1,
            intended_at=moment,
        )
        .on_conflict_do_nothing(index_elements=[SlackEffect.workspace_id, SlackEffect.key])
        .returning(SlackEffect.id)
    )
    fresh = session.execute(statement).scalar_one_or_none() is not None
    row = _row(session, workspace_id, key)
    assert row is not None  # inserted now, or there before
    if not fresh and row.done_at is None:
        session.execute(
            update(SlackEffect)
            .where(SlackEffect.id == row.id)
            .values(attempts=SlackEffect.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    return EffectState(
        key=key,
        channel_id=row.channel_id,
        thread_ts=row.thread_ts,
        ts=row.ts,
        file_id=row.file_id,
        unsettled=not fresh and row.done_at is None,
        done=row.done_at is not None,
        intended_at=row.intended_at,
    )


def note_file(session: Session, workspace_id: int, key: str, file_id: str) -> None:
    """Remember the file an upload reserved, before it is shared: ``files.info`` can find it."""
    session.execute(
        update(SlackEffect)
        .where(SlackEffect.workspace_id == workspace_id, SlackEffect.key == key)
        .values(file_id=file_id)
        .execution_options(synchronize_session=False)
    )


def settle_effect(
    session: Session,
    workspace_id: int,
    key: str,
    *,
    ts: str | None = None,
    file_id: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record that effect ``key`` happened (its message ``ts``, its ``file_id``)."""
    values: dict[str, object] = {"done_at": now or utc_now()}
    if ts is not None:
        values["ts"] = ts
    if file_id is not None:
        values["file_id"] = file_id
    session.execute(
        update(SlackEffect)
        .where(SlackEffect.workspace_id == workspace_id, SlackEffect.key == key)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def find_effect(session: Session, workspace_id: int, key: str) -> SlackEffect | None:
    """The ledger row of effect ``key`` (tests and the operator read it)."""
    return _row(session, workspace_id, key)


def purge_settled_effects(
    session: Session, now: datetime, *, keep: timedelta = DEFAULT_EFFECT_MEMORY
) -> int:
    """Forget effects settled more than ``keep`` before ``now``; returns how many went."""
    result = session.execute(
        delete(SlackEffect).where(SlackEffect.done_at < now - keep),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))


def _row(session: Session, workspace_id: int, key: str) -> SlackEffect | None:
    return session.scalars(
        select(SlackEffect)
        .where(SlackEffect.workspace_id == workspace_id, SlackEffect.key == key)
        .execution_options(populate_existing=True)
    ).one_or_none()
