"""Emoji approvals: ``reaction_added`` / ``reaction_removed`` on a placement's approval message.

The listener only resolves who may approve (campaign approvers plus the
members of its user group) and hands the event to the approvals service; a
decision updates the message in place and records who decided in its thread.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services.approvals import apply_reaction, approval_target
from bot.slack.jobs.placement_updates import refresh_approval_message, resolve_approvers
from bot.slack.runtime import Runtime
from bot.store.types import utc_now

log = logging.getLogger(__name__)


def _is_bot(event: dict[str, Any], context: BoltContext) -> bool:
    return bool(event.get("bot_id")) or event.get("user") == context.bot_user_id


def event_time(event: dict[str, Any]) -> datetime:
    """When Slack says the reaction happened: a person's latest reaction is decided by this,
    not by arrival, since Slack may deliver (or retry) an add after its removal."""
    try:
        return datetime.fromtimestamp(float(event["event_ts"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return utc_now()


def handle_reaction(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext,
    runtime: Runtime, *, added: bool,
) -> None:  # fmt: skip
    item = event.get("item") or {}
    if item.get("type") != "message":
        return
    workspace_id = int(context["workspace_id"])
    channel, ts = str(item.get("channel", "")), str(item.get("ts", ""))
    target = approval_target(runtime.sessions, workspace_id, channel, ts)
    if target is None:
        return
    approvers = resolve_approvers(client, target)
    outcome = apply_reaction(
        runtime.sessions,
        workspace_id,
        target,
        approvers=approvers,
        user_id=str(event.get("user", "")),
        emoji=str(event.get("reaction", "")),
        added=added,
        event_id=str(body.get("event_id") or f"{channel}:{ts}:{event.get('event_ts')}"),
        is_bot=_is_bot(event, context),
        now=utc_now(),
        voted_at=event_time(event),
    )
    if not outcome.counted and outcome.reason and not outcome.duplicate:
        log.info(
            "reaction :%s: by %s on placement %s ignored: %s",
            event.get("reaction"), event.get("user"), outcome.placement_id, outcome.reason,
        )  # fmt: skip
    if outcome.decision is None or outcome.placement_id is None:
        return
    deciders = ", ".join(f"<@{user}>" for user in sorted(outcome.decided_by))
    refresh_approval_message(
        client,
        runtime,
        workspace_id,
        target,
        approvers=approvers,
        thread_note=f"Placement {outcome.placement_id} {outcome.decision} by {deciders}.",
    )


def register(app: App, runtime: Runtime) -> None:
    @app.event("reaction_added")
    def reaction_added(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        handle_reaction(event, body, client, context, runtime, added=True)

    @app.event("reaction_removed")
    def reaction_removed(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        handle_reaction(event, body, client, context, runtime, added=False)
