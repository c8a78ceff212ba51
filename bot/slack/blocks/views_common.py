"""Lines about campaigns shared by ``/linkgap campaigns`` and App Home."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.campaign_overview import CampaignStatus
from bot.slack.blocks.messages import compact_url
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link

WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def campaign_line(status: CampaignStatus) -> Mrkdwn:
    if status.entry_gap is not None:
        gap = f"entry gap *{status.entry_gap}* (target {status.entry_target})"
    elif status.stretch_gap is not None:
        gap = f"stretch gap *{status.stretch_gap}* (target {status.stretch_target})"
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
    return Mrkdwn(
        f"*{status.id}* · *{escape(status.keyword)}* · "
        f"{link(status.target_url, compact_url(status.target_url))}\n"
        f"{gap} · {when}{sample}{channel} · {digest}"
    )


def campaign_lines(statuses: Sequence[CampaignStatus]) -> list[Mrkdwn]:
    return [campaign_line(status) for status in statuses]
