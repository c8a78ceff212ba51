"""``/linkgap plan [campaign]``: the link plan of a campaign's latest analysis, with buttons.

It reads the analysis the campaign already has (the daily refresh keeps it
current), so asking costs no provider request; each entry's "Propose" button
opens the vet form filled in.
"""

from __future__ import annotations

from bot.report.plan_view import plan_view_from_contract
from bot.slack.blocks.mrkdwn import escape
from bot.slack.blocks.plan_blocks import plan_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_lookup import campaign_for, optional_campaign_number
from bot.slack.commands.router import Subcommand
from bot.store.db import transaction
from bot.store.repositories import recent_analyses

USAGE = "/linkgap plan [campaign number]"


def run(call: CommandCall) -> None:
    campaign_id = optional_campaign_number(call.args, USAGE)
    with transaction(call.runtime.sessions) as session:
        campaign = campaign_for(
            session, call.workspace_id, campaign_id=campaign_id, target_url=None, usage=USAGE
        )
        latest = recent_analyses(session, call.workspace_id, campaign_id=campaign.id, limit=1)
        number, keyword, topics = campaign.id, campaign.keyword, list(campaign.topic_terms or ())
        stored = (latest[0].report, latest[0].created_at) if latest else None
    if stored is None:
        call.reply_text(
            f"Campaign {number} (“{escape(keyword)}”) has no analysis yet; its first one is "
            "on its way. Try again in a minute."
        )
        return
    document, when = stored
    view = plan_view_from_contract(document, topics)
    sample = " · sample data" if document.get("sample_data") else ""
    footer = (
        f"Campaign {number} · from the analysis of {when:%Y-%m-%d %H:%M} UTC "
        f"({escape(document.get('provider', ''))}{sample}) · no new provider request"
    )
    call.reply(
        plan_blocks(view, footer=footer, today=when.date()),
        escape(f"Link plan for “{keyword}”: {len(view.entries)} prospects"),
    )


SUBCOMMAND = Subcommand(
    "plan",
    USAGE,
    "Show a campaign's link plan: the fewest prospects that close the entry gap, best "
    "chance first, each with a Propose button.",
    run,
    example="/linkgap plan 1",
)
