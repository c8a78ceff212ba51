"""Run an analysis with the workspace's settings and history, and keep what it found.

Order matters for "nothing half-written": inputs are validated before this is
called, settings and history are only read before the provider is asked, and
the analysis and the day's snapshot are written together in one transaction
after everything succeeded. A provider failure writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.gap.settings import GapSettings
from bot.providers.base import Provider
from bot.report.contract import gap_contract
from bot.report.outcome import GapOutcome
from bot.services.gap import GapRequest, run_gap
from bot.services.own_site import CrawlRequest, read_own_site
from bot.services.workspace_settings import WorkspaceSettings
from bot.store.db import transaction, write_transaction
from bot.store.models import LOCAL_TEAM_ID
from bot.store.repositories import (
    get_campaign,
    get_or_create_workspace,
    get_workspace,
    record_analysis,
    snapshot_history,
    upsert_snapshot,
)
from bot.store.types import utc_now
from bot.web.fetcher import PageFetcher

HISTORY_DAYS = 120


@dataclass(frozen=True)
class WorkspaceRef:
    """Which workspace an analysis belongs to: by id when known, else by Slack team."""

    team_id: str = LOCAL_TEAM_ID
    enterprise_id: str | None = None


def load_workspace_settings(
    sessions: sessionmaker[Session], ref: WorkspaceRef
) -> WorkspaceSettings:
    """The workspace's stored settings, or the defaults for a workspace not seen yet."""
    with transaction(sessions) as session:
        workspace = get_workspace(session, ref.team_id, ref.enterprise_id)
        return WorkspaceSettings.from_stored(workspace.settings if workspace else None)


def run_and_record(
    sessions: sessionmaker[Session],
    provider: Provider,
    request: GapRequest,
    *,
    workspace: WorkspaceRef | None = None,
    campaign_id: int | None = None,
    created_by: str | None = None,
    today: date | None = None,
    fetcher: PageFetcher | None = None,
    crawl: CrawlRequest | None = None,
) -> GapOutcome:
    """Analyse with the workspace's overrides and snapshot history, then record the result.

    With ``crawl`` the own site is read for internal support first (a stored crawl while
    fresh, else a new one) and the day's count is kept with the snapshot.
    """
    ref = workspace or WorkspaceRef()
    day = today or utc_now().date()
    topic_terms: list[str] = []
    with transaction(sessions) as session:
        found = get_workspace(session, ref.team_id, ref.enterprise_id)
        stored = WorkspaceSettings.from_stored(found.settings if found else None)
        history = (
            snapshot_history(
                session, found.id, request.target_url, day - timedelta(days=HISTORY_DAYS)
            )
            if found is not None
            else []
        )
        campaign = (
            get_campaign(session, found.id, campaign_id)
            if found is not None and campaign_id is not None
            else None
        )
        if campaign is not None:
            topic_terms = list(campaign.topic_terms)
    settings: GapSettings = stored.analysis_settings()
    site = (
        read_own_site(
            sessions,
            ref.team_id,
            ref.enterprise_id,
            crawl,
            request.target_url,
            sample_data=provider.sample_data,
            now=utc_now(),
        )
        if crawl is not None
        else None
    )
    outcome = run_gap(
        provider,
        request,
        settings,
        history=history,
        today=day,
        fetcher=fetcher,
        site=site,
        topic_terms=topic_terms,
    )
    own = outcome.report.own
    support = outcome.report.internal_support
    with write_transaction(sessions) as session:
        row = get_or_create_workspace(session, ref.team_id, ref.enterprise_id)
        record_analysis(
            session, row.id, gap_contract(outcome), campaign_id=campaign_id, created_by=created_by
        )
        upsert_snapshot(
            session,
            row.id,
            request.target_url,
            day,
            referring_domains=own.referring_domains,
            quality_referring_domains=own.quality_referring_domains,
            quality_domains=own.quality_domains,
            position=own.position,
            provider=outcome.provider,
            internal_linking_pages=len(support.linking_pages) if support is not None else None,
        )
    return outcome
