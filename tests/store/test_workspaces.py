"""Workspaces are found or created once per Slack team, even when requests race."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import write_transaction
from bot.store.models import LOCAL_TEAM_ID, Workspace
from bot.store.repositories import (
    get_or_create_local_workspace,
    get_or_create_workspace,
    get_workspace,
    update_workspace_settings,
)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Workspace)) or 0


def test_second_call_returns_the_same_workspace(session: Session) -> None:
    first = get_or_create_workspace(session, "T1", name="Acme")
    second = get_or_create_workspace(session, "T1")

    assert first.id == second.id
    assert _count(session) == 1
    assert second.name == "Acme"


def test_a_renamed_team_is_brought_up_to_date(session: Session) -> None:
    get_or_create_workspace(session, "T1", name="Acme")

    workspace = get_or_create_workspace(session, "T1", name="Acme Inc")

    assert workspace.name == "Acme Inc"


def test_team_without_enterprise_is_unique_despite_null_enterprise_id(session: Session) -> None:
    # Without the partial index NULL enterprise ids would never collide.
    for _ in range(3):
        get_or_create_workspace(session, "T1")

    assert _count(session) == 1


def test_same_team_id_in_different_enterprises_are_different_workspaces(session: Session) -> None:
    a = get_or_create_workspace(session, "T1", enterprise_id="E1")
    b = get_or_create_workspace(session, "T1", enterprise_id="E2")
    c = get_or_create_workspace(session, "T1")
    again = get_or_create_workspace(session, "T1", enterprise_id="E1")

    assert len({a.id, b.id, c.id}) == 3
    assert again.id == a.id
    assert get_workspace(session, "T1", "E2") is b


def test_local_workspace_serves_the_cli(session: Session) -> None:
    workspace = get_or_create_local_workspace(session)

    assert workspace.team_id == LOCAL_TEAM_ID
    assert get_or_create_local_workspace(session).id == workspace.id


def test_settings_overrides_are_stored_as_json(
    session_factory: sessionmaker[Session],
) -> None:
    with write_transaction(session_factory) as session:
        workspace_id = get_or_create_workspace(session, "T1").id
        update_workspace_settings(session, workspace_id, {"min_domain_rating": 20, "x": [1, 2]})

    with session_factory() as session:
        stored = get_workspace(session, "T1")
        assert stored is not None
        assert stored.settings == {"min_domain_rating": 20, "x": [1, 2]}


def test_concurrent_creators_end_with_exactly_one_workspace(
    session_factory: sessionmaker[Session],
) -> None:
    creators = 8
    barrier = threading.Barrier(creators)
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def create() -> None:
        try:
            barrier.wait(timeout=10)
            with write_transaction(session_factory) as session:
                workspace_id = get_or_create_workspace(session, "T-RACE").id
            with lock:
                ids.append(workspace_id)
        except BaseException as error:  # reported below, never swallowed
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=create) for _ in range(creators)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(ids) == creators
    assert len(set(ids)) == 1
    with session_factory() as session:
        assert _count(session) == 1
