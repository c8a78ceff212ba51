"""Read the own site for internal support: the stored crawl while fresh, else a new crawl.

A crawl is slow (hundreds of pages, politely paced), so it is kept per workspace
and site for 7 days and every analysis of a page on the site reads it. A site
that cannot be crawled is an answer too (``SiteReading.error``): the report says
why and the analysis goes on; nothing about it is stored, so the next analysis
tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.gap.internal_support import SitePage
from bot.store.db import transaction, write_transaction
from bot.store.repositories import get_or_create_workspace, get_workspace, load_crawl, save_crawl
from bot.web.crawl import (
    DEFAULT_MAX_PAGES,
    DEFAULT_PER_SECOND,
    CrawlRefused,
    Progress,
    SiteCrawler,
    site_origin,
)
from bot.web.fetcher import SiteFetcher

log = logging.getLogger(__name__)
#: The demo's sample web answers inside the process: there is no host to be polite to.
SAMPLE_WEB_PER_SECOND = 10_000.0


@dataclass(frozen=True)
class CrawlRequest:
    """Crawl the target's site with this fetcher, up to ``max_pages`` pages."""

    fetcher: SiteFetcher
    max_pages: int = DEFAULT_MAX_PAGES
    progress: Progress | None = None
    per_second: float = DEFAULT_PER_SECOND


@dataclass(frozen=True)
class SiteReading:
    """The own site's pages, or why there are none."""

    pages: tuple[SitePage, ...] | None
    error: str | None = None
    from_cache: bool = False


def read_own_site(
    sessions: sessionmaker[Session],
    team_id: str,
    enterprise_id: str | None,
    request: CrawlRequest,
    target_url: str,
    *,
    sample_data: bool,
    now: datetime,
) -> SiteReading:
    """The stored crawl of ``target_url``'s site while fresh, else a new crawl, stored."""
    site = site_origin(target_url)
    with transaction(sessions) as session:
        workspace = get_workspace(session, team_id, enterprise_id)
        stored = (
            load_crawl(session, workspace.id, site, sample_data=sample_data, now=now)
            if workspace is not None
            else None
        )
    if stored is not None:
        return SiteReading(stored.pages, from_cache=True)
    crawler = SiteCrawler(
        request.fetcher,
        target_url,
        max_pages=request.max_pages,
        per_second=SAMPLE_WEB_PER_SECOND if sample_data else request.per_second,
        progress=request.progress,
    )
    try:
        crawl = crawler.crawl()
    except CrawlRefused as exc:
        return SiteReading(None, error=exc.message)
    except Exception:  # the crawl is a side dish: it must not sink the analysis
        log.exception("crawl of %s failed unexpectedly", site)
        return SiteReading(None, error="the crawl failed on our side; it has been logged")
    if not crawl.pages:
        return SiteReading(None, error=f"no page of {site} could be fetched")
    with write_transaction(sessions) as session:
        workspace = get_or_create_workspace(session, team_id, enterprise_id)
        save_crawl(
            session,
            workspace.id,
            site,
            crawl.pages,
            sample_data=sample_data,
            pages_failed=crawl.failed,
            stopped=crawl.stopped,
            now=now,
        )
    return SiteReading(crawl.pages)
