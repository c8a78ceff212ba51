"""``/linkgap untrack <campaign>``: stop a campaign's digests and daily refresh, keep its history.

The campaign is marked untracked (its placements, votes, analyses and digests
stay); the clock drops its digest and refresh within a minute. Tracking the
same keyword and page again resumes it under the same number.
"""

from __future__ import annotations

from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link
from bot.slack.blocks.views_common import campaign_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import write_transaction
from bot.store.repositories import archive_campaign, get_campaign

USAGE = "/linkgap untrack <campaign number>"


def campaign_number(call: CommandCall, usage: str) -> int:
    """The campaign number that must come first (``3`` or ``#3``)."""
    text = call.args[0].text.lstrip("#") if call.args else ""
    if not text.isdigit():
        raise UsageError(
            "Give the campaign's number first; `/linkgap campaigns` lists them.", usage
        )
    return int(text)


def run(call: CommandCall) -> None:
    number = campaign_number(call, USAGE)
    if len(call.args) > 1:
        raise UsageError("`untrack` takes only the campaign's number.", USAGE)
    with write_transaction(call.runtime.sessions) as session:
        campaign = get_campaign(session, call.workspace_id, number)
        if campaign is None:
            raise UsageError(
                f"There is no campaign {number} here; `/linkgap campaigns` lists them.", USAGE
            )
        if not archive_campaign(session, call.workspace_id, number):
            raise UsageError(
                f"Campaign {number} is already untracked. Track its keyword and page again "
                "to resume it.",
                USAGE,
            )
        keyword, target_url = escape(campaign.keyword), campaign.target_url
        headline = Mrkdwn(
            f":pause_button: Campaign *{number}* (*{keyword}* for {link(target_url)}) is "
            f"untracked by <@{escape(call.user_id)}>: no more weekly digests or daily "
            f'refreshes. Its history is kept; `/linkgap track "{keyword}" '
            f"{escape(target_url)}` resumes it."
        )
        blocks = campaign_blocks(headline, campaign)
    call.announce(blocks, f"Campaign {number} untracked")


SUBCOMMAND = Subcommand(
    "untrack",
    USAGE,
    "Stop a campaign's weekly digests and daily refresh; its history is kept and tracking "
    "the same keyword and page again resumes it.",
    run,
    example="/linkgap untrack 1",
    synonyms=("stop", "pause", "archive"),
)
