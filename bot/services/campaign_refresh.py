"""The daily data refresh of a campaign: one analysis, which stores the day's snapshot.

Snapshots (quality referring domains, their names, the SERP position) are
the history behind velocity, ETA and every digest number; the analysis also
keeps the campaign's targets current. Provider answers come from the cache
when they are fresh, so a refresh costs at most one analysis a day.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from bot.services.gap import GapOutcome, GapRequest
from bot.services.gap_store import WorkspaceRef, load_workspace_settings, run_and_record
from bot.services.providers import workspace_provider
from bot.store.db import transaction
from bot.store.models import Campaign, Workspace

log = logging.getLogger(__name__)


def refresh_campaign(
    sessions: sessionmaker[Session],
    campaign_id: int,
    *,
    default_provider: str,
    environ: Mapping[str, str],
) -> GapOutcome | None:
    with transaction(sessions) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.archived_at is not None:
            return None
        workspace = session.get(Workspace, campaign.workspace_id)
        if workspace is None:
            return None
        ref = WorkspaceRef(workspace.team_id, workspace.enterprise_id)
        request = GapRequest.parse(
            campaign.keyword, campaign.target_url, campaign.country, campaign.language
        )
    stored = load_workspace_settings(sessions, ref)
    provider = workspace_provider(stored, default_provider, sessions, ref, environ=environ)
    outcome = run_and_record(sessions, provider, request, workspace=ref, campaign_id=campaign_id)
    log.info(
        "campaign %s refreshed: %s quality referring domains, position %s",
        campaign_id,
        outcome.report.own.quality_referring_domains,
        outcome.report.own.position,
    )
    return outcome
