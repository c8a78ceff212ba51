"""A bounded, polite crawl of your own site, for the report's internal support.

Every request goes through the safe fetcher. The crawl reads ``robots.txt`` first
(Protego, the parser Scrapy uses: wildcards, ``Allow``, ``Crawl-delay``, ``Sitemap:``)
and never fetches what it disallows; then the sitemaps it names, or ``/sitemap.xml``
when it names none, following sitemap indexes and reading gzip sitemaps; then the
homepage and the links of every page it reads, on the same host, until
``max_pages`` pages were fetched. ``workers`` pages are fetched at a time, and
requests to the host start at most ``per_second`` a second (or one per
``Crawl-delay`` when robots.txt asks for more room). A crawl that runs past
``max_seconds`` stops and keeps what it read.

Pages that cannot be fetched are skipped and counted; a crawl only fails when
robots.txt cannot be read (other than "not found": no robots.txt allows everything)
or forbids the whole site.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from bot.errors import FetchRefused, LinkgapError
from bot.gap.internal_support import SiteLink, SitePage
from bot.gap.urls import normalise_url
from bot.web.audit import site_domain
from bot.web.fetcher import PageGone, SiteFetcher
from bot.web.html import paragraphs, parse_html
from bot.web.sitemaps import read_sitemap

log = logging.getLogger(__name__)

#: The user-agent token robots.txt rules are matched against.
ROBOTS_AGENT = "linkgap"
DEFAULT_MAX_PAGES = 500
DEFAULT_WORKERS = 4
DEFAULT_PER_SECOND = 20.0
DEFAULT_MAX_SECONDS = 600.0
#: Sitemap files read per crawl at most (an index may name thousands).
MAX_SITEMAP_FILES = 50
#: A page's prose kept for the opportunities, at most (characters).
MAX_TEXT_CHARS = 20_000
ROBOTS_TYPES = frozenset({"text/plain"})
SITEMAP_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
    }
)

#: Called with (pages fetched so far, pages planned) as the crawl goes.
Progress = Callable[[int, int], None]


class CrawlRefused(LinkgapError):
    """The site cannot be crawled at all: robots.txt forbids it or could not be read."""


@dataclass(frozen=True, slots=True)
class SiteCrawl:
    """The pages read from one site, and what happened on the way."""

    site: str
    pages: tuple[SitePage, ...]
    #: Pages that could not be fetched or read (skipped).
    failed: int
    #: Addresses the sitemaps listed on this host (before the page limit).
    sitemap_pages: int
    #: Why the crawl stopped before running out of pages, if it did.
    stopped: str | None = None


class HostRateLimit:
    """Spaces the starts of requests to one host at least ``interval`` seconds apart.

    Thread-safe: each caller reserves the next free slot under a lock, then sleeps
    until it outside the lock, so four workers share one pace.
    """

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def slow_to(self, interval: float) -> None:
        """Space requests ``interval`` apart from now on, the next one included."""
        with self._lock:
            if interval > self.interval:
                self._next += interval - self.interval
                self.interval = interval

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


def site_origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: the site a crawl stays on."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


class SiteCrawler:
    """One crawl of the site of ``page_url`` (see the module docstring for the order)."""

    def __init__(
        self,
        fetcher: SiteFetcher,
        page_url: str,
        *,
        max_pages: int = DEFAULT_MAX_PAGES,
        workers: int = DEFAULT_WORKERS,
        per_second: float = DEFAULT_PER_SECOND,
        max_seconds: float = DEFAULT_MAX_SECONDS,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetcher = fetcher
        self.origin = site_origin(page_url)
        self._host = _bare_host(page_url)
        self._domain = site_domain(page_url)
        self._max_pages = max_pages
        self._workers = workers
        self._per_second = per_second
        self._max_seconds = max_seconds
        self._progress = progress or (lambda done, planned: None)
        self._clock = clock
        self._limit = HostRateLimit(1 / per_second, clock)
        self._robots = Protego.parse("")

    def crawl(self) -> SiteCrawl:
        """Read robots.txt, the sitemaps, then pages; raises ``CrawlRefused`` only up front."""
        started = self._clock()
        self._read_robots()
        if not self._allowed(self.origin + "/"):
            raise CrawlRefused(f"{self.origin}/robots.txt does not allow crawling the site.")
        listed = self._sitemap_pages()
        frontier: deque[str] = deque()
        seen: set[str] = set()
        for url in [self.origin + "/", *listed]:
            self._enqueue(url, frontier, seen)
        pages: list[SitePage] = []
        failed = 0
        stopped: str | None = None
        with ThreadPoolExecutor(self._workers, thread_name_prefix="linkgap-crawl") as pool:
            running: set[Future[SitePage | None]] = set()
            started_pages = 0
            while frontier or running:
                if frontier and self._clock() - started > self._max_seconds:
                    stopped = f"stopped at the {self._max_seconds:g} s time limit"
                    frontier.clear()
                while frontier and len(running) < self._workers:
                    if started_pages >= self._max_pages:
                        stopped = f"stopped at the {self._max_pages}-page limit"
                        frontier.clear()
                        break
                    running.add(pool.submit(self._read_page, frontier.popleft()))
                    started_pages += 1
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    page = future.result()
                    if page is None:
                        failed += 1
                        continue
                    pages.append(page)
                    for link in page.links:
                        self._enqueue(link.url, frontier, seen)
                planned = min(self._max_pages, started_pages + len(frontier))
                self._progress(len(pages) + failed, planned)
        return SiteCrawl(
            site=self.origin,
            pages=tuple(pages),
            failed=failed,
            sitemap_pages=len(listed),
            stopped=stopped,
        )

    def _read_robots(self) -> None:
        url = self.origin + "/robots.txt"
        self._limit.wait()
        try:
            answer = self._fetcher.fetch_file(url, ROBOTS_TYPES)
        except PageGone:
            return  # no robots.txt: everything is allowed
        except FetchRefused as exc:
            raise CrawlRefused(f"{url} could not be read ({exc.message}); not crawling.") from None
        self._robots = Protego.parse(answer.body.decode("utf-8", errors="replace"))
        delay = self._robots.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._limit.slow_to(float(delay))

    def _allowed(self, url: str) -> bool:
        return bool(self._robots.can_fetch(url, ROBOTS_AGENT))

    def _sitemap_pages(self) -> list[str]:
        """Page addresses on this host from the sitemaps, indexes followed, in listed order."""
        queue = deque(list(self._robots.sitemaps) or [self.origin + "/sitemap.xml"])
        read: set[str] = set()
        pages: dict[str, None] = {}
        while queue and len(read) < MAX_SITEMAP_FILES and len(pages) < self._max_pages:
            url = queue.popleft()
            if url in read or not self._same_site(url):
                continue
            read.add(url)
            self._limit.wait()
            try:
                body = self._fetcher.fetch_file(url, SITEMAP_TYPES).body
                sitemap = read_sitemap(body)
            except FetchRefused as exc:
                log.info("sitemap %s skipped: %s", url, exc)
                continue
            queue.extend(sitemap.sitemaps)
            pages.update(dict.fromkeys(p for p in sitemap.pages if self._same_site(p)))
        return list(pages)

    def _enqueue(self, url: str, frontier: deque[str], seen: set[str]) -> None:
        if not self._same_site(url):
            return
        key = normalise_url(url)
        if key in seen or not self._allowed(url):
            return
        seen.add(key)
        frontier.append(url)

    def _same_site(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        return _bare_host(url) == self._host

    def _read_page(self, url: str) -> SitePage | None:
        """One page as links and prose; ``None`` when it cannot be fetched or read."""
        self._limit.wait()
        try:
            page = self._fetcher.fetch(url)
            content = parse_html(page.text, page.url)
            prose = paragraphs(page.text)
        except FetchRefused as exc:
            log.info("crawl: %s skipped: %s", url, exc.message)
            return None
        except Exception:  # a page the parser chokes on must not end the crawl
            log.exception("crawl: %s could not be read", url)
            return None
        kept: list[str] = []
        size = 0
        for block in prose:
            if size + len(block) > MAX_TEXT_CHARS:
                break
            kept.append(block)
            size += len(block)
        links = tuple(
            SiteLink(link.url, link.text)
            for link in content.links
            if _bare_host(link.url) == self._host
            or (self._domain and site_domain(link.url) == self._domain)
        )
        return SitePage(url=page.url, links=links, paragraphs=tuple(kept))


def _bare_host(url: str) -> str:
    """The host without ``www.`` and with its port: the site's pages share it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host
