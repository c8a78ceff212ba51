"""What a prospect links to and from: the comparable pages, its own linking pages, their topic.

A domain name is nothing to pitch from. For each prospect this answers which
comparable pages it links to (position and URL), from which page of its own
site, with what anchor, whether the link is followed and since when, and how
well those linking pages fit the keyword and the campaign's topic terms.

An analysis of the largest pages has tens of thousands of prospects while a
report shows ten and a plan a few dozen, so nothing is built up front: the
pages' tables (already in memory) are indexed once, on the first question,
and each prospect's links are read when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.gap.domain_ids import Ids
from bot.gap.link_fit import LinkFits
from bot.gap.link_words import path_words
from bot.gap.models import LinkDetail, LinkedPage, Prospect
from bot.gap.prospects import ProspectTable
from bot.gap.quality import PageDomains
from bot.vetting.models import PageEvidence
from bot.vetting.relevance import relevance


@dataclass(frozen=True, slots=True)
class CompetitorPage:
    """A comparable result as the prospects' links are read from it."""

    position: int
    url: str
    domains: PageDomains


#: A comparable page, which of the domains asked about link to it (their indexes), and the
#: rows of its table they link from.
_Hit = tuple[CompetitorPage, npt.NDArray[np.intp], Ids]


@dataclass(frozen=True, slots=True)
class _Index:
    """A page's table row per domain id (-1: no quality link from it), one slot per id.

    The ids are dense (one shared encoding), so a lookup is one array read; a plan
    looks up tens of thousands of prospects in every comparable page.
    """

    rows: Ids

    @classmethod
    def of(cls, page: PageDomains) -> _Index:
        size = int(page.quality_ids.max()) + 1 if page.quality_ids.size else 0
        rows = np.full(size, -1, np.int32)
        rows[page.quality_ids] = page.quality_rows
        return cls(rows)

    def rows_of(self, ids: Ids) -> Ids:
        """The table row of each id, -1 where the page has no quality link from it."""
        size = self.rows.size
        if not size:
            return np.full(ids.size, -1, np.int32)
        inside = (ids >= 0) & (ids < size)
        return np.where(inside, self.rows[np.where(inside, ids, 0)], -1)


@dataclass
class ProspectLinks:
    """The links behind the prospects of one analysis, answered on demand."""

    pages: Sequence[CompetitorPage]
    keyword: str
    topic_terms: tuple[str, ...] = ()
    #: The analysis's prospects as columns, when the analysis gave them.
    prospect_table: ProspectTable | None = field(default=None, repr=False)
    _indexes: list[_Index] | None = field(default=None, repr=False)

    def has_link_text(self) -> bool:
        """Whether any comparable page's links are known by more than their domain."""
        return any(
            page.domains.table is not None and page.domains.table.details for page in self.pages
        )

    def linked_pages(self, domain: str) -> tuple[LinkedPage, ...]:
        """The comparable pages ``domain`` links to, best position first."""
        return self.linked_pages_of([domain])[0]

    def table_of(self, prospects: Sequence[Prospect]) -> ProspectTable | None:
        """The columns of ``prospects`` when they are the analysis's own (the same tuple)."""
        table = self.prospect_table
        return table if table is not None and table.prospects is prospects else None

    def _hits(self, domains: Sequence[str]) -> Iterator[_Hit]:
        """Per comparable page (best position first): which of ``domains`` link to it
        (their indexes in ``domains``) and from which rows of its table."""
        if not self.pages or not domains:
            return
        yield from self._hits_of(self.pages[0].domains.encoding.encode(list(domains)))

    def _hits_of(self, ids: Ids) -> Iterator[_Hit]:
        """``_hits`` of domains by their ids."""
        if not self.pages or not ids.size:
            return
        if self._indexes is None:
            self._indexes = [_Index.of(page.domains) for page in self.pages]
        for page, index in sorted(
            zip(self.pages, self._indexes, strict=True), key=lambda pair: pair[0].position
        ):
            rows = index.rows_of(ids)
            linked = rows >= 0
            yield page, np.flatnonzero(linked), rows[linked]

    def linked_pages_of(self, domains: Sequence[str]) -> list[tuple[LinkedPage, ...]]:
        """``linked_pages`` of many domains at once: one array lookup per page, not per domain."""
        return _pages_of(list(self._hits(domains)), len(domains))

    def linked_pages_and_fits(
        self, domains: Sequence[str]
    ) -> tuple[list[tuple[LinkedPage, ...]], list[list[float]]]:
        """``linked_pages_of(domains)`` and the topical fit of each of those pages (0 when
        unknown), from one lookup: the stored plan picks every entry's pitch page by them."""
        hits = list(self._hits(domains))
        return _pages_of(hits, len(domains)), self._page_fits(hits, len(domains))

    def _page_fits(self, hits: list[_Hit], count: int) -> list[list[float]]:
        found: list[list[float]] = [[] for _ in range(count)]
        words_of = [
            page.domains.table.link_words() if page.domains.table is not None else None
            for page, _, _ in hits
        ]
        known = [
            (words, rows)
            for words, (_, _, rows) in zip(words_of, hits, strict=True)
            if words is not None
        ]
        fits = iter(np.nan_to_num(self.fits().of_rows(known)).tolist())
        for words, (_, positions, _) in zip(words_of, hits, strict=True):
            for at in positions.tolist():
                found[at].append(next(fits) if words is not None else 0.0)
        return found

    def topical_fit(self, domain: str) -> float | None:
        """How well the prospect's linking pages fit the topic, 0-1; ``None`` when none is known."""
        return fit_of_pages(self.linked_pages(domain), self.keyword, self.topic_terms)

    def fits(self) -> LinkFits:
        """A reader of linking pages' fits to this analysis's keyword and topic terms."""
        return LinkFits(self.keyword, self.topic_terms)

    def topical_fits(self, domains: Sequence[str]) -> list[float | None]:
        """``topical_fit`` of many domains at once (``topical_fits_of_ids``)."""
        if not self.pages or not domains:
            return [None] * len(domains)
        fits = self.topical_fits_of_ids(self.pages[0].domains.encoding.encode(list(domains)))
        return [None if fit != fit else fit for fit in fits.tolist()]

    def topical_fits_of_ids(self, ids: Ids) -> npt.NDArray[np.float64]:
        """``topical_fit`` of many domains at once, read straight from the tables' link details.

        The same best-of-the-linking-pages as ``fit_of_pages``, for the links of
        all of them together (``LinkFits``): a plan scores the fit of tens of
        thousands of prospects and shows a few.
        """
        owners: list[npt.NDArray[np.intp]] = []
        parts = []
        for page, positions, rows in self._hits_of(ids):
            words = page.domains.table.link_words() if page.domains.table is not None else None
            if words is None:
                continue
            owners.append(positions)
            parts.append((words, rows))
        fits = self.fits().of_rows(parts)
        best = np.full(ids.size, np.nan)
        if owners:
            np.fmax.at(best, np.concatenate(owners), fits)
        return best


_NONE = LinkDetail(None, None, None, None, None)


def _pages_of(hits: list[_Hit], count: int) -> list[tuple[LinkedPage, ...]]:
    """Per domain (``count`` of them), the comparable pages the ``hits`` say it links to."""
    found: list[list[LinkedPage]] = [[] for _ in range(count)]
    for page, positions, rows in hits:
        table = page.domains.table
        details = table.link_details() if table is not None else ()
        for at, row in zip(positions.tolist(), rows.tolist(), strict=True):
            detail = details[row] if table is not None else _NONE
            followed = bool(table.followed_mask[row]) if table is not None else True
            found[at].append(
                LinkedPage(
                    position=page.position,
                    competitor_url=page.url,
                    linking_url=detail.linking_url,
                    anchor=detail.anchor,
                    followed=followed,
                    first_seen=detail.first_seen,
                    title=detail.title,
                )
            )
    return [tuple(pages) for pages in found]


def fit_of_pages(
    pages: Sequence[LinkedPage], keyword: str, topic_terms: tuple[str, ...] = ()
) -> float | None:
    """The best fit among the linking pages (one on-topic page makes a prospect on-topic).

    ``None`` when no linking page is known by its URL, title or anchor: an
    unknown fit is not an off-topic one.
    """
    fits = [
        fit
        for page in pages
        if (
            fit := linking_page_fit(page.linking_url, page.title, page.anchor, keyword, topic_terms)
        )
        is not None
    ]
    return max(fits) if fits else None


def linking_page_fit(
    linking_url: str | None,
    title: str | None,
    anchor: str | None,
    keyword: str,
    topic_terms: tuple[str, ...] = (),
) -> float | None:
    """Vetting's lexical relevance of what is known of a linking page, rounded to 2 places.

    The title reads as the page's title, the anchor as a heading (it is the
    words the page chose for the link) and the words of the URL's path as the
    body. ``None`` when none of the three is known.
    """
    body = path_words(linking_url) if linking_url else ""
    if not (title or anchor or body):
        return None
    return _fit(title or "", anchor or "", body, keyword, topic_terms)


@lru_cache(maxsize=65_536)
def _fit(title: str, anchor: str, body: str, keyword: str, topic_terms: tuple[str, ...]) -> float:
    evidence = PageEvidence(
        fetched=True, title=title, headings=(anchor,) if anchor else (), main_text=body
    )
    return round(relevance(evidence, keyword, topic_terms), 2)
