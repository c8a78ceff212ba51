"""Emoji approvals: ``reaction_added`` / ``reaction_removed`` on a placement's approval message.

The listener only resolves who may approve (campaign approvers plus the
members of its user group) and hands the event to the approvals service; a
decision updates the message in place and records who decided in its thread.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.rules import ApprovalPolicy
from bot.services.approvals import (
    ApprovalTarget,
    apply_reaction,
    approval_target,
    placement_snapshot,
)
from bot.slack.runtime import Runtime
from bot.slack.vetting_messages import vetting_blocks, vetting_text
from bot.store.db import transaction
from bot.store.models import Campaign
from bot.store.repositories.messages import update_message_content
from bot.store.types import utc_now

log = logging.getLogger(__name__)


def resolve_approvers(client: WebClient, target: ApprovalTarget) -> frozenset[str]:
    """The campaign's approvers plus its user group's members (when Slack can tell)."""
    approvers = set(target.approvers)
    if target.usergroup:
        try:
            approvers.update(client.usergroups_users_list(usergroup=target.usergroup)["users"])
        except SlackApiError as error:
            log.warning(
                "could not list user group %s: %s", target.usergroup, error.response.get("error")
            )
    return frozenset(approvers)


def _is_bot(event: dict[str, Any], context: BoltContext) -> bool:
    return bool(event.get("bot_id")) or event.get("user") == context.bot_user_id


def refresh_message(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    placement_id: int,
    where: tuple[str, str],
    approvers: frozenset[str],
    usergroup: str | None,
) -> None:
    """Re-render the approval message from the stored placement and update it in place."""
    channel, ts = where
    placement = placement_snapshot(runtime.sessions, workspace_id, placement_id)
    if placement is None:
        return
    with transaction(runtime.sessions) as session:
        campaign = session.get(Campaign, placement.campaign_id)
        keyword = campaign.keyword if campaign else ""
        settings = campaign.settings if campaign else None
    policy = ApprovalPolicy.from_campaign(approvers, settings)
    blocks = vetting_blocks(placement, keyword, policy, usergroup)
    text = vetting_text(placement)
    client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
    with transaction(runtime.sessions) as session:
        update_message_content(session, workspace_id, channel, ts, {"blocks": blocks, "text": text})


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
    )
    if not outcome.counted and outcome.reason and not outcome.duplicate:
        log.info(
            "reaction :%s: by %s on placement %s ignored: %s",
            event.get("reaction"), event.get("user"), outcome.placement_id, outcome.reason,
        )  # fmt: skip
    if outcome.decision is None or outcome.placement_id is None:
        return
    refresh_message(
        client,
        runtime,
        workspace_id,
        outcome.placement_id,
        channel,
        ts,
        approvers,
        target.usergroup,
    )
    deciders = ", ".join(f"<@{user}>" for user in sorted(outcome.decided_by))
    client.chat_postMessage(
        channel=channel,
        thread_ts=ts,
        text=f"Placement {outcome.placement_id} {outcome.decision} by {deciders}.",
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
