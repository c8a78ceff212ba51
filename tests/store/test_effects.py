"""The ledger of Slack effects: an intent before the call, the result after, kept 30 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction, write_transaction
from bot.store.models import SlackEffect
from bot.store.repositories import (
    begin_effect,
    get_or_create_workspace,
    note_file,
    purge_settled_effects,
    settle_effect,
)

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _workspace(session_factory: sessionmaker[Session], team: str = "T1") -> int:
    with write_transaction(session_factory) as session:
        return get_or_create_workspace(session, team).id


def test_an_intent_without_a_result_is_unsettled_for_the_next_attempt(
    session_factory: sessionmaker[Session],
) -> None:
    workspace = _workspace(session_factory)
    with transaction(session_factory) as session:
        first = begin_effect(session, workspace, "job:1:progress", channel_id="C1", now=NOW)
    later = NOW + timedelta(minutes=2)
    with transaction(session_factory) as session:
        resumed = begin_effect(session, workspace, "job:1:progress", channel_id="C1", now=later)

    assert (first.unsettled, first.done) == (False, False)
    assert (resumed.unsettled, resumed.done) == (True, False)
    assert resumed.intended_at == NOW  # the search of the channel starts from the first intent
    with session_factory() as session:
        (row,) = session.query(SlackEffect).all()
        assert row.attempts == 2


def test_a_settled_effect_is_done_with_its_message_and_file(
    session_factory: sessionmaker[Session],
) -> None:
    workspace = _workspace(session_factory)
    with transaction(session_factory) as session:
        begin_effect(session, workspace, "job:1:csv", channel_id="C1", thread_ts="1.2", now=NOW)
        note_file(session, workspace, "job:1:csv", "F1")
    with transaction(session_factory) as session:
        reserved = begin_effect(session, workspace, "job:1:csv", channel_id="C1", now=NOW)
        settle_effect(session, workspace, "job:1:csv", file_id="F1", now=NOW)
    with transaction(session_factory) as session:
        done = begin_effect(session, workspace, "job:1:csv", channel_id="C1", now=NOW)

    assert (reserved.file_id, reserved.thread_ts, reserved.unsettled) == ("F1", "1.2", True)
    assert (done.done, done.unsettled, done.file_id) == (True, False, "F1")


def test_keys_are_per_workspace(session_factory: sessionmaker[Session]) -> None:
    one, two = _workspace(session_factory, "T1"), _workspace(session_factory, "T2")
    with transaction(session_factory) as session:
        begin_effect(session, one, "job:1:progress", channel_id="C1", now=NOW)
        settle_effect(session, one, "job:1:progress", ts="1.1", now=NOW)
        other = begin_effect(session, two, "job:1:progress", channel_id="C9", now=NOW)

    assert (other.done, other.unsettled, other.ts) == (False, False, None)


def test_settled_effects_are_forgotten_after_30_days_and_intents_never(
    session_factory: sessionmaker[Session],
) -> None:
    workspace = _workspace(session_factory)
    with transaction(session_factory) as session:
        for key in ("old", "recent", "open"):
            begin_effect(session, workspace, key, channel_id="C1", now=NOW)
        settle_effect(session, workspace, "old", ts="1.1", now=NOW)
        settle_effect(session, workspace, "recent", ts="1.2", now=NOW + timedelta(days=20))
    with transaction(session_factory) as session:
        gone = purge_settled_effects(session, NOW + timedelta(days=31))
    with session_factory() as session:
        left = sorted(row.key for row in session.query(SlackEffect))

    assert gone == 1
    assert left == ["open", "recent"]
