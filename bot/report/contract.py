"""The JSON contract of ``linkgap gap --json`` (DESIGN section 9).

Outside checks rely on these exact keys; change them only with the docs and
the contract test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.collector import collector_paused
from bot.gap.internal_support import InternalSupport
from bot.gap.models import GapReport, LinkedPage
from bot.gap.plan import LinkPlan, PlanEntry
from bot.report.outcome import GapOutcome


def gap_contract(outcome: GapOutcome) -> dict[str, Any]:
    """The report as the JSON contract (``docs/cli.md``).

    A large analysis writes tens of thousands of prospects and plan entries, all
    small containers without cycles: written with the cyclic collector paused.
    """
    with collector_paused():
        return _contract(outcome)


def _contract(outcome: GapOutcome) -> dict[str, Any]:
    report = outcome.report
    return {
        "keyword": report.keyword,
        "target_url": report.target_url,
        "provider": outcome.provider,
        "sample_data": outcome.sample_data,
        "own": {
            "url": report.own.url,
            "position": report.own.position,
            "referring_domains": report.own.referring_domains,
            "quality_referring_domains": report.own.quality_referring_domains,
            "followed_referring_domains": report.own.followed_referring_domains,
            "domain_rating": report.own.domain_rating,
        },
        "results": [
            {
                "position": row.position,
                "url": row.url,
                "domain": row.domain,
                "referring_domains": row.referring_domains,
                "quality_referring_domains": row.quality_referring_domains,
                "followed_referring_domains": row.followed_referring_domains,
                "domain_rating": row.domain_rating,
                "comparable": row.comparable,
                "excluded_reason": row.excluded_reason,
            }
            for row in report.results
        ],
        "entry_target": report.entry_target,
        "stretch_target": report.stretch_target,
        "entry_gap": report.entry_gap,
        "stretch_gap": report.stretch_gap,
        "prospects": prospects_contract(report),
        "flags": [{"code": flag.code, "message": flag.message} for flag in report.flags],
        "plan": plan_contract(report.plan),
        "provider_requests": outcome.provider_requests,
        "estimated_cost_usd": outcome.estimated_cost_usd,
        "internal_support": _internal_support(report.internal_support),
    }


def _internal_support(support: InternalSupport | None) -> dict[str, Any] | None:
    """Links into the page from the own site; ``None`` when the site was not crawled."""
    if support is None:
        return None
    return {
        "linking_pages": len(support.linking_pages),
        "opportunities": [
            {"url": opportunity.url, "sentence": opportunity.sentence}
            for opportunity in support.opportunities
        ],
    }


def prospects_contract(report: GapReport) -> list[dict[str, Any]]:
    """Every prospect with the competitor pages it links to and its topical fit (0-1 or null)."""
    domains = [prospect.domain for prospect in report.prospects]
    links = report.prospect_links
    pages = links.linked_pages_of(domains) if links is not None else [() for _ in domains]
    fits = links.topical_fits(domains) if links is not None else [None for _ in domains]
    return [
        {
            "domain": prospect.domain,
            "competitors_linked": prospect.competitors_linked,
            "domain_rating": prospect.domain_rating,
            "warm": prospect.warm,
            "linked_pages": linked_pages_contract(linked),
            "topical_fit": fit,
        }
        for prospect, linked, fit in zip(report.prospects, pages, fits, strict=True)
    ]


def linked_pages_contract(pages: Sequence[LinkedPage]) -> list[dict[str, Any]]:
    return [
        {
            "position": page.position,
            "competitor_url": page.competitor_url,
            "linking_url": page.linking_url,
            "anchor": page.anchor,
            "followed": page.followed,
            "first_seen": page.first_seen.isoformat() if page.first_seen else None,
            "title": page.title,
        }
        for page in pages
    ]


def plan_contract(plan: LinkPlan | None) -> dict[str, Any]:
    """``{"prospects": [...], "reserve": [...], "eta_days": int|null}``; empty without a gap."""
    if plan is None:
        return {"prospects": [], "reserve": [], "eta_days": None}
    return {
        "prospects": [_plan_entry(entry) for entry in plan.prospects],
        "reserve": [_plan_entry(entry) for entry in plan.reserve],
        "eta_days": plan.eta_days,
    }


def _plan_entry(entry: PlanEntry) -> dict[str, Any]:
    return {"domain": entry.domain, "score": entry.score, "reason": entry.reason}
