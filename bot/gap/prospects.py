"""The link intersect: domains that link to several competitors but not to you.

These are the warmest outreach targets a link-gap analysis can give: they
already link to pages like yours. Domains that link elsewhere on your site are
marked ``warm`` — they know you already.

Competitor pages can each have tens of thousands of quality domains, so the
intersect works on the pages' domain ids: one sort counts every domain, and
names are read only for the prospects themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.gap.domain_ids import Ids
from bot.gap.domain_table import optional_floats
from bot.gap.models import Prospect
from bot.gap.quality import PageDomains

#: Sorts unrated domains after every rated one (ratings are 0-100).
_UNRATED = -1.0


@dataclass(frozen=True, eq=False)
class ProspectTable:
    """The prospects as columns too (in their order): what a plan of tens of thousands ranks
    by, read as arrays rather than from each ``Prospect``."""

    prospects: tuple[Prospect, ...]
    ids: Ids
    counts: npt.NDArray[np.int64]
    #: NaN where unrated or unknown.
    ratings: npt.NDArray[np.float64]
    warm: npt.NDArray[np.bool_]
    followed: npt.NDArray[np.bool_]
    traffic: npt.NDArray[np.float64]

    @classmethod
    def empty(cls) -> ProspectTable:
        nothing = np.zeros(0)
        return cls((), np.zeros(0, np.int32), np.zeros(0, np.int64), nothing, *_no_flags(), nothing)


def _no_flags() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    return np.zeros(0, np.bool_), np.zeros(0, np.bool_)


def find_prospects(
    competitors: Sequence[PageDomains],
    target: PageDomains,
    site: PageDomains,
    min_competitors: int,
) -> list[Prospect]:
    """``find_prospect_table``'s prospects."""
    return list(find_prospect_table(competitors, target, site, min_competitors).prospects)


def find_prospect_table(
    competitors: Sequence[PageDomains],
    target: PageDomains,
    site: PageDomains,
    min_competitors: int,
) -> ProspectTable:
    """Quality domains linking to ``min_competitors``+ competitor pages and not to the target.

    Ranked by competitors linked (desc), then domain rating (desc, unrated
    last), then name, so the order is stable. A domain's rating is the same
    on every page; where pages disagree, the first page's counts. Every page
    must use one encoding (the analysis moves its tables into one).
    """
    if not competitors:
        return ProspectTable.empty()
    encoding = target.encoding
    if any(page.encoding is not encoding for page in (*competitors, site)):
        raise ValueError("prospects need every page's domains in one encoding")
    ids = np.concatenate([page.quality_ids for page in competitors])
    ratings = np.concatenate([page.quality_ratings for page in competitors])
    domains, counts = np.unique(ids, return_counts=True)
    keep = (counts >= max(1, min_competitors)) & ~np.isin(domains, target.ids)
    domains, counts = domains[keep], counts[keep]
    if not domains.size:
        return ProspectTable.empty()
    found = _first_ratings(domains, ids, ratings)
    followed = _any_followed(domains, ids, competitors)
    traffic = _first_ratings(domains, ids, _link_columns(competitors, "traffic_values"))

    names = encoding.decode(domains)
    by_name = np.empty(len(names), np.int64)
    by_name[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    rated = ~np.isnan(found)
    order = np.lexsort((by_name, -np.where(rated, found, _UNRATED), -counts))
    ratings_out = optional_floats(found[order])
    warm = np.isin(domains, site.ids)[order]
    prospects = tuple(
        map(
            Prospect,
            map(names.__getitem__, order.tolist()),
            counts[order].tolist(),
            ratings_out,
            warm.tolist(),
            followed[order].tolist(),
            optional_floats(traffic[order]),
        )
    )
    return ProspectTable(
        prospects,
        domains[order],
        counts[order].astype(np.int64),
        found[order],
        warm,
        followed[order],
        traffic[order],
    )


def _link_columns(competitors: Sequence[PageDomains], column: str) -> npt.NDArray[np.float64]:
    """A per-domain column of each page's table for its quality domains, pages concatenated."""
    parts = [
        getattr(page.table, column)[page.quality_rows]
        if page.table is not None
        else np.full(page.quality_count, np.nan)
        for page in competitors
    ]
    return np.concatenate(parts)


def _any_followed(
    domains: Ids, ids: Ids, competitors: Sequence[PageDomains]
) -> npt.NDArray[np.bool_]:
    """Whether each domain has a followed link to at least one of the competitor pages."""
    followed = np.concatenate(
        [
            page.table.followed_mask[page.quality_rows]
            if page.table is not None
            else np.ones(page.quality_count, np.bool_)
            for page in competitors
        ]
    )
    if followed.all():
        return np.ones(domains.size, np.bool_)
    return np.isin(domains, ids[followed])


def _first_ratings(
    domains: Ids, ids: Ids, ratings: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each of ``domains``' rating on the first page that rates it; NaN when none does.

    ``ids`` are the pages' domains concatenated in page order, so the first
    index of a domain among the rated rows is on the first page rating it.
    """
    rated = ~np.isnan(ratings)
    rated_ids, first = np.unique(ids[rated], return_index=True)
    if not rated_ids.size:
        return np.full(domains.size, np.nan)
    at = np.minimum(np.searchsorted(rated_ids, domains), rated_ids.size - 1)
    return np.where(rated_ids[at] == domains, ratings[rated][first][at], np.nan)
