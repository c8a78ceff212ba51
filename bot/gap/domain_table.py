"""A page's referring domains as the analysis reads them: one row per registrable domain.

Providers answer with links from hosts (``blog.example.co.uk``, often several
per site, signals on each). What the analysis needs from that answer and
that does not depend on any workspace's settings is worked out once, here:
the registrable domain of every host (Public Suffix List), each domain's best
rating, whether any of its links was flagged as spam and its highest spam
score, and the domains dictionary-encoded as integers (``DomainIds``). The
verdicts that do depend on settings (minimum rating, spam-score limit, junk
names) are then a few array operations per page.

That split is what makes re-analysis cheap: the provider cache stores tables,
so a re-run, a settings change or the weekly refresh of a page with 50,000
referring domains never walks its rows again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, ne

import numpy as np
import numpy.typing as npt

from bot.collector import collector_paused
from bot.gap.domain_ids import DomainIds, Ids, shared_encoding
from bot.gap.link_words import LinkWords
from bot.gap.records import LinkDetail, ReferringDomain

_HOST = attrgetter("domain")
_RATING = attrgetter("domain_rating")
_IS_SPAM = attrgetter("is_spam")
_SPAM_SCORE = attrgetter("spam_score")
_FOLLOWED = attrgetter("followed")
_DETAIL = attrgetter("linking_url", "anchor", "linking_title", "first_seen", "traffic")
_NO_DETAIL = LinkDetail(None, None, None, None, None)
#: Sorts a link never dated after every dated one.
_LAST_DAY = date.max.toordinal() + 1


@dataclass(frozen=True, slots=True)
class DomainTable:
    """Distinct registrable domains of one page, column-wise, with their merged signals.

    Build it with ``from_links`` (a provider's rows) or ``from_columns`` (the
    cache). The columns are plain tuples (what the cache stores and tests
    compare); the arrays the analysis works on are derived from them when
    the table is built. Two tables are equal when their columns are.
    """

    domains: tuple[str, ...]
    #: Best rating per domain; ``None`` when no link of the domain was rated.
    ratings: tuple[float | None, ...]
    #: True when any link of the domain was flagged as spam by the provider.
    spam_flags: tuple[bool, ...]
    #: Highest spam score (0-100) per domain; ``None`` when the provider gave none.
    spam_scores: tuple[float | None, ...]
    #: True when at least one live link of the domain is followed (no nofollow, UGC or
    #: sponsored mark); left out, every domain is followed (the provider does not say).
    followed: tuple[bool, ...] = ()
    #: The link each domain is known by (followed first, then the earliest seen): linking page,
    #: anchor, title, first seen, site traffic. Left out when the provider names no links.
    details: tuple[LinkDetail, ...] = ()
    encoding: DomainIds = field(default_factory=shared_encoding, compare=False, repr=False)
    #: ``encoding`` id of each domain.
    ids: Ids = field(init=False, compare=False, repr=False)
    #: Ratings as floats, NaN where unrated (NaN never compares below a minimum).
    rating_values: npt.NDArray[np.float64] = field(init=False, compare=False, repr=False)
    spam_mask: npt.NDArray[np.bool_] = field(init=False, compare=False, repr=False)
    #: Spam scores as floats, NaN where the provider gave none.
    score_values: npt.NDArray[np.float64] = field(init=False, compare=False, repr=False)
    followed_mask: npt.NDArray[np.bool_] = field(init=False, compare=False, repr=False)
    #: Site traffic per domain, NaN where unknown.
    traffic_values: npt.NDArray[np.float64] = field(init=False, compare=False, repr=False)
    #: The words of the linking pages, once indexed (``link_words``).
    indexed_words: LinkWords | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        size = len(self.domains)
        set_field = object.__setattr__
        if not self.followed and size:
            set_field(self, "followed", (True,) * size)
        if not (
            len(self.ratings)
            == len(self.spam_flags)
            == len(self.spam_scores)
            == len(self.followed)
            == size
        ) or (self.details and len(self.details) != size):
            raise ValueError("every column of a domain table must have one value per domain")
        ids = self.encoding.encode(self.domains)
        if not _all_distinct(ids):
            raise ValueError("a domain table holds each domain once")
        set_field(self, "ids", ids)
        set_field(self, "rating_values", np.array(self.ratings, dtype=np.float64).reshape(size))
        set_field(self, "spam_mask", np.array(self.spam_flags, dtype=np.bool_).reshape(size))
        set_field(self, "score_values", np.array(self.spam_scores, dtype=np.float64).reshape(size))
        set_field(self, "followed_mask", np.array(self.followed, dtype=np.bool_).reshape(size))
        set_field(self, "traffic_values", _traffic(self.details, size))

    @classmethod
    def _trusted(
        cls,
        encoding: DomainIds,
        ids: Ids,
        ratings: npt.NDArray[np.float64],
        flags: npt.NDArray[np.bool_],
        scores: npt.NDArray[np.float64],
        followed: npt.NDArray[np.bool_],
        details: tuple[LinkDetail, ...] = (),
    ) -> DomainTable:
        """A table from arrays already reduced to one row per domain (no re-encoding)."""
        table = object.__new__(cls)
        set_field = object.__setattr__
        set_field(table, "domains", tuple(encoding.decode(ids)))
        set_field(table, "ratings", _optional(ratings))
        set_field(table, "spam_flags", tuple(flags.tolist()))
        set_field(table, "spam_scores", _optional(scores))
        set_field(table, "followed", tuple(followed.tolist()))
        set_field(table, "details", details)
        set_field(table, "encoding", encoding)
        set_field(table, "ids", ids)
        set_field(table, "rating_values", ratings)
        set_field(table, "spam_mask", flags)
        set_field(table, "score_values", scores)
        set_field(table, "followed_mask", followed)
        set_field(table, "traffic_values", _traffic(details, ids.size))
        set_field(table, "indexed_words", None)
        return table

    def __len__(self) -> int:
        return len(self.domains)

    @classmethod
    def empty(cls) -> DomainTable:
        return cls((), (), (), ())

    @classmethod
    def from_columns(
        cls,
        domains: Sequence[str],
        ratings: Sequence[float | None],
        spam_flags: Sequence[bool],
        spam_scores: Sequence[float | None],
        followed: Sequence[bool] = (),
        details: Sequence[LinkDetail] = (),
    ) -> DomainTable:
        """A table from columns that already hold one row per domain; NaN reads as no value."""
        with collector_paused():
            return cls(
                tuple(domains),
                _without_nan(ratings),
                tuple(spam_flags),
                _without_nan(spam_scores),
                tuple(followed),
                tuple(details),
            )

    @classmethod
    def from_links(cls, links: Iterable[ReferringDomain]) -> DomainTable:
        """Reduce a provider's rows to registrable domains, merging each domain's signals.

        A domain's best rating counts, one spam flag marks it, its highest
        spam score counts and one followed link makes it followed; hosts with
        no usable name are dropped. Domains keep the order of their first row.
        The link a domain is known by is a followed one when it has any, the
        earliest first seen among those, the first row among equals.
        """
        with collector_paused():
            return cls._from_rows(links if isinstance(links, Sequence) else list(links))

    @classmethod
    def _from_rows(cls, rows: Sequence[ReferringDomain]) -> DomainTable:
        # A provider's answer is hundreds of thousands of small containers without cycles:
        # read with the cyclic collector paused (it would walk them, and everything alive,
        # again and again: half the time of a 550,000-row answer).
        encoding = shared_encoding()
        details = tuple(map(LinkDetail._make, map(_DETAIL, rows)))
        return _reduced(
            encoding,
            encoding.encode_hosts(list(map(_HOST, rows))),
            _floats(list(map(_RATING, rows))),
            np.array(list(map(_IS_SPAM, rows)), dtype=np.bool_).reshape(len(rows)),
            _floats(list(map(_SPAM_SCORE, rows))),
            np.array(list(map(_FOLLOWED, rows)), dtype=np.bool_).reshape(len(rows)),
            details if any(detail != _NO_DETAIL for detail in details) else (),
        )

    @classmethod
    def merged(cls, tables: Sequence[DomainTable]) -> DomainTable:
        """One table for several answers about the same page (its URL spelled differently)."""
        encoding = shared_encoding()
        moved = [table.in_encoding(encoding) for table in tables]
        return _reduced(
            encoding,
            np.concatenate([table.ids for table in moved]),
            np.concatenate([table.rating_values for table in moved]),
            np.concatenate([table.spam_mask for table in moved]),
            np.concatenate([table.score_values for table in moved]),
            np.concatenate([table.followed_mask for table in moved]),
            (
                tuple(detail for table in moved for detail in table.link_details())
                if any(table.details for table in moved)
                else ()
            ),
        )

    def link_words(self) -> LinkWords | None:
        """The words of the linking pages, indexed on first use and kept with the table.

        The provider layer asks for them when an answer arrives or is read from the
        cache, so every reader of topical fits in an analysis (the plan, the JSON,
        the prospects CSV) shares one reading. ``None`` when no link is named.
        """
        if not self.details:
            return None
        words = self.indexed_words
        if words is None:
            words = LinkWords.of(self.details)
            object.__setattr__(self, "indexed_words", words)
        return words

    def link_details(self) -> tuple[LinkDetail, ...]:
        """One ``LinkDetail`` per domain, empty ones when the provider named no links."""
        return self.details or (_NO_DETAIL,) * len(self.domains)

    def rows(self) -> list[ReferringDomain]:
        """The table as one ``ReferringDomain`` per registrable domain."""
        return [
            ReferringDomain(
                domain,
                rating,
                is_spam=flag,
                spam_score=score,
                first_seen=detail.first_seen,
                followed=followed,
                linking_url=detail.linking_url,
                anchor=detail.anchor,
                linking_title=detail.title,
                traffic=detail.traffic,
            )
            for domain, rating, flag, score, followed, detail in zip(
                self.domains,
                self.ratings,
                self.spam_flags,
                self.spam_scores,
                self.followed,
                self.link_details(),
                strict=True,
            )
        ]

    def in_encoding(self, encoding: DomainIds) -> DomainTable:
        """This table with its ids in ``encoding`` (itself when they already are)."""
        if encoding is self.encoding:
            return self
        moved = DomainTable(
            self.domains,
            self.ratings,
            self.spam_flags,
            self.spam_scores,
            self.followed,
            self.details,
            encoding=encoding,
        )
        # The rows keep their order: the words of their linking pages are the same.
        object.__setattr__(moved, "indexed_words", self.indexed_words)
        return moved


def table_of(links: Sequence[ReferringDomain] | DomainTable) -> DomainTable:
    """``links`` as a table, building one from provider rows when needed."""
    return links if isinstance(links, DomainTable) else DomainTable.from_links(links)


def _without_nan(values: Sequence[float | None]) -> tuple[float | None, ...]:
    """The values with NaN read as "no value": a NaN rating would sort and compare as nothing."""
    if not any(map(ne, values, values)):  # only NaN differs from itself
        return tuple(values)
    return tuple(None if value is not None and math.isnan(value) else value for value in values)


def _all_distinct(ids: Ids) -> bool:
    """Whether no id repeats: one sort and one comparison, faster than ``np.unique``."""
    ordered = np.sort(ids)
    return bool((ordered[1:] != ordered[:-1]).all())


def _floats(values: Sequence[float | None]) -> npt.NDArray[np.float64]:
    """The values as a float array, ``None`` as NaN."""
    return np.array(values, dtype=np.float64).reshape(len(values))


def _optional(values: npt.NDArray[np.float64]) -> tuple[float | None, ...]:
    """The values as a tuple, NaN as ``None``."""
    return tuple(optional_floats(values))


def optional_floats(values: npt.NDArray[np.float64]) -> list[float | None]:
    """The values as Python floats, NaN as ``None`` (how the reports say "unrated")."""
    boxed = values.astype(object)
    boxed[np.isnan(values)] = None
    result: list[float | None] = boxed.tolist()
    return result


def _traffic(details: tuple[LinkDetail, ...], size: int) -> npt.NDArray[np.float64]:
    """Site traffic per domain as floats, NaN where unknown (all NaN without details)."""
    if not details:
        return np.full(size, np.nan)
    return _floats([detail.traffic for detail in details])


def _representatives(
    unique_size: int,
    inverse: npt.NDArray[np.intp],
    followed: npt.NDArray[np.bool_],
    details: tuple[LinkDetail, ...],
) -> npt.NDArray[np.intp]:
    """Per distinct domain (``np.unique`` order), the row of the link that stands for it.

    A followed link first; among those the earliest first seen (unknown last);
    among equals the first row: the rule the export import follows too.
    """
    rows = np.arange(inverse.size)
    seen = np.array(
        [_LAST_DAY if d.first_seen is None else d.first_seen.toordinal() for d in details],
        dtype=np.int64,
    ).reshape(inverse.size)
    order = np.lexsort((rows, seen, ~followed, inverse))
    starts = np.ones(order.size, np.bool_)
    starts[1:] = inverse[order][1:] != inverse[order][:-1]
    chosen: npt.NDArray[np.intp] = order[starts]
    assert chosen.size == unique_size
    return chosen


def _reduced(
    encoding: DomainIds,
    ids: Ids,
    ratings: npt.NDArray[np.float64],
    flags: npt.NDArray[np.bool_],
    scores: npt.NDArray[np.float64],
    followed: npt.NDArray[np.bool_],
    details: tuple[LinkDetail, ...] = (),
) -> DomainTable:
    """A table from per-row arrays: one row per domain, its signals merged, first-seen order."""
    usable = ids >= 0
    if not usable.all():
        if details:
            details = tuple(d for d, keep in zip(details, usable.tolist(), strict=True) if keep)
        ids, ratings, flags = ids[usable], ratings[usable], flags[usable]
        scores, followed = scores[usable], followed[usable]
    unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    if unique.size != ids.size:
        if details:
            chosen = _representatives(unique.size, inverse.reshape(-1), followed, details)
        size = unique.size
        best, spam, top = np.full(size, np.nan), np.zeros(size, np.bool_), np.full(size, np.nan)
        any_followed = np.zeros(size, np.bool_)
        np.fmax.at(best, inverse, ratings)  # fmax ignores NaN: an unrated link never wins
        np.logical_or.at(spam, inverse, flags)
        np.fmax.at(top, inverse, scores)
        np.logical_or.at(any_followed, inverse, followed)
        order = np.argsort(first, kind="stable")
        ids, ratings, flags, scores = unique[order], best[order], spam[order], top[order]
        followed = any_followed[order]
        if details:
            details = tuple(map(details.__getitem__, chosen[order].tolist()))
    return DomainTable._trusted(encoding, ids, ratings, flags, scores, followed, details)
