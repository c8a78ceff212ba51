"""Crawls of the own site, kept per workspace and site for 7 days.

A crawl is read for every keyword and target on the site: what is kept is each
page's address, internal links and prose blocks, not an answer for one target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.gap.internal_support import SiteLink, SitePage
from bot.store.models import SiteCrawlRow
from bot.store.repositories._upsert import insert_on_conflict

CRAWL_TTL = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class StoredCrawl:
    """A crawl read back from the store: its pages and when it was made."""

    site: str
    pages: tuple[SitePage, ...]
    pages_failed: int
    stopped: str | None
    crawled_at: datetime


def load_crawl(
    session: Session, workspace_id: int, site: str, *, sample_data: bool, now: datetime
) -> StoredCrawl | None:
    """The site's crawl while it is fresh at ``now``; ``None`` when missing or expired."""
    row = session.scalars(
        select(SiteCrawlRow).where(
            SiteCrawlRow.workspace_id == workspace_id,
            SiteCrawlRow.site == site,
            SiteCrawlRow.sample_data == sample_data,
            SiteCrawlRow.expires_at > now,
        )
    ).one_or_none()
    if row is None:
        return None
    return StoredCrawl(
        site=row.site,
        pages=tuple(_page(item) for item in row.pages),
        pages_failed=row.pages_failed,
        stopped=row.stopped,
        crawled_at=row.crawled_at,
    )


def save_crawl(
    session: Session,
    workspace_id: int,
    site: str,
    pages: Sequence[SitePage],
    *,
    sample_data: bool,
    pages_failed: int,
    stopped: str | None,
    now: datetime,
    ttl: timedelta = CRAWL_TTL,
) -> None:
    """Keep (or replace) the site's crawl for ``ttl``."""
    values = {
        "pages": [_document(page) for page in pages],
        "pages_failed": pages_failed,
        "stopped": stopped[:200] if stopped else None,
        "crawled_at": now,
        "expires_at": now + ttl,
    }
    statement = insert_on_conflict(session, SiteCrawlRow).values(
        workspace_id=workspace_id, site=site, sample_data=sample_data, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=[SiteCrawlRow.workspace_id, SiteCrawlRow.site, SiteCrawlRow.sample_data],
        set_={name: statement.excluded[name] for name in values},
    )
    session.execute(statement)


def purge_expired_crawls(session: Session, now: datetime) -> int:
    """Delete crawls expired at ``now``; returns how many went."""
    result = session.execute(
        delete(SiteCrawlRow).where(SiteCrawlRow.expires_at <= now),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))


def _document(page: SitePage) -> dict[str, Any]:
    return {
        "url": page.url,
        "links": [[link.url, link.anchor] for link in page.links],
        "paragraphs": list(page.paragraphs),
    }


def _page(item: dict[str, Any]) -> SitePage:
    return SitePage(
        url=str(item["url"]),
        links=tuple(SiteLink(str(url), str(anchor)) for url, anchor in item["links"]),
        paragraphs=tuple(str(text) for text in item["paragraphs"]),
    )
