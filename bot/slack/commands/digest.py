"""``/linkgap digest [campaign]``: a campaign's progress digest now, in this channel.

Not the weekly digest: nothing is claimed, so Monday's still comes.
"""

from __future__ import annotations

from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_lookup import campaign_for, optional_campaign_number
from bot.slack.commands.router import Subcommand
from bot.store.db import transaction
from bot.store.repositories import enqueue_job

USAGE = "/linkgap digest [campaign number]"


def run(call: CommandCall) -> None:
    campaign_id = optional_campaign_number(call.args, USAGE)
    with transaction(call.runtime.sessions) as session:
        campaign = campaign_for(
            session, call.workspace_id, campaign_id=campaign_id, target_url=None, usage=USAGE
        )
        enqueue_job(
            session,
            call.workspace_id,
            "digest",
            {"campaign_id": campaign.id, "channel_id": call.channel_id, "user_id": call.user_id},
        )
        number = campaign.id
    call.reply_text(f"Putting together the digest for campaign {number}…")
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "digest",
    USAGE,
    "Post a campaign's progress digest now (the weekly one still comes on schedule).",
    run,
    example="/linkgap digest 1",
)
