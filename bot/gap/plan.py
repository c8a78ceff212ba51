"""The link plan: the smallest ranked set of prospects that, if won, closes the entry gap.

A list of a thousand prospects is not a plan. The entry gap says how many new
quality referring domains the page needs; the plan takes that many prospects
(never more, fewer when fewer exist), best chance first, plus a reserve of
half as many again for the ones that will say no. Each entry carries a score
and a one-line reason a marketer can pitch from.

The score is a likelihood built only from what is known about a prospect,
each part between 0 and 1, weighted to sum to 1 (docs/method.md works one
through):

* ``0.35`` x the share of comparable pages it links to (a site that links to
  most pages like yours is the likeliest to link to yours);
* ``0.15`` if at least one of those links is followed;
* ``0.20`` x topical fit of its linking pages (0.5 when unknown: unknown is not off-topic);
* ``0.10`` if it already links elsewhere on your site (warm);
* ``0.10`` x its rating band: 1 for 30-69, 0.75 for 70 and up (strong sites say
  yes less often), 0.5 under 30 or unrated;
* ``0.10`` x its traffic band: 1 for 1,000+ visits a month, 0.5 for fewer or
  unknown, 0 for none.

A pure function: the plan of 56,000 prospects is array arithmetic, and the
topical fit (text work) is read only for prospects that could still make the
cut once it is added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from bot.collector import collector_paused
from bot.gap.domain_table import optional_floats
from bot.gap.link_fit import LinkFits
from bot.gap.linked_pages import ProspectLinks
from bot.gap.models import LinkDetail, LinkedPage, Prospect
from bot.gap.prospects import ProspectTable

SHARE_WEIGHT = 0.35
FOLLOWED_WEIGHT = 0.15
FIT_WEIGHT = 0.20
WARM_WEIGHT = 0.10
RATING_WEIGHT = 0.10
TRAFFIC_WEIGHT = 0.10
#: The fit counted when no linking page is known by URL, title or anchor.
UNKNOWN_FIT = 0.5
#: Traffic from which a site counts as visited (monthly organic visits).
VISITED_TRAFFIC = 1_000
#: The reserve is this share of the plan (rounded down): "half as many again".
RESERVE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One prospect of the plan: who, how likely, and why in one line."""

    domain: str
    score: float
    reason: str
    competitors_linked: int
    domain_rating: float | None
    topical_fit: float | None
    #: The linking page to pitch from (its best-placed followed link), when known.
    linking_url: str | None = None


@dataclass(frozen=True)
class LinkPlan:
    """Enough prospects to close the entry gap, a reserve, and when the target would be reached.

    The ranking is done when the plan is made; an entry's reason and pitch
    link are written when first read (a gap of thousands makes a plan of
    thousands, and a report shows a handful).
    """

    #: (score, prospect, topical fit) of every planned prospect, best first, reserve last.
    ranked: tuple[tuple[float, Prospect, float | None], ...]
    #: How many of ``ranked`` close the gap; the rest are the reserve.
    size: int
    #: Days to the entry target at the campaign's pace; ``None`` without a pace (or without a gap).
    eta_days: int | None
    #: The entry gap the plan was sized to (``None`` when there is no entry target).
    entry_gap: int | None
    #: How many prospects could have been planned.
    eligible: int
    comparable_pages: int = 0
    links: ProspectLinks | None = field(default=None, compare=False, repr=False)

    @cached_property
    def _entries(self) -> tuple[PlanEntry, ...]:
        return self.head(len(self.ranked))

    @property
    def prospects(self) -> tuple[PlanEntry, ...]:
        return self._entries[: self.size]

    @property
    def reserve(self) -> tuple[PlanEntry, ...]:
        return self._entries[self.size :]

    def head(self, count: int) -> tuple[PlanEntry, ...]:
        """The first ``count`` entries (reserve included past the plan's size), written now.

        Tens of thousands of entries are small containers without cycles: written with
        the cyclic collector paused, as the analysis is.
        """
        with collector_paused():
            return self._head(count)

    def _head(self, count: int) -> tuple[PlanEntry, ...]:
        chosen = self.ranked[:count]
        domains = [prospect.domain for _, prospect, _ in chosen]
        if self.links is None:
            pages_of: list[tuple[LinkedPage, ...]] = [() for _ in chosen]
            fits_of: list[list[float]] = [[] for _ in chosen]
        else:
            pages_of, fits_of = self.links.linked_pages_and_fits(domains)
        return tuple(
            _entry(prospect, score, fit, pages, fits, self.comparable_pages)
            for (score, prospect, fit), pages, fits in zip(chosen, pages_of, fits_of, strict=True)
        )


def plan_size(entry_gap: int | None, eligible: int) -> tuple[int, int]:
    """(entries, reserve): min(gap, eligible) entries and up to half as many again in reserve."""
    if not entry_gap or entry_gap <= 0:
        return 0, 0
    entries = min(entry_gap, eligible)
    return entries, min(math.floor(entries * RESERVE_SHARE), eligible - entries)


def rating_band(rating: float | None) -> float:
    if rating is None or rating < 30:
        return 0.5
    return 1.0 if rating < 70 else 0.75


def traffic_band(traffic: float | None) -> float:
    if traffic is None:
        return 0.5
    if traffic <= 0:
        return 0.0
    return 1.0 if traffic >= VISITED_TRAFFIC else 0.5


def likelihood(prospect: Prospect, comparable_pages: int, fit: float | None) -> float:
    """The score of one prospect, rounded to 3 places (what the plan shows and orders by)."""
    fits = np.array([np.nan if fit is None else fit], np.float64)
    return float(_scores(_base_scores(_table([prospect]), comparable_pages), fits)[0])


def build_plan(
    prospects: Sequence[Prospect],
    entry_gap: int | None,
    comparable_pages: int,
    links: ProspectLinks | None = None,
    eta_days: int | None = None,
) -> LinkPlan:
    """Rank the prospects by likelihood and keep as many as the entry gap needs, plus a reserve.

    Ties keep the prospects' own order (competitors linked, rating, name).
    """
    entries, reserve = plan_size(entry_gap, len(prospects))
    wanted = entries + reserve
    links_for_fit = None if links is not None and not links.has_link_text() else links
    table = links.table_of(prospects) if links is not None else None
    ranked: list[tuple[float, Prospect, float | None]] = []
    if wanted:
        base = _base_scores(table if table is not None else _table(prospects), comparable_pages)
        # Only a prospect whose base score plus the largest fit reaches the wanted-th best
        # base score can make the cut: the fit (text work) is read for those alone.
        threshold = -np.partition(-base, wanted - 1)[wanted - 1]
        candidates = np.flatnonzero(base + FIT_WEIGHT >= threshold - 1e-3)
        fits = _fits(prospects, candidates, table, links_for_fit)
        scores = _scores(base[candidates], fits)
        best = np.lexsort((candidates, -scores))[:wanted]
        # Tens of thousands of entries: built by C-level loops, not a Python one.
        ranked = list(
            zip(
                scores[best].tolist(),
                map(prospects.__getitem__, candidates[best].tolist()),
                optional_floats(fits[best]),
                strict=True,
            )
        )
    return LinkPlan(
        ranked=tuple(ranked),
        size=entries,
        eta_days=eta_days if entries else None,
        entry_gap=entry_gap,
        eligible=len(prospects),
        comparable_pages=comparable_pages,
        links=links,
    )


def _table(prospects: Sequence[Prospect]) -> ProspectTable:
    """Prospects given one by one, as columns."""
    size = len(prospects)

    def floats(values: Iterable[float | None]) -> npt.NDArray[np.float64]:
        return np.fromiter((np.nan if v is None else v for v in values), np.float64, size)

    return ProspectTable(
        tuple(prospects),
        np.zeros(0, np.int32),
        np.fromiter(map(itemgetter(1), prospects), np.int64, size),
        floats(map(itemgetter(2), prospects)),
        np.fromiter(map(itemgetter(3), prospects), np.bool_, size),
        np.fromiter(map(itemgetter(4), prospects), np.bool_, size),
        floats(map(itemgetter(5), prospects)),
    )


def _base_scores(table: ProspectTable, comparable_pages: int) -> npt.NDArray[np.float64]:
    """Every prospect's score without its fit, as one array."""
    counts, ratings, traffic = table.counts, table.ratings, table.traffic
    size = counts.size
    share = np.minimum(counts / comparable_pages, 1.0) if comparable_pages else np.zeros(size)
    with np.errstate(invalid="ignore"):
        rating = np.where(
            np.isnan(ratings) | (ratings < 30), 0.5, np.where(ratings < 70, 1.0, 0.75)
        )
        visits = np.where(
            np.isnan(traffic), 0.5, np.where(traffic <= 0, 0.0, np.where(traffic >= 1000, 1.0, 0.5))
        )
    result: npt.NDArray[np.float64] = (
        SHARE_WEIGHT * share
        + FOLLOWED_WEIGHT * table.followed
        + WARM_WEIGHT * table.warm
        + RATING_WEIGHT * rating
        + TRAFFIC_WEIGHT * visits
    )
    return result


def _scores(
    base: npt.NDArray[np.float64], fits: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Base scores plus the fit part (NaN: unknown), rounded to 3 places."""
    result: npt.NDArray[np.float64] = np.round(
        base + FIT_WEIGHT * np.where(np.isnan(fits), UNKNOWN_FIT, fits), 3
    )
    return result


def _fits(
    prospects: Sequence[Prospect],
    candidates: npt.NDArray[np.intp],
    table: ProspectTable | None,
    links: ProspectLinks | None,
) -> npt.NDArray[np.float64]:
    """The topical fit of the candidates, NaN where unknown."""
    if links is None:
        return np.full(candidates.size, np.nan)
    if table is not None:
        return links.topical_fits_of_ids(table.ids[candidates])
    found = links.topical_fits([prospects[i].domain for i in candidates.tolist()])
    return np.array([np.nan if fit is None else fit for fit in found], np.float64)


def _entry(
    prospect: Prospect,
    score: float,
    fit: float | None,
    pages: Sequence[LinkedPage],
    fits: Sequence[float],
    comparable_pages: int,
) -> PlanEntry:
    best = pitch_link(pages, fits)
    return PlanEntry(
        domain=prospect.domain,
        score=score,
        reason=reason(prospect, comparable_pages, best, fit),
        competitors_linked=prospect.competitors_linked,
        domain_rating=prospect.domain_rating,
        topical_fit=fit,
        linking_url=best.linking_url if best is not None else None,
    )


def page_fits(
    pages_of: Sequence[Sequence[LinkedPage]], reader: LinkFits | None
) -> list[list[float]]:
    """The topical fit of each linking page (0 when unknown), for ``pitch_link``.

    Read in one pass over all the pages: the JSON of a large plan writes every
    entry's pitch link, tens of thousands of them.
    """
    if reader is None:
        return [[0.0] * len(pages) for pages in pages_of]
    links = [
        LinkDetail(page.linking_url, page.anchor, page.title, None, None)
        for pages in pages_of
        for page in pages
    ]
    found = iter(np.nan_to_num(reader.fits(links)).tolist())
    return [[next(found) for _ in pages] for pages in pages_of]


def pitch_link(
    pages: Sequence[LinkedPage], fits: Sequence[float] | None = None
) -> LinkedPage | None:
    """The link to pitch from: a followed link with a known page, the best topical fit
    (``fits``, one per page, from ``page_fits``), then the best-placed competitor; else any."""
    known = [at for at, page in enumerate(pages) if page.linking_url]
    followed = [at for at in known if pages[at].followed]
    ranked = followed or known or list(range(len(pages)))
    if not ranked:
        return None
    best = min(ranked, key=lambda at: (-(fits[at] if fits else 0.0), pages[at].position))
    return pages[best]


def reason(
    prospect: Prospect, comparable_pages: int, best: LinkedPage | None, fit: float | None
) -> str:
    """One line: how many comparable pages it links to, from where, with what anchor, and more.

    ``links to 4 of 7 comparable pages from /best-trail-shoes-2026, anchor ‘trail
    shoes’, followed``
    """
    parts = [f"links to {prospect.competitors_linked} of {comparable_pages} comparable pages"]
    if best is not None and best.linking_url:
        parts[0] += f" from {_short_path(best.linking_url)}"
    if best is not None and best.anchor:
        parts.append(f"anchor ‘{' '.join(best.anchor.split())[:60]}’")
    parts.append("followed" if prospect.followed else "nofollow only")
    if prospect.warm:
        parts.append("already links to your site")
    if prospect.domain_rating is not None:
        parts.append(f"DR {prospect.domain_rating:g}")
    if prospect.traffic is not None:
        parts.append(f"{prospect.traffic:,.0f} visits/month")
    if fit is not None:
        parts.append(f"topical fit {fit:.2f}")
    return ", ".join(parts)


def _short_path(url: str) -> str:
    """The linking page as people say it: its path, or its host for a homepage."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:60]
    path = parts.path if parts.path not in ("", "/") else ""
    shown = path + (f"?{parts.query}" if parts.query else "")
    return (shown or parts.netloc or url)[:60]


#: The next step names this many of the plan's head: one line someone can act on today.
PITCH_FIRST_COUNT = 3


def pitch_first(domains: Sequence[str]) -> str | None:
    """``Pitch these 3 first: a.com, b.com, c.com`` — the plan's head as the next step."""
    head = list(domains[:PITCH_FIRST_COUNT])
    if not head:
        return None
    if len(head) == 1:
        return f"Pitch this one first: {head[0]}"
    return f"Pitch these {len(head)} first: {', '.join(head)}"
