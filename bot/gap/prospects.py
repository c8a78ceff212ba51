"""The link intersect: domains that link to several competitors but not to you.

These are the warmest outreach targets a link-gap analysis can give: they
already link to pages like yours. Domains that link elsewhere on your site are
marked ``warm`` — they know you already.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

from bot.gap.models import Prospect


def find_prospects(
    competitor_domains: Iterable[AbstractSet[str]],
    target_domains: AbstractSet[str],
    site_domains: AbstractSet[str],
    ratings_by_page: Sequence[Mapping[str, float]],
    min_competitors: int,
) -> list[Prospect]:
    """Quality domains linking to ``min_competitors``+ competitor pages and not to the target.

    Ranked by competitors linked (desc), then domain rating (desc, unrated
    last), then name, so the order is stable. A domain's rating is the same on
    every page, so it is read from the first page that has one — and only for
    the prospects, with set intersections in C rather than a merge of every
    page's ratings.
    """
    counts: Counter[str] = Counter()
    for domains in competitor_domains:
        counts.update(domains)
    frequent = {domain for domain, count in counts.items() if count >= min_competitors}
    frequent.difference_update(target_domains)
    ratings = _ratings_of(frequent, ratings_by_page)
    get_rating = ratings.get
    # Sort plain tuples (compared in C), then build the prospects in order.
    ranked = sorted(
        (-counts[domain], -(rating if rating is not None else -1.0), domain, rating)
        for domain in frequent
        for rating in (get_rating(domain),)
    )
    return [
        Prospect(domain, -negative, rating, domain in site_domains)
        for negative, _, domain, rating in ranked
    ]


def _ratings_of(
    domains: AbstractSet[str], ratings_by_page: Sequence[Mapping[str, float]]
) -> dict[str, float]:
    wanted = set(domains)
    found: dict[str, float] = {}
    for ratings in ratings_by_page:
        for domain in wanted.intersection(ratings.keys()):
            found[domain] = ratings[domain]
        wanted.difference_update(ratings.keys())
        if not wanted:
            break
    return found
