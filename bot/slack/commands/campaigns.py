"""``/linkgap campaigns``: this workspace's campaigns with the gap left at the last analysis."""

from __future__ import annotations

from bot.services.campaign_overview import campaign_statuses
from bot.slack.blocks.mrkdwn import render_blocks
from bot.slack.blocks.views_common import campaign_lines
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import Subcommand, refuse_arguments
from bot.store.db import transaction

USAGE = "/linkgap campaigns"


def run(call: CommandCall) -> None:
    refuse_arguments(call, USAGE)
    with transaction(call.runtime.sessions) as session:
        statuses = campaign_statuses(session, call.workspace_id, include_untracked=True)
    blocks = render_blocks("campaigns.json.j2", campaigns=campaign_lines(statuses))
    call.reply(blocks, f"{len(statuses)} campaigns")


SUBCOMMAND = Subcommand(
    "campaigns",
    USAGE,
    "List this workspace's campaigns: state (active or untracked), gap left, digest "
    "schedule, approvers and quorum.",
    run,
    example=USAGE,
    synonyms=("list", "campaign"),
)
