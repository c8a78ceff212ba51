"""Run one link-gap analysis: ask the provider, then hand plain data to the pure engine.

This is the only place that knows the order of provider calls for an
analysis, so every surface (CLI, Slack workers, the clock) gets the same
request budget and the same validation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.errors import BadInput
from bot.gap.analysis import analyse
from bot.gap.inputs import validate_keyword
from bot.gap.models import GapInput, PageAudit, RdSnapshot
from bot.gap.settings import GapSettings
from bot.gap.urls import normalise_url, validate_url
from bot.providers.base import Provider, SerpQuery
from bot.providers.cache import page_tables, site_table
from bot.report.outcome import GapOutcome
from bot.services.own_site import SiteReading
from bot.services.page_audit import audit_with_competitors
from bot.web.fetcher import PageFetcher

_CODE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class GapRequest:
    """A validated request for one keyword and one page."""

    keyword: str
    target_url: str
    country: str = "us"
    language: str = "en"

    @classmethod
    def parse(
        cls, keyword: str, target_url: str, country: str = "us", language: str = "en"
    ) -> GapRequest:
        """Validate raw user input; raises ``BadInput`` with the rule that was broken."""
        country_code = country.strip().lower()
        language_code = language.strip().lower()
        if not _CODE.match(country_code):
            raise BadInput(
                f"Unknown country {country!r}: use a two-letter code such as us, gb or de."
            )
        if not _CODE.match(language_code):
            raise BadInput(
                f"Unknown language {language!r}: use a two-letter code such as en or de."
            )
        return cls(
            keyword=validate_keyword(keyword),
            target_url=validate_url(target_url, what="page URL"),
            country=country_code,
            language=language_code,
        )


def collect_input(
    provider: Provider,
    request: GapRequest,
    *,
    history: Sequence[RdSnapshot] = (),
    today: date | None = None,
    fetcher: PageFetcher | None = None,
    settings: GapSettings | None = None,
    site: SiteReading | None = None,
    topic_terms: Sequence[str] = (),
) -> GapInput:
    """Fetch everything the engine needs: 1 SERP call, then the referring domains of its pages.

    With a ``fetcher`` the own page is audited and the comparable pages' word
    counts measured (never for sample data: the demo stays offline). ``site`` is the
    own site's crawl (internal support), read by the caller, which keeps crawls.
    """
    serp = provider.serp(
        SerpQuery(request.keyword, request.country, request.language, target_url=request.target_url)
    )
    urls: dict[str, str] = {}
    for url in [*(result.url for result in serp), request.target_url]:
        urls.setdefault(normalise_url(url), url)
    page_links = page_tables(provider, list(urls.values()))
    audit: PageAudit | None = None
    comparable_word_count: int | None = None
    if fetcher is not None and not provider.sample_data:
        audited = audit_with_competitors(
            fetcher, request.keyword, request.target_url, serp, settings or GapSettings()
        )
        audit, comparable_word_count = audited.audit, audited.comparable_word_count
    return GapInput(
        keyword=request.keyword,
        target_url=request.target_url,
        serp=serp,
        page_links=page_links,
        site_links=site_table(provider, request.target_url),
        own_domain_rating=provider.domain_rating(request.target_url),
        history=history,
        today=today,
        audit=audit,
        comparable_word_count=comparable_word_count,
        site_pages=site.pages if site is not None else None,
        crawl_error=site.error if site is not None else None,
        topic_terms=tuple(topic_terms),
    )


def run_gap(
    provider: Provider,
    request: GapRequest,
    settings: GapSettings,
    *,
    history: Sequence[RdSnapshot] = (),
    today: date | None = None,
    fetcher: PageFetcher | None = None,
    site: SiteReading | None = None,
    topic_terms: Sequence[str] = (),
) -> GapOutcome:
    """Collect the data and analyse it; provider errors propagate untouched."""
    data = collect_input(
        provider,
        request,
        history=history,
        today=today,
        fetcher=fetcher,
        settings=settings,
        site=site,
        topic_terms=topic_terms,
    )
    return GapOutcome(
        report=analyse(data, settings),
        provider=provider.name,
        sample_data=provider.sample_data,
        provider_requests=provider.usage.requests,
        estimated_cost_usd=round(provider.usage.estimated_cost_usd, 4),
        country=request.country,
        language=request.language,
        data_date=today or datetime.now(UTC).date(),
    )
