"""Posted messages are stored with their content so they can be updated without reading history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import SlackMessage
from bot.store.repositories import (
    find_message,
    find_subject_message,
    get_or_create_workspace,
    save_message,
    update_message_content,
)

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
POSTED = {
    "text": "Vetting: example.org",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*example.org*"}}],
}


def test_saved_message_is_found_by_channel_and_ts(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    saved = save_message(
        session,
        ws,
        kind="vetting",
        channel_id="C1",
        ts="1700000000.000100",
        content=POSTED,
        thread_ts="1699999999.000001",
        subject_id=12,
        now=NOW,
    )

    found = find_message(session, ws, "C1", "1700000000.000100")

    assert found is not None
    assert found.id == saved.id
    assert (found.kind, found.thread_ts, found.subject_id) == ("vetting", "1699999999.000001", 12)
    assert found.content == POSTED
    assert found.created_at == found.updated_at == NOW
    assert find_message(session, ws, "C1", "1700000000.000200") is None
    assert find_message(session, ws, "C2", "1700000000.000100") is None


def test_updated_content_replaces_what_was_posted(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    save_message(session, ws, kind="vetting", channel_id="C1", ts="1.1", content=POSTED, now=NOW)
    approved = {"text": "Approved", "blocks": []}
    later = NOW + timedelta(hours=2)

    assert update_message_content(session, ws, "C1", "1.1", approved, now=later)

    found = find_message(session, ws, "C1", "1.1")
    assert found is not None
    assert found.content == approved
    assert (found.created_at, found.updated_at) == (NOW, later)


def test_updating_a_message_never_stored_reports_false(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id

    assert not update_message_content(session, ws, "C1", "9.9", POSTED)


def test_saving_the_same_message_again_refreshes_the_one_row(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    save_message(session, ws, kind="progress", channel_id="C1", ts="1.1", content=POSTED, now=NOW)

    again = save_message(
        session,
        ws,
        kind="gap-report",
        channel_id="C1",
        ts="1.1",
        content={"text": "done"},
        now=NOW + timedelta(minutes=1),
    )

    assert (again.kind, again.content) == ("gap-report", {"text": "done"})
    assert session.scalar(select(func.count()).select_from(SlackMessage)) == 1


def test_another_workspace_neither_sees_nor_overwrites_a_message(session: Session) -> None:
    mine = get_or_create_workspace(session, "T1").id
    theirs = get_or_create_workspace(session, "T2").id
    save_message(session, mine, kind="digest", channel_id="C1", ts="1.1", content=POSTED)

    assert find_message(session, theirs, "C1", "1.1") is None
    assert not update_message_content(session, theirs, "C1", "1.1", {"text": "hijacked"})
    with pytest.raises(ValueError, match="another workspace"):
        save_message(session, theirs, kind="digest", channel_id="C1", ts="1.1", content={})
    found = find_message(session, mine, "C1", "1.1")
    assert found is not None
    assert found.content == POSTED


def test_latest_message_about_a_subject_is_found(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    for ts, when in (("1.1", NOW), ("2.2", NOW + timedelta(days=1))):
        save_message(
            session,
            ws,
            kind="vetting",
            channel_id="C1",
            ts=ts,
            content=POSTED,
            subject_id=7,
            now=when,
        )
    save_message(
        session,
        ws,
        kind="digest",
        channel_id="C1",
        ts="3.3",
        content=POSTED,
        subject_id=7,
        now=NOW + timedelta(days=2),
    )

    latest = find_subject_message(session, ws, "vetting", 7)

    assert latest is not None
    assert latest.ts == "2.2"
    assert find_subject_message(session, ws, "vetting", 8) is None
