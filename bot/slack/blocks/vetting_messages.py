"""The approval message of a placement: the proposal, each check, and where the decision stands.

Rendered from the stored placement, so the message can be rebuilt at any
transition (approved, rejected, reopened, live) without re-running the checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.approvals.rules import ApprovalPolicy
from bot.slack.blocks.messages import compact_url
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_blocks
from bot.store.models import Placement

VERDICT_ICONS = {"pass": ":white_check_mark:", "warn": ":warning:", "fail": ":x:"}
STATUS_ICONS = {
    "proposed": ":hourglass_flowing_sand:",
    "approved": ":white_check_mark:",
    "rejected": ":no_entry:",
    "live": ":link:",
    "lost": ":broken_heart:",
    "withdrawn": ":wastebasket:",
}


def _people(users: Iterable[str]) -> str:
    return ", ".join(f"<@{escape(user)}>" for user in users) or "nobody"


def checks_text(checks: Iterable[dict[str, Any]]) -> Mrkdwn:
    return Mrkdwn(
        "\n".join(
            f"{VERDICT_ICONS.get(str(check.get('verdict')), ':grey_question:')} "
            f"*{escape(check.get('name', ''))}*: {escape(check.get('reason', ''))}"
            for check in checks
        )
    )


def status_line(placement: Placement, policy: ApprovalPolicy, usergroup: str | None) -> Mrkdwn:
    icon = STATUS_ICONS.get(placement.status, "")
    if placement.status == "proposed":
        # The proposer's own reaction never counts, so they are not offered as an approver.
        approvers = sorted(policy.approvers - {placement.proposed_by})
        who = _people(approvers)
        if usergroup:
            group = f"<!subteam^{escape(usergroup)}>"
            who = f"{who} or {group}" if approvers else group
        needed = f"{policy.quorum} approvers" if policy.quorum > 1 else "one approver"
        line = (
            f"{icon} *Waiting for approval* ({needed}): {who} react "
            f":{policy.approve_emoji}: to approve or :{policy.reject_emoji}: to reject."
        )
        if placement.verdict == "fail":
            line += (
                f" Vetting failed, so a :{policy.approve_emoji}: alone does not approve it: "
                "the approver is asked privately to confirm with “Approve anyway”."
            )
        return Mrkdwn(line)
    when = f" on {placement.decided_at:%Y-%m-%d %H:%M} UTC" if placement.decided_at else ""
    line = f"{icon} *{placement.status.capitalize()}* by {_people(placement.decided_by)}{when}."
    if placement.status == "live" and placement.live_url:
        line = (
            f"{icon} *Live* at {link(placement.live_url, compact_url(placement.live_url))}"
            f" (approved by {_people(placement.decided_by)})."
        )
    if placement.status == "approved":
        line += f" Mark it live with `/linkgap live {placement.id} &lt;url&gt;`."
    if placement.status in {"approved", "rejected"}:
        line += f" An approver can undo with `/linkgap reopen {placement.id}`."
    return Mrkdwn(line)


def superseded_line(reopened_by: str, new_message: str | None) -> Mrkdwn:
    """The status of an approval message replaced by a fresh one when its placement reopened."""
    where = link(new_message, "the new approval message") if new_message else "the new message"
    return Mrkdwn(
        f":arrows_counterclockwise: *Reopened* by <@{escape(reopened_by)}>: this message no "
        f"longer takes votes. React on {where}."
    )


def vetting_blocks(
    placement: Placement,
    keyword: str,
    policy: ApprovalPolicy,
    usergroup: str | None,
    *,
    status: Mrkdwn | None = None,
) -> list[dict[str, Any]]:
    """The approval message; ``status`` replaces the status line (a superseded message)."""
    return render_blocks(
        "vetting.json.j2",
        verdict_icon=VERDICT_ICONS.get(placement.verdict, ""),
        placement_id=placement.id,
        keyword=keyword,
        verdict=placement.verdict,
        prospect_link=link(placement.prospect_url, compact_url(placement.prospect_url, 80)),
        target_link=link(placement.target_url, compact_url(placement.target_url, 80)),
        anchor=placement.anchor,
        anchor_class=placement.anchor_class,
        placement_type=placement.placement_type,
        note=placement.note,
        proposer=placement.proposed_by,
        checks_text=checks_text(placement.checks),
        status_line=status if status is not None else status_line(placement, policy, usergroup),
    )


def vetting_text(placement: Placement) -> str:
    return escape(
        f"Placement {placement.id} ({placement.verdict}, {placement.status}): "
        f"{placement.prospect_url} → {placement.target_url}"
    )
