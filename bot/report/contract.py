"""The JSON contract of ``linkgap gap --json`` (DESIGN section 9).

Outside checks rely on these exact keys; change them only with the docs and
the contract test.
"""

from __future__ import annotations

from typing import Any

from bot.services.gap import GapOutcome


def gap_contract(outcome: GapOutcome) -> dict[str, Any]:
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
            "domain_rating": report.own.domain_rating,
        },
        "results": [
            {
                "position": row.position,
                "url": row.url,
                "domain": row.domain,
                "referring_domains": row.referring_domains,
                "quality_referring_domains": row.quality_referring_domains,
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
        "prospects": [
            {
                "domain": prospect.domain,
                "competitors_linked": prospect.competitors_linked,
                "domain_rating": prospect.domain_rating,
                "warm": prospect.warm,
            }
            for prospect in report.prospects
        ],
        "flags": [{"code": flag.code, "message": flag.message} for flag in report.flags],
        "provider_requests": outcome.provider_requests,
        "estimated_cost_usd": outcome.estimated_cost_usd,
    }
