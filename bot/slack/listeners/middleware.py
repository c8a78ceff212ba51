"""Cross-cutting Bolt middleware: which workspace a request belongs to, and event de-duplication.

Every listener finds ``context["workspace_id"]`` set, so tenant isolation is
one lookup here rather than an ``if`` in each handler; a request whose ids
name no workspace is answered here and reaches no listener. A retried or
duplicated event (same ``event_id``) is acknowledged and dropped before any
listener runs, except the events in ``RECORDED_WITH_THEIR_EFFECT``, whose
listeners record the id together with what the event did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.runtime import Runtime
from bot.slack.refusals import RefusalLog
from bot.slack.workspace_identity import SlackIdentity
from bot.store.db import transaction, write_transaction
from bot.store.repositories import (
    enable_workspace,
    get_or_create_workspace,
    get_workspace,
    mark_event_processed,
)
from bot.store.types import utc_now

log = logging.getLogger(__name__)

#: Events that say the app lost a workspace; they never enable one.
LIFECYCLE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})
NO_WORKSPACE = (
    "This request names no Slack workspace (its team_id is empty), so linkgap cannot tell "
    "whose campaigns it is about. Run /linkgap from a channel of a workspace linkgap is "
    "installed in."
)
#: Requests naming no workspace are logged like refusals: one line per window, never flooding.
_nameless = RefusalLog(log)


#: Events whose listener records the event id in the same transaction as its effect (a
#: reaction's vote): marking them here first would make Slack's retry after a crash a no-op.
RECORDED_WITH_THEIR_EFFECT = frozenset({"reaction_added", "reaction_removed"})


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def dedupe_events(
        body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        event = body.get("event")
        event_type = event.get("type") if isinstance(event, dict) else None
        if event_id and event_type not in RECORDED_WITH_THEIR_EFFECT:
            with transaction(runtime.sessions) as session:
                first = mark_event_processed(session, str(event_id), context.team_id, utc_now())
            if not first:
                log.info("dropping duplicate Slack event %s", event_id)
                # A 200, not Bolt's 404 for "no next()": Slack would retry a failure.
                return BoltResponse(status=200, body="")
        next()
        return None

    @app.middleware
    def resolve_workspace(
        body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        identity = SlackIdentity.of(context)
        if identity.key is None:
            return _no_workspace(body)
        workspace_id = workspace_for(runtime, identity, body)
        if workspace_id is not None:
            context["workspace_id"] = workspace_id
        next()
        return None


def _no_workspace(body: dict[str, Any]) -> BoltResponse:
    """A signed request that names no team or org: answered, never passed to a listener."""
    _nameless.refused(200, "a signed request named no Slack team or org (empty team_id)")
    if "command" in body:
        return BoltResponse(
            status=200,
            body={"response_type": "ephemeral", "text": NO_WORKSPACE},
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    return BoltResponse(status=200, body="")


def lifecycle_request(body: dict[str, Any]) -> bool:
    """Slack telling the app it lost or is throttled in a workspace (never a sign of use)."""
    if body.get("type") == "app_rate_limited":
        return True
    event = body.get("event") if body.get("type") == "event_callback" else None
    return isinstance(event, dict) and event.get("type") in LIFECYCLE_EVENTS


def workspace_for(runtime: Runtime, identity: SlackIdentity, body: dict[str, Any]) -> int | None:
    """The workspace row of a request: created on first sight, enabled on first use.

    Read once per process and Slack identity (``runtime.workspace_ids``). A
    team inside an org goes to the org's workspace when the org installed
    linkgap org-wide. Any request but Slack's lifecycle events means the app
    is installed there, so a workspace disabled by an uninstall is enabled
    again by it; a lifecycle event about a workspace never seen creates nothing.
    """
    key = identity.key
    assert key is not None, "resolve_workspace answers requests without an identity"
    workspace_id = runtime.workspace_ids.get(key)
    if workspace_id is not None:
        return workspace_id
    lifecycle = lifecycle_request(body)
    with transaction(runtime.sessions) as session:
        found = None
        if identity.may_be_org_wide and identity.org_key is not None:
            found = get_workspace(session, *identity.org_key)
        found = found or get_workspace(session, *key)
        workspace_id = found.id if found is not None else None
        disabled = found is not None and found.disabled_at is not None
    if workspace_id is None:
        if lifecycle:
            return None
        with write_transaction(runtime.sessions) as session:
            workspace_id = get_or_create_workspace(session, *key).id
    elif disabled and not lifecycle:
        with write_transaction(runtime.sessions) as session:
            if enable_workspace(session, workspace_id):
                log.info("workspace %s (%s) uses linkgap again: enabled", workspace_id, key[0])
    if not lifecycle:
        runtime.workspace_ids[key] = workspace_id
    return workspace_id


def forget_workspace(runtime: Runtime, workspace_id: int) -> None:
    """Drop a workspace from the process's cache, so its next request reads its row again."""
    for key in [k for k, v in runtime.workspace_ids.items() if v == workspace_id]:
        runtime.workspace_ids.pop(key, None)
