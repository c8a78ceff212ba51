"""The daily data refresh of a campaign: one analysis, which stores the day's snapshot.

Snapshots (quality referring domains, their names, the SERP position) are
the history behind velocity, ETA and every digest number; the analysis also
keeps the campaign's targets current. Provider answers come from the cache
when they are fresh, so a refresh costs at most one analysis a day. With a
fetcher, the target page's referring domains in that analysis also move the
campaign's placements to ``live`` or ``lost``; never on sample data. With a
``site_fetcher`` the refresh reads the crawl of the own site (kept 7 days, so the
site is crawled again once a week) and the day's internal-support count is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.report.outcome import GapOutcome
from bot.services.gap import GapRequest
from bot.services.gap_store import WorkspaceRef, load_workspace_settings, run_and_record
from bot.services.own_site import CrawlRequest
from bot.services.placement_detection import DetectionOutcome, detect_placements
from bot.services.providers import workspace_provider
from bot.store.db import transaction
from bot.store.models import Campaign, Workspace
from bot.store.types import utc_now
from bot.web.crawl import DEFAULT_MAX_PAGES
from bot.web.fetcher import PageFetcher, SiteFetcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CampaignRefresh:
    workspace_id: int
    gap: GapOutcome
    placements: DetectionOutcome


def refresh_campaign(
    sessions: sessionmaker[Session],
    campaign_id: int,
    *,
    default_provider: str,
    environ: Mapping[str, str],
    fetcher_factory: Callable[[], PageFetcher] | None = None,
    site_fetcher: Callable[[bool, GapRequest], PageFetcher] | None = None,
    crawl_max_pages: int = DEFAULT_MAX_PAGES,
) -> CampaignRefresh | None:
    """One analysis of the campaign, its snapshot stored; ``None`` for a gone campaign.

    ``site_fetcher(sample_data, request)`` gives the fetcher the crawl of the own
    site goes through (the sample web for sample data).
    """
    with transaction(sessions) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.archived_at is not None:
            return None
        workspace = session.get(Workspace, campaign.workspace_id)
        if workspace is None:
            return None
        ref = WorkspaceRef(workspace.team_id, workspace.enterprise_id)
        workspace_id = workspace.id
        request = GapRequest.parse(
            campaign.keyword, campaign.target_url, campaign.country, campaign.language
        )
    stored = load_workspace_settings(sessions, ref)
    provider = workspace_provider(stored, default_provider, sessions, ref, environ=environ)
    crawl = None
    if site_fetcher is not None and crawl_max_pages:
        fetcher = site_fetcher(provider.sample_data, request)
        if isinstance(fetcher, SiteFetcher):
            crawl = CrawlRequest(fetcher, max_pages=crawl_max_pages)
    outcome = run_and_record(
        sessions, provider, request, workspace=ref, campaign_id=campaign_id, crawl=crawl
    )
    log.info(
        "campaign %s refreshed: %s quality referring domains, position %s",
        campaign_id,
        outcome.report.own.quality_referring_domains,
        outcome.report.own.position,
    )
    placements = DetectionOutcome()
    if fetcher_factory is not None and not outcome.sample_data:
        placements = detect_placements(
            sessions,
            workspace_id,
            campaign_id,
            frozenset(outcome.report.own.referring_domain_names),
            fetcher_factory,
            utc_now(),
        )
    return CampaignRefresh(workspace_id, outcome, placements)
