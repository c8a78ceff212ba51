"""The provider cache answers while fresh, misses once expired, and is kept per workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import ProviderCacheEntry
from bot.store.repositories import (
    cache_get,
    cache_key_for,
    cache_put,
    get_or_create_workspace,
    purge_expired_cache,
)

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
QUERY = {"kind": "serp", "keyword": "trail shoes", "country": "us", "language": "en"}
KEY = cache_key_for(QUERY)
PAYLOAD = {"results": [{"position": 1, "url": "https://a.example/"}]}


def test_equal_queries_share_a_key_whatever_their_key_order() -> None:
    reordered = dict(reversed(list(QUERY.items())))

    assert cache_key_for(reordered) == KEY
    assert len(KEY) == 64
    assert cache_key_for({**QUERY, "country": "gb"}) != KEY


def test_fresh_entry_is_returned(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    cache_put(session, ws, "dataforseo", KEY, query=QUERY, payload=PAYLOAD, now=NOW)

    assert cache_get(session, ws, "dataforseo", KEY, NOW + timedelta(hours=23)) == PAYLOAD


def test_expired_entry_is_a_miss(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    cache_put(session, ws, "dataforseo", KEY, query=QUERY, payload=PAYLOAD, now=NOW,
              ttl=timedelta(hours=1))  # fmt: skip

    assert cache_get(session, ws, "dataforseo", KEY, NOW + timedelta(minutes=59)) == PAYLOAD
    assert cache_get(session, ws, "dataforseo", KEY, NOW + timedelta(hours=1)) is None


def test_putting_again_refreshes_the_one_entry(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    later = NOW + timedelta(days=2)
    cache_put(session, ws, "ahrefs", KEY, query=QUERY, payload=PAYLOAD, now=NOW)
    cache_put(session, ws, "ahrefs", KEY, query=QUERY, payload={"results": []}, now=later)

    assert cache_get(session, ws, "ahrefs", KEY, later + timedelta(hours=1)) == {"results": []}
    assert session.scalar(select(func.count()).select_from(ProviderCacheEntry)) == 1


def test_entries_are_kept_per_workspace_and_provider(session: Session) -> None:
    ours = get_or_create_workspace(session, "T1").id
    theirs = get_or_create_workspace(session, "T2").id
    cache_put(session, theirs, "ahrefs", KEY, query=QUERY, payload=PAYLOAD, now=NOW)

    assert cache_get(session, ours, "ahrefs", KEY, NOW) is None
    assert cache_get(session, theirs, "semrush", KEY, NOW) is None


def test_purge_removes_only_expired_entries(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    cache_put(session, ws, "demo", "old", query={}, payload=[1], now=NOW - timedelta(days=2))
    cache_put(session, ws, "demo", "new", query={}, payload=[2], now=NOW)

    assert purge_expired_cache(session, NOW) == 1
    assert cache_get(session, ws, "demo", "new", NOW) == [2]


def test_none_cannot_be_cached(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id

    with pytest.raises(ValueError, match="None"):
        cache_put(session, ws, "demo", KEY, query=QUERY, payload=None, now=NOW)
