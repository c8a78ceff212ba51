"""Workspaces: found or created on every Slack request, so creation must be race-safe."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import LOCAL_TEAM_ID, Workspace
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now


def get_workspace(
    session: Session, team_id: str, enterprise_id: str | None = None
) -> Workspace | None:
    """The workspace of a Slack team (within its Enterprise Grid org, if any), or ``None``."""
    query = select(Workspace).where(Workspace.team_id == team_id)
    if enterprise_id is None:
        query = query.where(Workspace.enterprise_id.is_(None))
    else:
        query = query.where(Workspace.enterprise_id == enterprise_id)
    return session.scalars(query).one_or_none()


def get_or_create_workspace(
    session: Session,
    team_id: str,
    enterprise_id: str | None = None,
    name: str | None = None,
) -> Workspace:
    """The team's workspace, created on first sight; concurrent callers all get the one row.

    The insert is ``ON CONFLICT DO NOTHING`` against the unique index, so a
    creator that loses the race inserts nothing and reads the winner's row.
    On SQLite call it inside ``write_transaction`` (a deferred transaction that
    has read cannot always be upgraded to a writer); on PostgreSQL any
    transaction will do. A changed team ``name`` is brought up to date.
    """
    if not team_id:
        raise ValueError("a workspace needs a Slack team id")
    workspace = get_workspace(session, team_id, enterprise_id)
    if workspace is None:
        conflict_target: dict[str, Any]
        if enterprise_id is None:
            conflict_target = {
                "index_elements": [Workspace.team_id],
                "index_where": Workspace.enterprise_id.is_(None),
            }
        else:
            conflict_target = {"index_elements": [Workspace.enterprise_id, Workspace.team_id]}
        statement = (
            insert_on_conflict(session, Workspace)
            .values(
                team_id=team_id,
                enterprise_id=enterprise_id,
                name=name or "",
                settings={},
                created_at=utc_now(),
            )
            .on_conflict_do_nothing(**conflict_target)
        )
        session.execute(statement)
        workspace = get_workspace(session, team_id, enterprise_id)
        if workspace is None:  # pragma: no cover - the insert or the conflicting row exists
            raise RuntimeError(f"workspace {team_id} vanished while being created")
    elif name and workspace.name != name:
        workspace.name = name
        session.flush()
    return workspace


def get_or_create_local_workspace(session: Session) -> Workspace:
    """The workspace of the CLI and the local shell, which have no Slack team."""
    return get_or_create_workspace(session, LOCAL_TEAM_ID, name="Local")


def update_workspace_settings(
    session: Session, workspace_id: int, settings: Mapping[str, Any]
) -> None:
    """Replace the workspace's analysis overrides (validate them with ``merge_settings`` first)."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise LookupError(f"no workspace {workspace_id}")
    workspace.settings = dict(settings)
    session.flush()


def disable_workspace(session: Session, workspace_id: int, reason: str, now: datetime) -> bool:
    """Mark the workspace as one Slack took the app away from; ``False`` if it already was."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise LookupError(f"no workspace {workspace_id}")
    if workspace.disabled_at is not None:
        return False
    workspace.disabled_at = now
    workspace.disabled_reason = reason
    session.flush()
    return True


def enable_workspace(session: Session, workspace_id: int) -> bool:
    """Clear a workspace's disabled mark (it installed or used the app again); ``True`` if set."""
    result = session.execute(
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.disabled_at.is_not(None))
        .values(disabled_at=None, disabled_reason=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def is_disabled(session: Session, workspace_id: int) -> bool:
    """Whether the workspace is disabled (a missing workspace counts as disabled)."""
    disabled = session.execute(
        select(Workspace.disabled_at).where(Workspace.id == workspace_id)
    ).one_or_none()
    return disabled is None or disabled[0] is not None
