"""Run an analysis with the workspace's settings and history, and keep what it found.

Order matters for "nothing half-written": inputs are validated before this is
called, settings and history are only read before the provider is asked, and
the analysis and the day's snapshot are written together in one transaction
after everything succeeded. A provider failure writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.gap.settings import GapSettings, merge_settings
from bot.providers.base import Provider
from bot.report.contract import gap_contract
from bot.services.gap import GapOutcome, GapRequest, run_gap
from bot.store.db import make_engine, make_session_factory, transaction
from bot.store.migrate import upgrade
from bot.store.models import LOCAL_TEAM_ID
from bot.store.repositories.analyses import record_analysis
from bot.store.repositories.snapshots import snapshot_history, upsert_snapshot
from bot.store.repositories.workspaces import get_or_create_workspace, get_workspace
from bot.store.types import utc_now
from bot.web.fetcher import PageFetcher

HISTORY_DAYS = 120


def run_and_record(
    database_url: str,
    provider: Provider,
    request: GapRequest,
    *,
    team_id: str = LOCAL_TEAM_ID,
    enterprise_id: str | None = None,
    today: date | None = None,
    fetcher: PageFetcher | None = None,
) -> GapOutcome:
    """Analyse with the workspace's overrides and snapshot history, then record the result."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        sessions = make_session_factory(engine)
        day = today or utc_now().date()
        with transaction(sessions) as session:
            workspace = get_workspace(session, team_id, enterprise_id)
            overrides = dict(workspace.settings) if workspace is not None else {}
            history = (
                snapshot_history(
                    session, workspace.id, request.target_url, day - timedelta(days=HISTORY_DAYS)
                )
                if workspace is not None
                else []
            )
        settings = merge_settings(GapSettings(), overrides)
        outcome = run_gap(provider, request, settings, history=history, today=day, fetcher=fetcher)
        own = outcome.report.own
        with transaction(sessions) as session:
            workspace = get_or_create_workspace(session, team_id, enterprise_id)
            record_analysis(session, workspace.id, gap_contract(outcome))
            upsert_snapshot(
                session,
                workspace.id,
                request.target_url,
                day,
                referring_domains=own.referring_domains,
                quality_referring_domains=own.quality_referring_domains,
                quality_domains=own.quality_domains,
                position=own.position,
                provider=outcome.provider,
            )
        return outcome
    finally:
        engine.dispose()
