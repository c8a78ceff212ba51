"""Cross-cutting Bolt middleware: which workspace a request belongs to, and event de-duplication.

Every listener finds ``context["workspace_id"]`` set, so tenant isolation is
one lookup here rather than an ``if`` in each handler. A retried or duplicated
event (same ``event_id``) is acknowledged and dropped before any listener runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.slack.runtime import Runtime
from bot.store.db import transaction, write_transaction
from bot.store.repositories.events import mark_event_processed
from bot.store.repositories.workspaces import get_or_create_workspace, get_workspace
from bot.store.types import utc_now

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def dedupe_events(
        body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with transaction(runtime.sessions) as session:
                first = mark_event_processed(session, str(event_id), context.team_id, utc_now())
            if not first:
                log.info("dropping duplicate Slack event %s", event_id)
                # A 200, not Bolt's 404 for "no next()": Slack would retry a failure.
                return BoltResponse(status=200, body="")
        next()
        return None

    # Workspace rows are never renumbered: remember each team's id for the process's life,
    # so an ack costs no database round trip for it.
    known: dict[tuple[str, str | None], int] = {}

    @app.middleware
    def resolve_workspace(context: BoltContext, next: Callable[[], None]) -> None:
        team_id = context.team_id or context.enterprise_id
        if team_id:
            enterprise_id = context.enterprise_id if context.team_id else None
            key = (team_id, enterprise_id)
            workspace_id = known.get(key)
            if workspace_id is None:
                with transaction(runtime.sessions) as session:
                    found = get_workspace(session, team_id, enterprise_id)
                    workspace_id = found.id if found is not None else None
                if workspace_id is None:
                    with write_transaction(runtime.sessions) as session:
                        workspace_id = get_or_create_workspace(session, team_id, enterprise_id).id
                known[key] = workspace_id
            context["workspace_id"] = workspace_id
        next()
