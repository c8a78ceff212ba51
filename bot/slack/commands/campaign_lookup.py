"""Finding the campaign a command is about: by number, or by the site of the page it names."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.gap.domains import registrable_domain
from bot.gap.urls import host_of, normalise_url
from bot.slack.commands.parsing import Token
from bot.slack.commands.router import UsageError
from bot.store.models import Campaign
from bot.store.repositories import get_campaign, list_campaigns


def campaign_for(
    session: Session,
    workspace_id: int,
    *,
    campaign_id: int | None,
    target_url: str | None,
    usage: str,
) -> Campaign:
    """The campaign asked for, or the one campaign on the target's site; else a usage answer."""
    if campaign_id is not None:
        campaign = get_campaign(session, workspace_id, campaign_id)
        if campaign is None or campaign.archived_at is not None:
            raise UsageError(
                f"There is no campaign {campaign_id} here; `/linkgap campaigns` lists them.", usage
            )
        return campaign
    campaigns = list_campaigns(session, workspace_id)
    if target_url is None:
        if len(campaigns) == 1:
            return campaigns[0]
        raise UsageError("Say which campaign: add `campaign <number>`.", usage)
    site = registrable_domain(host_of(target_url))
    on_site = [c for c in campaigns if registrable_domain(host_of(c.target_url)) == site]
    exact = [c for c in on_site if c.target_key == normalise_url(target_url)]
    if len(exact) == 1:
        return exact[0]
    if len(on_site) == 1:
        return on_site[0]
    if not on_site:
        raise UsageError(
            f"No campaign tracks a page on {site}. Start one with `/linkgap track`, "
            "or add `campaign <number>`.",
            usage,
        )
    numbers = ", ".join(str(c.id) for c in on_site)
    raise UsageError(f"Several campaigns track {site} ({numbers}): add `campaign <number>`.", usage)


def optional_campaign_number(args: Sequence[Token], usage: str) -> int | None:
    """``[campaign number]`` (``3``, ``#3`` or ``campaign 3``): the number, or ``None``."""
    if not args:
        return None
    text = args[-1].text.lstrip("#")
    if len(args) > 2 or not text.isdigit():
        raise UsageError("Give a campaign number, or nothing when there is one campaign.", usage)
    return int(text)
