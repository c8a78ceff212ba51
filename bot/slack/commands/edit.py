"""``/linkgap edit <campaign> [options]``: change a campaign's settings with ``track``'s options.

Only what is named changes; the answer echoes every stored setting. A new
quorum applies to the next vote, a new schedule to the next digest (the clock
re-reads schedules every minute).
"""

from __future__ import annotations

from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link
from bot.slack.blocks.views_common import campaign_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_options import CampaignOptions, parse_campaign_options
from bot.slack.commands.references import check_references
from bot.slack.commands.router import Subcommand, UsageError
from bot.slack.commands.untrack import campaign_number
from bot.store.db import write_transaction
from bot.store.models import Campaign
from bot.store.repositories import get_campaign

USAGE = (
    "/linkgap edit <campaign number> [#channel] [approvals #channel] [approvers @a @b @group] "
    '[brand "Acme"] [topic "trail" "running"] [quorum 2] [digest friday 16:30] [tz Europe/Berlin]'
)


def apply_options(campaign: Campaign, options: CampaignOptions) -> None:
    """Set on the campaign exactly the options that were named."""
    if options.channel_id is not None:
        campaign.channel_id = options.channel_id
    if options.approvals_channel_id is not None:
        campaign.approvals_channel_id = options.approvals_channel_id
    if options.names_approvers:
        campaign.approvers = list(dict.fromkeys(options.approvers))
        campaign.approver_usergroup = options.approver_usergroup
    if options.brand_terms is not None:
        campaign.brand_terms = list(dict.fromkeys(options.brand_terms))
    if options.topic_terms is not None:
        campaign.topic_terms = list(dict.fromkeys(options.topic_terms))
    if options.quorum is not None:
        campaign.settings = {**(campaign.settings or {}), "quorum": options.quorum}
    if options.digest_weekday is not None:
        campaign.digest_weekday = options.digest_weekday
        campaign.digest_hour = options.digest_hour or 0
        campaign.digest_minute = options.digest_minute or 0
    if options.timezone is not None:
        campaign.timezone = options.timezone


def run(call: CommandCall) -> None:
    number = campaign_number(call, USAGE)
    options = parse_campaign_options(call.args[1:], USAGE)
    if options.is_empty:
        raise UsageError(
            f"Say what to change in campaign {number}, e.g. `/linkgap edit {number} quorum 2`.",
            USAGE,
        )
    check_references(call.client, call.args[1:], USAGE)
    with write_transaction(call.runtime.sessions) as session:
        campaign = get_campaign(session, call.workspace_id, number)
        if campaign is None:
            raise UsageError(
                f"There is no campaign {number} here; `/linkgap campaigns` lists them.", USAGE
            )
        apply_options(campaign, options)
        session.flush()
        headline = Mrkdwn(
            f":pencil2: Campaign *{number}* (*{escape(campaign.keyword)}* for "
            f"{link(campaign.target_url)}) changed by <@{escape(call.user_id)}>. "
            "Its settings now:"
        )
        blocks = campaign_blocks(headline, campaign)
    call.announce(blocks, f"Campaign {number} changed")


SUBCOMMAND = Subcommand(
    "edit",
    USAGE,
    "Change a campaign's channels, approvers, quorum, brand and topic terms, digest day and "
    "time, or time zone (the same options as `track`).",
    run,
    example="/linkgap edit 1 quorum 2 digest friday 16:30 tz Europe/Berlin",
    synonyms=("change", "update", "modify"),
)
