"""The link intersect: domains that link to several competitors but not to you.

These are the warmest outreach targets a link-gap analysis can give: they
already link to pages like yours. Domains that link elsewhere on your site are
marked ``warm`` — they know you already.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from bot.gap.models import Prospect


def find_prospects(
    competitor_domains: Iterable[AbstractSet[str]],
    target_domains: AbstractSet[str],
    site_domains: AbstractSet[str],
    ratings: Mapping[str, float],
    min_competitors: int,
) -> list[Prospect]:
    """Quality domains linking to ``min_competitors``+ competitor pages and not to the target.

    Ranked by competitors linked (desc), then domain rating (desc, unrated
    last), then name, so the order is stable.
    """
    counts: Counter[str] = Counter()
    for domains in competitor_domains:
        counts.update(domains)
    get_rating = ratings.get
    # Sort plain tuples (compared in C), then build the objects in order.
    ranked = sorted(
        (-count, -(rating if rating is not None else -1.0), domain, rating)
        for domain, count in counts.items()
        if count >= min_competitors and domain not in target_domains
        for rating in (get_rating(domain),)
    )
    return [
        Prospect(
            domain=domain,
            competitors_linked=-negative,
            domain_rating=rating,
            warm=domain in site_domains,
        )
        for negative, _, domain, rating in ranked
    ]
