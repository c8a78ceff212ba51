"""``/linkgap withdraw ID``: the proposer or an approver closes a placement nobody will place.

A proposed placement stops waiting for votes; an approved one will not be
marked live. The approval message is updated in place and its thread says
who withdrew it; the placement keeps its vote log.
"""

from __future__ import annotations

from bot.services.placements import WITHDRAWABLE, withdraw
from bot.slack.commands.call import CommandCall
from bot.slack.commands.placement_args import only_placement_number
from bot.slack.commands.router import Subcommand, UsageError
from bot.slack.jobs.placement_updates import refresh_approval_message
from bot.store.types import utc_now

USAGE = "/linkgap withdraw <placement number>"


def run(call: CommandCall) -> None:
    named = only_placement_number(call, "withdraw", USAGE)
    ref, target, approvers = named.ref, named.target, named.approvers
    placement_id = ref.placement_id
    if call.user_id != ref.proposed_by and call.user_id not in approvers:
        raise UsageError(
            f"Only the person who proposed placement {placement_id} or an approver of its "
            "campaign can withdraw it.",
            USAGE,
        )
    if ref.status not in WITHDRAWABLE:
        raise UsageError(
            f"Placement {placement_id} is {ref.status}; only a proposed or approved placement "
            "can be withdrawn.",
            USAGE,
        )
    if not withdraw(
        call.runtime.sessions, call.workspace_id, placement_id, call.user_id, utc_now()
    ):
        raise UsageError(f"Placement {placement_id} changed meanwhile; look at it again.", USAGE)
    call.reply_text(
        f"Placement {placement_id} is withdrawn: it no longer waits for approval and will not "
        "be marked live."
    )
    refresh_approval_message(
        call.client,
        call.runtime,
        call.workspace_id,
        target,
        approvers=approvers,
        thread_note=f"Withdrawn by <@{call.user_id}>.",
    )


SUBCOMMAND = Subcommand(
    "withdraw",
    USAGE,
    "Close a proposed or approved placement (its proposer or an approver).",
    run,
    example="/linkgap withdraw 1",
)
