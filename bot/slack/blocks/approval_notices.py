"""Private notes to one person about their vote: why it did not count, or that it is held.

Each is posted with ``chat.postEphemeral``, so only the approver sees it; the
approval message itself stays the shared record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.approvals.rules import BOT, NOT_APPROVER, PROPOSER
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, render_blocks
from bot.slack.blocks.vetting_messages import checks_text

APPROVE_ANYWAY_ACTION = "approve_anyway"


def approve_anyway_blocks(
    placement_id: int, checks: Iterable[Mapping[str, Any]], approve_emoji: str
) -> list[dict[str, Any]]:
    """The held approval: the failed checks with their reasons and an "Approve anyway" button."""
    failed = [dict(check) for check in checks if check.get("verdict") == "fail"]
    return render_blocks(
        "approve_anyway.json.j2",
        placement_id=placement_id,
        approve_emoji=escape(approve_emoji),
        checks_text=checks_text(failed),
        check_names=", ".join(str(check.get("name", "")) for check in failed),
        action_id=APPROVE_ANYWAY_ACTION,
    )


def approve_anyway_text(placement_id: int, check_names: Iterable[str]) -> str:
    return escape(
        f"Placement {placement_id} failed vetting ({', '.join(check_names)}): "
        "your approval is held until you press Approve anyway."
    )


def _who_decides(approvers: Iterable[str], usergroup: str | None, proposer: str) -> str:
    people = [f"<@{escape(user)}>" for user in sorted(set(approvers) - {proposer})]
    if usergroup:
        people.append(f"<!subteam^{escape(usergroup)}>")
    return ", ".join(people) or "nobody yet"


def ignored_vote_text(
    reason: str,
    *,
    placement_id: int,
    campaign_id: int,
    emoji: str,
    approvers: Iterable[str],
    usergroup: str | None,
    proposer: str,
) -> Mrkdwn:
    """Why a reaction meant as a vote did not count, and what would (one line, mrkdwn)."""
    shown = f":{escape(emoji.split('::', 1)[0])}:"
    who = _who_decides(approvers, usergroup, proposer)
    if reason == PROPOSER:
        text = (
            f"Your {shown} on placement {placement_id} does not count: you proposed it, and a "
            f"proposer's own vote never counts. It is decided by {who}."
        )
    elif reason == NOT_APPROVER:
        text = (
            f"Your {shown} on placement {placement_id} does not count: only the campaign's "
            f"approvers decide ({who}). To become one, ask them to add you with "
            f"`/linkgap edit {campaign_id} approvers` followed by everyone who should approve."
        )
    elif reason == BOT:
        text = (
            f"Reactions from bots never count as votes: placement {placement_id} is decided "
            f"by {who}."
        )
    elif reason.startswith("already "):
        status = escape(reason.removeprefix("already "))
        text = f"Placement {placement_id} is already {status}, so your {shown} changes nothing."
        if status in {"approved", "rejected"}:
            text += f" An approver can put it back up with `/linkgap reopen {placement_id}`."
    else:
        text = f"Your {shown} on placement {placement_id} does not count ({escape(reason)})."
    return Mrkdwn(text)
