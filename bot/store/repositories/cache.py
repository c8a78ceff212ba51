"""The provider cache: answers kept per workspace, provider and query until they expire."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import ProviderCacheEntry
from bot.store.repositories._upsert import insert_on_conflict

DEFAULT_TTL = timedelta(hours=24)


def cache_key_for(query: Mapping[str, Any]) -> str:
    """sha256 hex of the query in canonical JSON: equal queries, in any key order, share a key."""
    canonical = json.dumps(query, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cache_get(
    session: Session, workspace_id: int, provider: str, cache_key: str, now: datetime
) -> Any | None:
    """The cached payload while it is fresh; ``None`` when missing or expired at ``now``."""
    return session.scalars(
        select(ProviderCacheEntry.payload).where(
            ProviderCacheEntry.workspace_id == workspace_id,
            ProviderCacheEntry.provider == provider,
            ProviderCacheEntry.cache_key == cache_key,
            ProviderCacheEntry.expires_at > now,
        )
    ).one_or_none()


def cache_put(
    session: Session,
    workspace_id: int,
    provider: str,
    cache_key: str,
    *,
    query: Mapping[str, Any],
    payload: Any,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
) -> None:
    """Store (or refresh) a provider's answer for ``ttl``.

    ``None`` cannot be cached: it would read back as a miss. Only complete
    answers belong here (a failed provider call caches nothing).
    """
    if payload is None:
        raise ValueError("a None payload cannot be cached; it reads back as a miss")
    if ttl <= timedelta(0):
        raise ValueError("the cache TTL must be positive")
    values = {"query": dict(query), "payload": payload, "fetched_at": now, "expires_at": now + ttl}
    statement = insert_on_conflict(session, ProviderCacheEntry).values(
        workspace_id=workspace_id, provider=provider, cache_key=cache_key, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=[
            ProviderCacheEntry.workspace_id,
            ProviderCacheEntry.provider,
            ProviderCacheEntry.cache_key,
        ],
        set_={name: statement.excluded[name] for name in values},
    )
    session.execute(statement)


def purge_expired_cache(session: Session, now: datetime) -> int:
    """Delete entries expired at ``now`` (a housekeeping job); returns how many went."""
    result = session.execute(
        delete(ProviderCacheEntry).where(ProviderCacheEntry.expires_at <= now),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))
