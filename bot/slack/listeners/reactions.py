"""Emoji approvals: ``reaction_added`` / ``reaction_removed`` on a placement's approval message.

The listener only resolves who may approve (campaign approvers plus the
members of its user group) and hands the event to the approvals service; a
decision updates the message in place and records who decided in its thread.
An approval held because the vetting failed is answered privately with the
failed checks and an "Approve anyway" button.

The event is recorded as handled only by the vote it carries, in the vote's
own transaction (``event_id`` is unique among votes): the middleware does not
mark reaction events first, so Slack's retry after a crash reaches this
listener, finds the vote counted, and repairs the message and the note once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.rules import base_emoji, deserves_explanation
from bot.runtime import Runtime
from bot.services.approvals import (
    ApprovalTarget,
    apply_reaction,
    approval_target,
    first_explanation,
    placement_snapshot,
)
from bot.slack.blocks.approval_notices import (
    approve_anyway_blocks,
    approve_anyway_text,
    ignored_vote_text,
)
from bot.slack.effects import EffectInFlight
from bot.slack.jobs.approval_repair import NOTE_IN_FLIGHT, queue_approval_repair
from bot.slack.jobs.placement_updates import (
    refresh_approval_message,
    repair_decision,
    resolve_approvers,
)
from bot.store.db import transaction
from bot.store.repositories import mark_event_processed
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


def tell_privately(
    client: WebClient, channel: str, user: str, *, text: str, blocks: list[dict[str, Any]]
) -> bool:
    """``chat.postEphemeral`` to one person; a refusal (they left the channel) is only logged."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
    except SlackApiError as error:
        log.warning("could not tell %s privately: %s", user, error.response.get("error"))
        return False
    return True


def offer_override(
    client: WebClient, runtime: Runtime, workspace_id: int, channel: str, user: str,
    placement_id: int, emoji: str,
) -> None:  # fmt: skip
    placement = placement_snapshot(runtime.sessions, workspace_id, placement_id)
    if placement is None:
        return
    failed = [c for c in placement.checks if c.get("verdict") == "fail"]
    tell_privately(
        client,
        channel,
        user,
        text=approve_anyway_text(placement_id, [str(c.get("name", "")) for c in failed]),
        blocks=approve_anyway_blocks(placement_id, placement.checks, base_emoji(emoji)),
    )


def explain_ignored_vote(
    client: WebClient, runtime: Runtime, workspace_id: int, target: ApprovalTarget,
    approvers: frozenset[str], channel: str, user: str, emoji: str, reason: str,
) -> None:  # fmt: skip
    """Tell the person privately why their vote did not count: once per placement."""
    placement = placement_snapshot(runtime.sessions, workspace_id, target.placement_id)
    if placement is None:
        return
    if not first_explanation(runtime.sessions, placement.id, user, reason, utc_now()):
        return
    text = ignored_vote_text(
        reason, placement_id=placement.id, campaign_id=target.campaign_id, emoji=emoji,
        approvers=approvers, usergroup=target.usergroup, proposer=placement.proposed_by,
    )  # fmt: skip
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    tell_privately(client, channel, user, text=text, blocks=[section])


def handle_reaction(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext,
    runtime: Runtime, *, added: bool,
) -> None:  # fmt: skip
    item = event.get("item") or {}
    if item.get("type") != "message":
        return
    workspace_id = int(context["workspace_id"])
    channel, ts = str(item.get("channel", "")), str(item.get("ts", ""))
    event_id = str(body.get("event_id") or f"{channel}:{ts}:{event.get('event_ts')}")
    target = approval_target(runtime.sessions, workspace_id, channel, ts)
    if target is None:  # not an approval message: nothing to do but remember the event
        with transaction(runtime.sessions) as session:
            mark_event_processed(session, event_id, context.team_id, utc_now())
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
        event_id=event_id,
        team_id=context.team_id,
        is_bot=_is_bot(event, context),
        now=utc_now(),
        voted_at=event_time(event),
    )
    if not outcome.counted and outcome.reason and not outcome.duplicate:
        log.info(
            "reaction :%s: by %s on placement %s ignored: %s",
            event.get("reaction"), event.get("user"), outcome.placement_id, outcome.reason,
        )  # fmt: skip
    if added and not outcome.counted and deserves_explanation(outcome.reason):
        explain_ignored_vote(
            client, runtime, workspace_id, target, approvers, channel,
            str(event.get("user", "")), str(event.get("reaction", "")), outcome.reason,
        )  # fmt: skip
    if outcome.held and outcome.placement_id is not None:
        offer_override(
            client, runtime, workspace_id, channel, str(event.get("user", "")),
            outcome.placement_id, str(event.get("reaction", "")),
        )  # fmt: skip
    if outcome.placement_id is None:
        return
    try:
        if outcome.duplicate:
            # Slack's retry of an event whose vote is stored: the first delivery may have
            # died before Slack showed the decision, so show what the database says.
            repair_decision(
                client, runtime, workspace_id, target, approvers=approvers, in_flight=NOTE_IN_FLIGHT
            )
            return
        if outcome.decision is None:
            return
        deciders = ", ".join(f"<@{user}>" for user in sorted(outcome.decided_by))
        refresh_approval_message(
            client,
            runtime,
            workspace_id,
            target,
            approvers=approvers,
            thread_note=f"Placement {outcome.placement_id} {outcome.decision} by {deciders}.",
            in_flight=NOTE_IN_FLIGHT,
        )
    except EffectInFlight as busy:
        # Another delivery of this event began the note moments ago and may be posting it:
        # look again once it must have finished (or died), never post beside it.
        log.info("%s; repairing placement %s after that", busy, outcome.placement_id)
        with transaction(runtime.sessions) as session:
            queue_approval_repair(session, workspace_id, channel, ts)
        runtime.notify_worker()


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
