"""The provider an analysis uses: chosen per workspace, wrapped in the database cache.

Live providers cost money per request, so every surface gets them through
``cached``; the demo and csv providers pass straight through (generated data
and local files are never stored as if fetched).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.providers.base import Provider
from bot.providers.cache import CachingProvider
from bot.providers.registry import make_provider
from bot.services.gap_store import WorkspaceRef
from bot.services.workspace_settings import WorkspaceSettings
from bot.store.db import write_transaction
from bot.store.repositories import get_or_create_workspace

UNCACHED = frozenset({"demo", "csv"})


def cached(
    provider: Provider, sessions: sessionmaker[Session], workspace: WorkspaceRef | None = None
) -> Provider:
    """Wrap a live provider in the workspace's cache (its TTL comes from the workspace settings)."""
    if provider.sample_data or provider.name in UNCACHED:
        return provider
    ref = workspace or WorkspaceRef()
    with write_transaction(sessions) as session:
        row = get_or_create_workspace(session, ref.team_id, ref.enterprise_id)
        workspace_id = row.id
        settings = WorkspaceSettings.from_stored(row.settings)
    if settings.cache_hours == 0:
        return provider
    return CachingProvider(provider, sessions, workspace_id, ttl=settings.cache_ttl)


def workspace_provider(
    settings: WorkspaceSettings,
    default: str,
    sessions: sessionmaker[Session],
    workspace: WorkspaceRef,
    *,
    environ: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> Provider:
    """The workspace's chosen provider (or the deployment default), cached."""
    name = settings.provider or default
    return cached(make_provider(name, data_dir=data_dir, environ=environ), sessions, workspace)
