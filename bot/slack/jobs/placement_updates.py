"""Keeping a placement's approval message true after each transition.

The message is re-rendered from the stored placement and updated in place;
a short thread reply records what happened and who did it.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.rules import ApprovalPolicy
from bot.services.approvals import VETTING_MESSAGE, ApprovalTarget, placement_snapshot
from bot.slack.blocks.vetting_messages import vetting_blocks, vetting_text
from bot.slack.runtime import Runtime
from bot.store.db import transaction
from bot.store.models import Campaign
from bot.store.repositories.messages import find_subject_message, update_message_content

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


def refresh_approval_message(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    target: ApprovalTarget,
    *,
    thread_note: str | None = None,
    approvers: frozenset[str] | None = None,
) -> None:
    placement = placement_snapshot(runtime.sessions, workspace_id, target.placement_id)
    if placement is None:
        return
    with transaction(runtime.sessions) as session:
        message = find_subject_message(session, workspace_id, VETTING_MESSAGE, placement.id)
        where = (message.channel_id, message.ts) if message else None
        campaign = session.get(Campaign, placement.campaign_id)
        keyword = campaign.keyword if campaign else ""
        settings = campaign.settings if campaign else None
    if where is None:
        log.warning("placement %s has no stored approval message", placement.id)
        return
    channel, ts = where
    who = approvers if approvers is not None else resolve_approvers(client, target)
    policy = ApprovalPolicy.from_campaign(who, settings)
    blocks = vetting_blocks(placement, keyword, policy, target.usergroup)
    text = vetting_text(placement)
    client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
    with transaction(runtime.sessions) as session:
        update_message_content(session, workspace_id, channel, ts, {"blocks": blocks, "text": text})
    if thread_note:
        client.chat_postMessage(channel=channel, thread_ts=ts, text=thread_note)
