"""Campaigns with their latest analysis: what ``/linkgap campaigns`` and App Home show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.approvals.rules import DEFAULT_QUORUM, ApprovalPolicy
from bot.store.models import Analysis, Campaign
from bot.store.repositories import keyword_key, list_campaigns

RECENT_ANALYSES = 500


@dataclass(frozen=True)
class CampaignStatus:
    id: int
    keyword: str
    target_url: str
    channel_id: str | None
    timezone: str
    digest_weekday: int
    digest_hour: int
    digest_minute: int
    entry_target: int | None
    entry_gap: int | None
    stretch_target: int | None
    stretch_gap: int | None
    last_analysis_at: datetime | None
    sample_data: bool
    active: bool = True
    approvers: tuple[str, ...] = ()
    approver_usergroup: str | None = None
    quorum: int = DEFAULT_QUORUM


def _key(keyword: str, target_key: str) -> tuple[str, str]:
    return keyword_key(keyword), target_key


def campaign_statuses(
    session: Session, workspace_id: int, *, include_untracked: bool = False
) -> list[CampaignStatus]:
    """Each campaign of the workspace (active ones, or untracked too) with the newest
    analysis of its keyword and page."""
    campaigns: list[Campaign] = list_campaigns(
        session, workspace_id, include_archived=include_untracked
    )
    analyses = session.scalars(
        select(Analysis)
        .where(Analysis.workspace_id == workspace_id)
        .order_by(Analysis.created_at.desc(), Analysis.id.desc())
        .limit(RECENT_ANALYSES)
    ).all()
    latest_by_campaign: dict[int, Analysis] = {}
    latest_by_key: dict[tuple[str, str], Analysis] = {}
    for analysis in analyses:
        if analysis.campaign_id is not None:
            latest_by_campaign.setdefault(analysis.campaign_id, analysis)
        latest_by_key.setdefault(_key(analysis.keyword, analysis.target_key), analysis)
    statuses = []
    for campaign in campaigns:
        latest = latest_by_campaign.get(campaign.id) or latest_by_key.get(
            _key(campaign.keyword, campaign.target_key)
        )
        statuses.append(
            CampaignStatus(
                id=campaign.id,
                keyword=campaign.keyword,
                target_url=campaign.target_url,
                channel_id=campaign.channel_id,
                timezone=campaign.timezone,
                digest_weekday=campaign.digest_weekday,
                digest_hour=campaign.digest_hour,
                digest_minute=campaign.digest_minute,
                entry_target=latest.entry_target if latest else None,
                entry_gap=latest.entry_gap if latest else None,
                stretch_target=latest.stretch_target if latest else None,
                stretch_gap=latest.stretch_gap if latest else None,
                last_analysis_at=latest.created_at if latest else None,
                sample_data=latest.sample_data if latest else False,
                active=campaign.archived_at is None,
                approvers=tuple(campaign.approvers or ()),
                approver_usergroup=campaign.approver_usergroup,
                quorum=ApprovalPolicy.from_campaign(frozenset(), campaign.settings).quorum,
            )
        )
    return statuses
