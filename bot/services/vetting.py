"""Vetting a proposed placement: gather the evidence at the edge, judge it with the pure rules.

The prospect page comes through the safe fetcher (a page that cannot be
fetched is evidence too: topic unknown); the prospect's rating and whether it
already links to the target come from the workspace's provider (cached like
the analysis). ``bot.vetting`` then decides, without I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import FetchRefused
from bot.gap.domain_table import DomainTable
from bot.gap.domains import registrable_domain
from bot.gap.urls import host_of, validate_url
from bot.providers.base import Provider
from bot.providers.cache import page_tables
from bot.store.models import Campaign
from bot.store.repositories import campaign_placements
from bot.vetting import (
    CampaignContext,
    PageEvidence,
    Placement,
    PriorPlacement,
    ProspectSignals,
    VettingResult,
    VettingSettings,
    anchor_class_named,
    merge_vetting_settings,
    validate_placement,
    vet,
)
from bot.web.fetcher import PageFetcher
from bot.web.html import parse_html


@dataclass(frozen=True)
class VettingCase:
    """Everything about the campaign that vetting needs, read once."""

    context: CampaignContext
    settings: VettingSettings


def gather_page(fetcher: PageFetcher | None, prospect_url: str) -> PageEvidence:
    if fetcher is None:
        return PageEvidence.not_fetched("the page was not fetched (--no-fetch)")
    try:
        page = fetcher.fetch(prospect_url)
        return PageEvidence.from_page(parse_html(page.text, page.url))
    except FetchRefused as error:
        return PageEvidence.not_fetched(error.message)


def gather_signals(
    provider: Provider | None, prospect_url: str, target_url: str
) -> ProspectSignals:
    """The prospect site's rating, organic traffic, spam signals and whether it links already.

    Three provider calls (cached per site or page behind ``CachingProvider``):
    the rating, the traffic estimate (``None`` when unknown, so only a known
    zero warns) and the target page's referring domains.
    """
    if provider is None:
        return ProspectSignals()
    domain = registrable_domain(host_of(prospect_url))
    rating = provider.domain_rating(prospect_url)
    traffic = provider.organic_traffic(prospect_url)
    # One row per registrable domain, the signals of its links to the page merged.
    table = page_tables(provider, [target_url]).get(target_url, DomainTable.empty())
    if domain not in table.domains:
        return ProspectSignals(domain_rating=rating, organic_traffic=traffic)
    row = table.domains.index(domain)
    return ProspectSignals(
        domain_rating=rating,
        organic_traffic=traffic,
        is_spam=table.spam_flags[row],
        spam_score=table.spam_scores[row],
        links_to_target=True,
    )


def adhoc_case(
    keyword: str, target_url: str, brand_terms: Sequence[str] = (), topic_terms: Sequence[str] = ()
) -> VettingCase:
    """A stand-in campaign for ``linkgap vet --keyword … --brand …`` without ``--campaign``."""
    target = validate_url(target_url, what="target URL")
    return VettingCase(
        CampaignContext(
            keyword=keyword,
            site=registrable_domain(host_of(target)),
            target_url=target,
            brand_terms=tuple(brand_terms),
            topic_terms=tuple(topic_terms),
        ),
        VettingSettings(),
    )


def campaign_case(session: Session, campaign: Campaign) -> VettingCase:
    prior = campaign_placements(session, campaign.workspace_id, campaign.id, ["approved", "live"])
    overrides: dict[str, Any] = dict((campaign.settings or {}).get("vetting") or {})
    return VettingCase(
        CampaignContext(
            keyword=campaign.keyword,
            site=registrable_domain(host_of(campaign.target_url)),
            target_url=campaign.target_url,
            brand_terms=tuple(campaign.brand_terms or ()),
            topic_terms=tuple(campaign.topic_terms or ()),
            placements=tuple(
                PriorPlacement(anchor_class_named(p.anchor_class), p.target_url, p.prospect_domain)
                for p in prior
            ),
        ),
        merge_vetting_settings(VettingSettings(), overrides),
    )


def run_vetting(
    placement: Placement,
    case: VettingCase,
    *,
    provider: Provider | None,
    fetcher: PageFetcher | None,
) -> VettingResult:
    placement = validate_placement(placement)  # bad input is refused before any fetch
    page = gather_page(fetcher, placement.prospect_url)
    signals = gather_signals(provider, placement.prospect_url, placement.target_url)
    return vet(placement, case.context, signals, page, case.settings)


def vetting_contract(result: VettingResult) -> dict[str, Any]:
    """The JSON of ``linkgap vet --json`` (DESIGN section 9)."""
    return {
        "verdict": result.verdict,
        "anchor_class": result.anchor_class,
        "checks": [
            {"name": check.name, "verdict": check.verdict, "reason": check.reason}
            for check in result.checks
        ],
    }
