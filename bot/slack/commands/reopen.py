"""``/linkgap reopen ID``: an approver puts a decided placement back up for approval.

The votes are reset and a fresh approval message is posted (the old one,
still carrying the old reactions, says it was superseded and links to it).
"""

from __future__ import annotations

from bot.services.approvals import ApprovalTarget
from bot.services.placements import find_placement, reopen
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import Subcommand, UsageError
from bot.slack.jobs.placement_updates import repost_approval_message, resolve_approvers
from bot.store.types import utc_now

USAGE = "/linkgap reopen <placement number>"


def placement_number(call: CommandCall, usage: str) -> int:
    if not call.args or not call.args[0].text.lstrip("#").isdigit():
        raise UsageError("Give the placement's number, as shown in its approval message.", usage)
    return int(call.args[0].text.lstrip("#"))


def run(call: CommandCall) -> None:
    placement_id = placement_number(call, USAGE)
    if len(call.args) > 1:
        raise UsageError("`reopen` takes only the placement's number.", USAGE)
    ref = find_placement(call.runtime.sessions, call.workspace_id, placement_id)
    target = ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup)
    approvers = resolve_approvers(call.client, target)
    if call.user_id not in approvers:
        raise UsageError(
            f"Only the approvers of placement {placement_id}'s campaign can reopen it.", USAGE
        )
    if ref.status not in {"approved", "rejected"}:
        raise UsageError(
            f"Placement {placement_id} is {ref.status}; only approved or rejected ones reopen.",
            USAGE,
        )
    if not reopen(call.runtime.sessions, call.workspace_id, placement_id, call.user_id, utc_now()):
        raise UsageError(f"Placement {placement_id} changed meanwhile; look at it again.", USAGE)
    call.reply_text(
        f"Placement {placement_id} is open for approval again; its votes were reset "
        "and a fresh approval message takes the new votes."
    )
    repost_approval_message(
        call.client,
        call.runtime,
        call.workspace_id,
        target,
        approvers=approvers,
        reopened_by=call.user_id,
    )


SUBCOMMAND = Subcommand(
    "reopen",
    USAGE,
    "Put an approved or rejected placement back up for approval (approvers only).",
    run,
    example="/linkgap reopen 1",
)
