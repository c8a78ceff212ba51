"""The link-gap analysis: SERP + referring domains + settings in, a ``GapReport`` out.

A pure function: no I/O, no clock (``today`` comes in with the input), so the
method can be checked on paper and runs in well under a second on the largest
pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.collector import collector_paused
from bot.gap.comparable import TargetSite, excluded_reason
from bot.gap.domain_ids import shared_encoding
from bot.gap.domain_table import DomainTable, table_of
from bot.gap.domains import split_domain
from bot.gap.flags import (
    audit_flags,
    comparability_flags,
    other_own_pages_flag,
    site_strength_flag,
    timeline_flag,
)
from bot.gap.internal_support import internal_support, internal_support_flags
from bot.gap.linked_pages import CompetitorPage, ProspectLinks
from bot.gap.models import (
    GapInput,
    GapReport,
    OwnPage,
    ReferringDomain,
    ResultRow,
)
from bot.gap.plan import build_plan
from bot.gap.prospects import find_prospect_table
from bot.gap.quality import PageDomains, junk_filter_for
from bot.gap.settings import GapSettings
from bot.gap.targets import RankedPage, compute_targets, gap_to
from bot.gap.urls import host_of, normalise_url
from bot.gap.velocity import eta_days, link_velocity


def _tables_by_page(
    page_links: Mapping[str, Sequence[ReferringDomain] | DomainTable],
) -> dict[str, DomainTable]:
    """Key the providers' answers by normalised URL, merging variants of the same page."""
    grouped: dict[str, list[DomainTable]] = {}
    for url, links in page_links.items():
        grouped.setdefault(normalise_url(url), []).append(table_of(links))
    return {
        page: tables[0] if len(tables) == 1 else DomainTable.merged(tables)
        for page, tables in grouped.items()
    }


def analyse(data: GapInput, settings: GapSettings) -> GapReport:
    """Run the method of DESIGN section 2 on already-fetched data."""
    with collector_paused():
        return _analyse(data, settings)


def _analyse(data: GapInput, settings: GapSettings) -> GapReport:
    target = TargetSite.of(data.target_url)
    target_key = normalise_url(data.target_url)
    # One encoding for every table, so domain ids agree across pages.
    encoding = shared_encoding()
    tables = {
        page: table.in_encoding(encoding)
        for page, table in _tables_by_page(data.page_links).items()
    }
    no_links = DomainTable.empty().in_encoding(encoding)
    junk_filter = junk_filter_for(settings)
    page_cache: dict[str, PageDomains] = {}

    def domains_of(url: str) -> PageDomains:
        key = normalise_url(url)
        found = page_cache.get(key)
        if found is None:
            own = split_domain(host_of(url))[0]
            found = page_cache[key] = junk_filter.page_domains(
                tables.get(key, no_links), own_domain=own
            )
        return found

    serp = sorted(data.serp, key=lambda result: result.position)
    own_position = next(
        (result.position for result in serp if normalise_url(result.url) == target_key), None
    )
    rows: list[ResultRow] = []
    for result in serp:
        reason = excluded_reason(result.url, target, settings)
        page = domains_of(result.url)
        rows.append(
            ResultRow(
                position=result.position,
                url=result.url,
                domain=split_domain(host_of(result.url))[0],
                title=result.title,
                referring_domains=page.referring_count,
                quality_referring_domains=page.quality_count,
                domain_rating=result.domain_rating,
                comparable=reason is None,
                excluded_reason=reason,
                junk=dict(page.junk),
                followed_referring_domains=page.followed_count,
            )
        )

    own_page = domains_of(data.target_url)
    own_quality = own_page.quality_count
    comparable_rows = [row for row in rows if row.comparable]
    targets = compute_targets(
        [RankedPage(row.position, row.quality_referring_domains) for row in comparable_rows],
        own_position,
        settings.page_one_size,
    )
    entry_gap = gap_to(targets.entry_target, own_quality)
    stretch_gap = gap_to(targets.stretch_target, own_quality)

    competitor_pages = [domains_of(row.url) for row in comparable_rows]
    site_domains = junk_filter.page_domains(
        table_of(data.site_links).in_encoding(encoding), own_domain=target.domain
    )
    prospect_table = find_prospect_table(
        competitor_pages, own_page, site_domains, settings.prospect_min_competitors
    )
    prospects = prospect_table.prospects

    velocity = (
        link_velocity(data.history, data.today, own_quality, settings.velocity_window_days)
        if data.today is not None
        else None
    )
    eta = eta_days(entry_gap, velocity)
    links = ProspectLinks(
        [
            CompetitorPage(row.position, row.url, page)
            for row, page in zip(comparable_rows, competitor_pages, strict=True)
        ],
        data.keyword,
        tuple(data.topic_terms),
        prospect_table=prospect_table,
    )
    plan = build_plan(prospects, entry_gap, len(comparable_rows), links, eta)
    support = (
        internal_support(data.site_pages, data.target_url, data.keyword, data.topic_terms)
        if data.site_pages is not None
        else None
    )
    flags = [
        *comparability_flags(
            rows,
            own_position,
            targets.entry_target,
            targets.stretch_target,
            settings,
            targets.entry_basis,
            entry_gap,
        ),
        *other_own_pages_flag(rows, own_position),
        *site_strength_flag(
            data.own_domain_rating,
            [row.domain_rating for row in comparable_rows if row.domain_rating is not None],
            settings,
        ),
        *audit_flags(data.audit, data.comparable_word_count),
        *timeline_flag(entry_gap, velocity, eta),
        *internal_support_flags(support, data.crawl_error),
    ]
    return GapReport(
        keyword=data.keyword,
        target_url=data.target_url,
        own=OwnPage(
            url=data.target_url,
            position=own_position,
            referring_domains=own_page.referring_count,
            quality_referring_domains=own_quality,
            domain_rating=data.own_domain_rating,
            quality_domains=tuple(sorted(own_page.quality_domains)),
            referring_domain_names=tuple(sorted(own_page.all_domains)),
            followed_referring_domains=own_page.followed_count,
        ),
        results=tuple(rows),
        entry_target=targets.entry_target,
        stretch_target=targets.stretch_target,
        entry_gap=entry_gap,
        stretch_gap=stretch_gap,
        prospects=tuple(prospects),
        flags=tuple(flags),
        entry_basis=targets.entry_basis,
        stretch_basis=targets.stretch_basis,
        velocity_per_30_days=velocity.per_30_days if velocity else None,
        eta_days=eta,
        prospect_links=links,
        plan=plan,
        internal_support=support,
    )
