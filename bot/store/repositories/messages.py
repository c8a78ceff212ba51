"""The Slack messages the app posted and may update later (vetting, digests, progress).

Keeping their content, channel and ``ts`` means an update never needs
``conversations.history``, which Slack limits to one call a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import SlackMessage
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now


def save_message(
    session: Session,
    workspace_id: int,
    *,
    kind: str,
    channel_id: str,
    ts: str,
    content: Mapping[str, Any],
    thread_ts: str | None = None,
    subject_id: int | None = None,
    now: datetime | None = None,
) -> SlackMessage:
    """Remember a posted message (``content`` as posted: ``blocks`` and ``text``).

    Saving the same ``(channel_id, ts)`` again (a retried step) refreshes the
    row instead of failing. A message already stored for another workspace is
    never overwritten: that raises ``ValueError``.
    """
    now = now or utc_now()
    values = {
        "kind": kind,
        "thread_ts": thread_ts,
        "content": dict(content),
        "subject_id": subject_id,
        "updated_at": now,
    }
    statement = insert_on_conflict(session, SlackMessage).values(
        workspace_id=workspace_id, channel_id=channel_id, ts=ts, created_at=now, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=[SlackMessage.channel_id, SlackMessage.ts],
        set_={name: statement.excluded[name] for name in values},
        where=SlackMessage.workspace_id == statement.excluded.workspace_id,
    )
    session.execute(statement)
    message = find_message(session, workspace_id, channel_id, ts)
    if message is None:
        raise ValueError(f"message {channel_id}/{ts} belongs to another workspace")
    return message


def find_message(
    session: Session, workspace_id: int, channel_id: str, ts: str
) -> SlackMessage | None:
    """The workspace's stored message at ``channel_id``/``ts`` (e.g. the one a reaction is on)."""
    return session.scalars(
        select(SlackMessage)
        .where(
            SlackMessage.workspace_id == workspace_id,
            SlackMessage.channel_id == channel_id,
            SlackMessage.ts == ts,
        )
        .execution_options(populate_existing=True)
    ).one_or_none()


def find_subject_message(
    session: Session, workspace_id: int, kind: str, subject_id: int
) -> SlackMessage | None:
    """The latest ``kind`` message about ``subject_id`` (say, a placement's vetting message)."""
    return session.scalars(
        select(SlackMessage)
        .where(
            SlackMessage.workspace_id == workspace_id,
            SlackMessage.kind == kind,
            SlackMessage.subject_id == subject_id,
        )
        .order_by(SlackMessage.created_at.desc(), SlackMessage.id.desc())
        .limit(1)
    ).one_or_none()


def update_message_content(
    session: Session,
    workspace_id: int,
    channel_id: str,
    ts: str,
    content: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> bool:
    """Record what a ``chat.update`` replaced the message with; ``False`` if it is not stored."""
    statement = (
        update(SlackMessage)
        .where(
            SlackMessage.workspace_id == workspace_id,
            SlackMessage.channel_id == channel_id,
            SlackMessage.ts == ts,
        )
        .values(content=dict(content), updated_at=now or utc_now())
        .returning(SlackMessage.id)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).scalar_one_or_none() is not None
