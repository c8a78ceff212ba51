"""Keeping a placement's approval message true after each transition.

The message is re-rendered from the stored placement and updated in place;
a short thread reply records what happened and who did it, once per
transition (``bot.slack.effects``: a retried event or a resumed job repairs
the message without a second note). A reopened
placement gets a fresh message instead (old reactions stay on the old one,
so approvers react on a clean message); the old one says it was superseded
and links to the new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.rules import ApprovalPolicy
from bot.runtime import Runtime
from bot.services.approvals import VETTING_MESSAGE, ApprovalTarget, placement_snapshot
from bot.slack.blocks.mrkdwn import link
from bot.slack.blocks.vetting_messages import superseded_line, vetting_blocks, vetting_text
from bot.slack.effects import OnceEffects
from bot.store.db import transaction
from bot.store.models import Campaign, Placement
from bot.store.repositories import find_subject_message, save_message, update_message_content

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


@dataclass(frozen=True)
class _Context:
    """Where a placement's current approval message is, and what its campaign says."""

    where: tuple[str, str] | None
    #: What the stored message shows (``blocks`` and ``text``).
    shown: dict[str, Any] | None
    keyword: str
    settings: dict[str, Any] | None
    #: The campaign's approvals channel (or its digest channel).
    channel: str | None


def _context(runtime: Runtime, workspace_id: int, placement: Placement) -> _Context:
    with transaction(runtime.sessions) as session:
        message = find_subject_message(session, workspace_id, VETTING_MESSAGE, placement.id)
        campaign = session.get(Campaign, placement.campaign_id)
        return _Context(
            (message.channel_id, message.ts) if message else None,
            dict(message.content) if message else None,
            campaign.keyword if campaign else "",
            campaign.settings if campaign else None,
            (campaign.approvals_channel_id or campaign.channel_id) if campaign else None,
        )


def _update(
    client: WebClient, runtime: Runtime, workspace_id: int, where: tuple[str, str],
    blocks: list[dict[str, Any]], text: str, *, shown: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """``chat.update`` the message (the same content twice is one effect); skipped when
    ``shown``, its stored content, already is this content."""
    if shown is not None and shown == {"blocks": blocks, "text": text}:
        return
    client.chat_update(channel=where[0], ts=where[1], blocks=blocks, text=text)
    with transaction(runtime.sessions) as session:
        update_message_content(
            session, workspace_id, where[0], where[1], {"blocks": blocks, "text": text}
        )


def refresh_approval_message(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    target: ApprovalTarget,
    *,
    thread_note: str | None = None,
    approvers: frozenset[str] | None = None,
    note_key: str | None = None,
    if_stale: bool = False,
    in_flight: timedelta | None = None,
) -> None:
    """Render the approval message from the database and post ``thread_note`` under it.

    Safe to repeat: the update writes what the database says, and the note is a
    once-only effect keyed by the transition it reports (the placement's
    ``version`` and status, or ``note_key``). ``if_stale`` skips the update when
    the stored content already is what the database says (a repair pass).
    ``in_flight`` is ``OnceEffects.post``'s: the note may be another delivery's
    at work (``EffectInFlight``).
    """
    placement = placement_snapshot(runtime.sessions, workspace_id, target.placement_id)
    if placement is None:
        return
    found = _context(runtime, workspace_id, placement)
    if found.where is None:
        log.warning("placement %s has no stored approval message", placement.id)
        return
    channel, ts = found.where
    who = approvers if approvers is not None else resolve_approvers(client, target)
    policy = ApprovalPolicy.from_campaign(who, found.settings)
    blocks = vetting_blocks(placement, found.keyword, policy, target.usergroup)
    _update(
        client, runtime, workspace_id, found.where, blocks, vetting_text(placement),
        shown=found.shown if if_stale else None,
    )  # fmt: skip
    if thread_note:
        OnceEffects(runtime.sessions, client, workspace_id).post(
            note_key or transition_key(placement),
            channel=channel,
            thread_ts=ts,
            text=thread_note,
            in_flight=in_flight,
        )


def transition_key(placement: Placement) -> str:
    """The effect key of the note about a placement's latest transition (each bumps ``version``)."""
    return f"placement:{placement.id}:v{placement.version}:{placement.status}"


def decision_note(placement: Placement) -> str | None:
    """The thread note announcing an approval or a rejection, from the stored decision."""
    if placement.status not in {"approved", "rejected"} or not placement.decided_by:
        return None
    deciders = ", ".join(f"<@{user}>" for user in sorted(placement.decided_by))
    return f"Placement {placement.id} {placement.status} by {deciders}."


def repair_decision(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    target: ApprovalTarget,
    *,
    approvers: frozenset[str] | None = None,
    in_flight: timedelta | None = None,
) -> None:
    """Make the approval message and its thread show the stored decision, once.

    For Slack's retry of a reaction whose vote is already stored (the first
    delivery died after the commit): a message still saying "proposed" is
    updated, and a decision note that never made it is posted; one that did is
    found in the ledger (or in the thread) and not posted again.
    """
    placement = placement_snapshot(runtime.sessions, workspace_id, target.placement_id)
    if placement is None:
        return
    refresh_approval_message(
        client, runtime, workspace_id, target,
        thread_note=decision_note(placement), approvers=approvers, if_stale=True,
        in_flight=in_flight,
    )  # fmt: skip


def post_approval_message(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    placement: Placement,
    channel: str,
    *,
    keyword: str,
    policy: ApprovalPolicy,
    usergroup: str | None,
    effect_key: str,
) -> tuple[str, str]:
    """Post the placement's approval message and remember it; returns its (channel, ts).

    The latest stored message of a placement is the one that takes votes. The
    post is a once-only effect under ``effect_key``: a resumed attempt gets the
    message the dead one posted back instead of a second one.
    """
    blocks = vetting_blocks(placement, keyword, policy, usergroup)
    text = vetting_text(placement)
    posted = OnceEffects(runtime.sessions, client, workspace_id).post(
        effect_key, channel=channel, blocks=blocks, text=text
    )
    where = (posted.channel, posted.ts)
    with transaction(runtime.sessions) as session:
        save_message(
            session,
            workspace_id,
            kind=VETTING_MESSAGE,
            channel_id=where[0],
            ts=where[1],
            content={"blocks": blocks, "text": text},
            subject_id=placement.id,
        )
    return where


def repost_approval_message(
    client: WebClient,
    runtime: Runtime,
    workspace_id: int,
    target: ApprovalTarget,
    *,
    approvers: frozenset[str],
    reopened_by: str,
) -> str | None:
    """A reopened placement's fresh approval message; the old one is marked superseded.

    Returns the new message's permalink (``None`` if Slack would not give one).
    """
    placement = placement_snapshot(runtime.sessions, workspace_id, target.placement_id)
    if placement is None:
        return None
    found = _context(runtime, workspace_id, placement)
    old_where = found.where
    channel = old_where[0] if old_where else found.channel
    if channel is None:
        log.warning("placement %s has nowhere to be posted", placement.id)
        return None
    policy = ApprovalPolicy.from_campaign(approvers, found.settings)
    new_channel, new_ts = post_approval_message(
        client, runtime, workspace_id, placement, channel,
        keyword=found.keyword, policy=policy, usergroup=target.usergroup,
        effect_key=f"{transition_key(placement)}:approval",
    )  # fmt: skip
    try:
        permalink: str | None = str(
            client.chat_getPermalink(channel=new_channel, message_ts=new_ts)["permalink"]
        )
    except SlackApiError as error:
        log.warning("no permalink for %s/%s: %s", new_channel, new_ts, error.response.get("error"))
        permalink = None
    if old_where is not None:
        status = superseded_line(reopened_by, permalink)
        blocks = vetting_blocks(placement, found.keyword, policy, target.usergroup, status=status)
        _update(client, runtime, workspace_id, old_where, blocks, vetting_text(placement))
        where = link(permalink, "the new approval message") if permalink else "the new message"
        OnceEffects(runtime.sessions, client, workspace_id).post(
            f"{transition_key(placement)}:superseded",
            channel=old_where[0],
            thread_ts=old_where[1],
            text=f"Reopened by <@{reopened_by}>: votes reset. React on {where}.",
        )
    return permalink
