"""Lines about campaigns shared by ``/linkgap campaigns`` and App Home."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.approvals.rules import ApprovalPolicy
from bot.services.campaign_overview import CampaignStatus
from bot.slack.blocks.messages import compact_url, count_text
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_blocks
from bot.store.models import Campaign

WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def campaign_line(status: CampaignStatus) -> Mrkdwn:
    if status.entry_gap is not None:
        gap = f"entry gap *{status.entry_gap:,}* (target {count_text(status.entry_target)})"
    elif status.stretch_gap is not None:
        gap = f"stretch gap *{status.stretch_gap:,}* (target {count_text(status.stretch_target)})"
    else:
        gap = "no analysis yet"
    when = (
        f"last analysis {status.last_analysis_at:%Y-%m-%d}"
        if status.last_analysis_at
        else "first analysis pending"
    )
    sample = " · _sample data_" if status.sample_data else ""
    channel = f" · <#{escape(status.channel_id)}>" if status.channel_id else ""
    digest = (
        f"digest {WEEKDAYS[status.digest_weekday]} "
        f"{status.digest_hour:02d}:{status.digest_minute:02d} {escape(status.timezone)}"
    )
    people = [f"<@{escape(user)}>" for user in status.approvers]
    if status.approver_usergroup:
        people.append(f"<!subteam^{escape(status.approver_usergroup)}>")
    state = "" if status.active else " · _untracked: no digests or refreshes_"
    return Mrkdwn(
        f"*{status.id}* · *{escape(status.keyword)}* · "
        f"{link(status.target_url, compact_url(status.target_url))}{state}\n"
        f"{gap} · {when}{sample}{channel} · {digest}\n"
        f"approvers {', '.join(people) or 'none'} · quorum {status.quorum}"
    )


def campaign_lines(statuses: Sequence[CampaignStatus]) -> list[Mrkdwn]:
    return [campaign_line(status) for status in statuses]


def campaign_blocks(headline: Mrkdwn, campaign: Campaign) -> list[dict[str, Any]]:
    """A campaign confirmation: what happened, then every setting it has stored."""
    return render_blocks(
        "track_done.json.j2", headline=headline, settings=campaign_settings(campaign)
    )


def campaign_quorum(campaign: Campaign) -> int:
    """The quorum stored on the campaign, read as the approval rules read it."""
    return ApprovalPolicy.from_campaign(frozenset(), campaign.settings).quorum


def campaign_settings(campaign: Campaign) -> Mrkdwn:
    """Every setting a campaign has stored, for the confirmations of track, edit and untrack."""
    people = [f"<@{escape(user)}>" for user in campaign.approvers or []]
    if campaign.approver_usergroup:
        people.append(f"<!subteam^{escape(campaign.approver_usergroup)}>")
    quorum = campaign_quorum(campaign)
    digest_to = f"<#{escape(campaign.channel_id)}>" if campaign.channel_id else "no channel"
    approvals = campaign.approvals_channel_id or campaign.channel_id
    lines = [
        f"State: {'untracked' if campaign.archived_at else 'active'}",
        f"Weekly digest: {WEEKDAYS[campaign.digest_weekday]} "
        f"{campaign.digest_hour:02d}:{campaign.digest_minute:02d} ({escape(campaign.timezone)}) "
        f"in {digest_to}",
        f"Approvals in {f'<#{escape(approvals)}>' if approvals else 'no channel'} by "
        f"{', '.join(people) or 'nobody'} · quorum {quorum} "
        f"({'one approver decides' if quorum == 1 else f'{quorum} approvers must agree'})",
        "Brand terms: " + (", ".join(escape(t) for t in campaign.brand_terms) or "none"),
        "Topic terms: " + (", ".join(escape(t) for t in campaign.topic_terms) or "none"),
        f"Country {escape(campaign.country)} · language {escape(campaign.language)}",
    ]
    return Mrkdwn("\n".join(lines))
