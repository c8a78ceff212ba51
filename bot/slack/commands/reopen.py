"""``/linkgap reopen ID``: an approver puts a decided placement back up for approval.

The votes are reset and a fresh approval message is posted (the old one,
still carrying the old reactions, says it was superseded and links to it).
"""

from __future__ import annotations

from bot.services.placements import reopen
from bot.slack.commands.call import CommandCall
from bot.slack.commands.placement_args import only_placement_number
from bot.slack.commands.router import Subcommand, UsageError
from bot.slack.jobs.placement_updates import repost_approval_message
from bot.store.types import utc_now

USAGE = "/linkgap reopen <placement number>"


def run(call: CommandCall) -> None:
    named = only_placement_number(call, "reopen", USAGE)
    ref, target, approvers = named.ref, named.target, named.approvers
    placement_id = ref.placement_id
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
