"""Provider answers kept in the database for a while, so a warm analysis costs nothing.

``CachingProvider`` wraps any live provider and answers from the workspace's
provider cache when it can (DESIGN section 6: 0 requests when warm, a TTL of
24 h by default, keyed by provider + query). Only complete answers are kept:
the inner call must return before anything is written, and a provider error
propagates with the cache untouched. The cache is a saving, not a dependency:
when the database cannot be read or written the analysis goes on with the
provider's answer and the problem is logged.

Every read and every write is its own short transaction; no transaction is
open while the inner provider is on the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from bot.collector import collector_paused
from bot.gap.domain_table import DomainTable
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.urls import host_of, normalise_url
from bot.providers.base import (
    RATING_SCALE,
    Provider,
    ProviderUsage,
    SerpQuery,
    on_rating_scale,
)
from bot.providers.serialise import (
    domain_table_from_json,
    domain_table_to_json,
    rating_from_json,
    rating_to_json,
    serp_results_from_json,
    serp_results_to_json,
)
from bot.store.db import transaction
from bot.store.repositories import DEFAULT_TTL, cache_get, cache_key_for, cache_put
from bot.store.types import utc_now

log = logging.getLogger(__name__)

#: Bumped when the stored shape of an answer changes: old entries then simply miss.
CACHE_FORMAT = 1
#: Referring domains are stored as ``DomainTable`` columns (format 1 was one object per row).
TABLE_FORMAT = 2
#: Providers whose answers cost nothing and must never be stored as if fetched.
_UNCACHED_PROVIDERS = frozenset({"csv"})

Query = dict[str, Any]


def serp_query_key(query: SerpQuery) -> Query:
    """The cache query of a SERP: keyword case-folded with whitespace collapsed.

    ``target_url`` is left out: live providers do not send it, so it does not
    change their answer (the demo provider, which uses it, is never cached).
    """
    return {
        "call": "serp",
        "format": CACHE_FORMAT,
        "keyword": " ".join(query.keyword.casefold().split()),
        "country": query.country.strip().lower(),
        "language": query.language.strip().lower(),
        "depth": query.depth,
    }


def page_query_key(url: str) -> Query:
    """The cache query of one page's referring domains: the page as matched everywhere else."""
    return {"call": "page_referring_domains", "format": TABLE_FORMAT, "url": normalise_url(url)}


def site_of(url: str) -> str:
    """The site a site-wide call is about: what every live provider sends (registrable domain)."""
    return registrable_domain(url) or host_of(url)


def site_query_key(url: str) -> Query:
    """The cache query of a site's referring domains."""
    return {"call": "site_referring_domains", "format": TABLE_FORMAT, "site": site_of(url)}


def rating_query_key(url: str) -> Query:
    """The cache query of a site's domain rating."""
    return {"call": "domain_rating", "format": CACHE_FORMAT, "site": site_of(url)}


def traffic_query_key(url: str) -> Query:
    """The cache query of a site's estimated organic traffic."""
    return {"call": "organic_traffic", "format": CACHE_FORMAT, "site": site_of(url)}


class CachingProvider:
    """A ``Provider`` that answers from the database cache and asks ``inner`` only on a miss.

    ``usage`` is the inner provider's, so the request count of an analysis is
    the real requests made (0 when warm). Generated data (``sample_data``) and
    local CSV files pass straight through: they cost nothing to recompute.
    """

    def __init__(
        self,
        inner: Provider,
        session_factory: sessionmaker[Session],
        workspace_id: int,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if ttl <= timedelta(0):
            raise ValueError("the cache TTL must be positive")
        self.inner = inner
        self.name: str = inner.name
        self.sample_data: bool = inner.sample_data
        self.session_factory = session_factory
        self.workspace_id = workspace_id
        self.ttl = ttl
        self.clock = clock

    @property
    def usage(self) -> ProviderUsage:
        """The inner provider's counter: cache hits make no requests and cost nothing."""
        return self.inner.usage

    @usage.setter
    def usage(self, value: ProviderUsage) -> None:
        self.inner.usage = value

    @property
    def caching(self) -> bool:
        """False for providers whose answers are free to recompute (demo, csv)."""
        return not self.inner.sample_data and self.inner.name not in _UNCACHED_PROVIDERS

    def close(self) -> None:
        """Close the inner provider's HTTP client, when it has one."""
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()

    # -- Provider protocol ---------------------------------------------------------------------

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        if not self.caching:
            return self.inner.serp(query)
        key = serp_query_key(query)
        cached = self._read({"serp": key}).get("serp")
        if cached is not None:
            try:
                return serp_results_from_json(cached.get("results"))
            except ValueError:
                log.warning("provider cache: unreadable %s SERP entry, refetching", self.name)
        results = self.inner.serp(query)
        if results:  # an empty page is more likely a hiccup than an answer worth a day
            self._write({"serp": (key, {"results": serp_results_to_json(results)})})
        return results

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """The pages' referring domains, one row per registrable domain (what the cache keeps)."""
        if not self.caching:
            return self.inner.page_referring_domains(urls)
        return {url: table.rows() for url, table in self.page_tables(urls).items()}

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """The site's referring domains, one row per registrable domain (what the cache keeps)."""
        if not self.caching:
            return self.inner.site_referring_domains(url)
        return self.site_table(url).rows()

    # -- tables: what the analysis reads ---------------------------------------------------------

    def page_tables(self, urls: Sequence[str]) -> dict[str, DomainTable]:
        """Cached pages from the database; only the missing pages go to the inner provider.

        Spellings of one page (``http://www.a.com/x/`` and ``https://a.com/x``)
        share an entry and cost one request. The answer is keyed by every URL
        exactly as passed in.
        """
        if not self.caching:
            return _tables(self.inner.page_referring_domains(urls))
        by_page: dict[str, list[str]] = {}
        for url in urls:
            by_page.setdefault(normalise_url(url), []).append(url)
        keys = {page: page_query_key(page) for page in by_page}
        found: dict[str, DomainTable] = {}
        for page, document in self._read(keys).items():
            try:
                found[page] = _indexed(_table_on_scale(document.get("referring_domains")))
            except ValueError:
                log.warning("provider cache: unreadable %s page entry, refetching", self.name)

        missing = {page: spellings[0] for page, spellings in by_page.items() if page not in found}
        if missing:
            fetched = _tables(self.inner.page_referring_domains(list(missing.values())))
            absent = [url for url in missing.values() if url not in fetched]
            if absent:
                log.warning(
                    "provider cache: %s left out %d page(s); caching none of its answer",
                    self.name,
                    len(absent),
                )
            else:
                entries: dict[str, tuple[Query, Mapping[str, Any]]] = {}
                for page, url in missing.items():
                    document = {"referring_domains": domain_table_to_json(fetched[url])}
                    entries[page] = (keys[page], document)
                self._write(entries)
            for page, url in missing.items():
                if url in fetched:
                    found[page] = fetched[url]

        return {
            url: found[page]
            for page, spellings in by_page.items()
            if page in found
            for url in spellings
        }

    def site_table(self, url: str) -> DomainTable:
        """The domains linking anywhere on the site of ``url``, cached per registrable domain."""
        if not self.caching:
            return DomainTable.from_links(self.inner.site_referring_domains(url))
        key = site_query_key(url)
        cached = self._read({"site": key}).get("site")
        if cached is not None:
            try:
                return _table_on_scale(cached.get("referring_domains"))
            except ValueError:
                log.warning("provider cache: unreadable %s site entry, refetching", self.name)
        table = DomainTable.from_links(self.inner.site_referring_domains(url))
        self._write({"site": (key, {"referring_domains": domain_table_to_json(table)})})
        return table

    def domain_rating(self, url: str) -> float | None:
        """The site's rating; ``None`` from the provider is an answer and is cached too."""
        if not self.caching:
            return self.inner.domain_rating(url)
        key = rating_query_key(url)
        cached = self._read({"rating": key}).get("rating")
        if cached is not None:
            try:
                rating = rating_from_json(cached)
                if not on_rating_scale(rating):
                    raise ValueError(f"rating {rating} is not on the 0-100 scale")
                return rating
            except ValueError:
                log.warning("provider cache: unreadable %s rating entry, refetching", self.name)
        rating = self.inner.domain_rating(url)
        self._write({"rating": (key, rating_to_json(rating))})
        return rating

    def organic_traffic(self, url: str) -> float | None:
        """The site's traffic estimate; ``None`` (no estimate, or no plan access) is cached too.

        Stored in the same lone-number wrapper as a rating (``{"rating": …}``);
        the entry's query (``call: organic_traffic``) says what the number is.
        """
        if not self.caching:
            return self.inner.organic_traffic(url)
        key = traffic_query_key(url)
        cached = self._read({"traffic": key}).get("traffic")
        if cached is not None:
            try:
                return rating_from_json(cached)
            except ValueError:
                log.warning("provider cache: unreadable %s traffic entry, refetching", self.name)
        traffic = self.inner.organic_traffic(url)
        self._write({"traffic": (key, rating_to_json(traffic))})
        return traffic

    # -- the store, one short transaction at a time --------------------------------------------

    def _read(self, queries: Mapping[str, Query]) -> dict[str, Mapping[str, Any]]:
        """Fresh entries by label, in one read transaction; on any store error, all miss."""
        now = self.clock()
        found: dict[str, Mapping[str, Any]] = {}
        try:
            # A page's entry decodes into hundreds of thousands of small containers without
            # cycles: the cyclic collector is paused while they are read.
            with collector_paused(), transaction(self.session_factory) as session:
                for label, query in queries.items():
                    payload = cache_get(
                        session, self.workspace_id, self.name, cache_key_for(query), now
                    )
                    if isinstance(payload, Mapping):
                        found[label] = payload
                    elif payload is not None:
                        log.warning("provider cache: %s entry is not an object", self.name)
        except Exception:
            # The cache only saves money: a broken read means asking the provider.
            log.warning("provider cache: read failed for %s; asking it", self.name, exc_info=True)
            return {}
        return found

    def _write(self, entries: Mapping[str, tuple[Query, Mapping[str, Any]]]) -> None:
        """Store complete answers in one write transaction; a store error is logged, not raised."""
        if not entries:
            return
        now = self.clock()
        try:
            with transaction(self.session_factory) as session:
                for query, payload in entries.values():
                    cache_put(
                        session,
                        self.workspace_id,
                        self.name,
                        cache_key_for(query),
                        query=query,
                        payload=dict(payload),
                        now=now,
                        ttl=self.ttl,
                    )
        except Exception:
            # The provider's answer is good and already paid for: losing the copy is no failure.
            log.warning("provider cache: write failed for %s", self.name, exc_info=True)


def _table_on_scale(document: Any) -> DomainTable:
    """A cached table whose ratings are all on the 0-100 scale; ``ValueError`` otherwise.

    An entry written when a provider answered on another scale (DataForSEO's
    default 0-1000) would pass a rank of 302 on as a domain rating: it is a
    miss, and the provider is asked again.
    """
    table = domain_table_from_json(document)
    low, high = RATING_SCALE
    ratings = table.rating_values
    # NaN (unrated) compares false both ways, so only real ratings off the scale count.
    if bool(np.any((ratings < low) | (ratings > high))):
        raise ValueError("cached ratings are not on the 0-100 scale")
    return table


def _tables(answer: Mapping[str, Sequence[ReferringDomain]]) -> dict[str, DomainTable]:
    return {url: _indexed(DomainTable.from_links(rows)) for url, rows in answer.items()}


def _indexed(table: DomainTable) -> DomainTable:
    """``table`` with the words of its linking pages read (``DomainTable.link_words``).

    Done here, once per answer or cache read, so the plan, the JSON and the prospects
    CSV of every analysis over the page query the words rather than tokenise them.
    """
    table.link_words()
    return table


def page_tables(provider: Provider, urls: Sequence[str]) -> dict[str, DomainTable]:
    """Referring-domain tables of the pages from any provider (the cache keeps them as tables)."""
    if isinstance(provider, CachingProvider):
        return provider.page_tables(urls)
    return _tables(provider.page_referring_domains(urls))


def site_table(provider: Provider, url: str) -> DomainTable:
    """The referring-domain table of the site of ``url`` from any provider."""
    if isinstance(provider, CachingProvider):
        return provider.site_table(url)
    return DomainTable.from_links(provider.site_referring_domains(url))
