"""The junk filter and the count that matters: distinct quality referring domains.

Competitor counts are inflated by link farms, SEO-tool mirrors and spam; the
method says not to copy that noise. Names are judged by their words
(``bot.gap.junk_names``). A referring domain is judged
once per analysis by its registrable domain, whatever host or how many links it
arrived with (``DomainTable`` has already merged those). A page's verdicts are
array operations over its table; the verdicts that depend only on a name are
worked out once per domain a process meets, because a large analysis sees the
same domains on many pages and a worker sees them again on the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.gap.domain_ids import DomainIds, Ids
from bot.gap.domain_table import DomainTable, table_of
from bot.gap.domains import split_domain, split_domain_uncached
from bot.gap.junk_names import JunkNames
from bot.gap.models import JunkReason, ReferringDomain
from bot.gap.settings import GapSettings

#: Name verdicts by code; 0 is "not junk by name".
_NAME_REASONS: tuple[JunkReason, ...] = ("blocklist", "junk-pattern", "spam-suffix")
_CODE_OF: dict[JunkReason | None, int] = {
    None: 0,
    **{reason: code for code, reason in enumerate(_NAME_REASONS, 1)},
}


@dataclass(frozen=True, slots=True)
class PageDomains:
    """The referring domains of one page after the junk filter, as ids of ``encoding``."""

    encoding: DomainIds
    #: Every referring domain (links from the page's own site left out).
    ids: Ids
    #: Domains past the junk filter, followed or not: the prospects' raw material (a site
    #: that links to competitors only with nofollow is still someone to ask).
    quality_ids: Ids
    #: Rating of each of ``quality_ids``, NaN where unrated.
    quality_ratings: npt.NDArray[np.float64]
    junk: dict[str, int] = field(default_factory=dict)
    #: Referring domains with at least one followed live link, junk included.
    followed_count: int = 0
    #: The domains that count toward quality: ``quality_ids`` with at least one followed
    #: live link (all of them when the settings count nofollow too). ``None`` = all.
    counted_ids: Ids | None = None
    #: The table the page was judged from, and the row of each quality domain in it
    #: (where a prospect's link to this page is read).
    table: DomainTable | None = None
    quality_rows: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))

    @property
    def referring_count(self) -> int:
        return int(self.ids.size)

    @property
    def counted(self) -> Ids:
        return self.quality_ids if self.counted_ids is None else self.counted_ids

    @property
    def quality_count(self) -> int:
        """Quality referring domains: the count the targets and gaps are made of."""
        return int(self.counted.size)

    @property
    def all_domains(self) -> frozenset[str]:
        return frozenset(self.encoding.decode(self.ids))

    @property
    def quality_domains(self) -> frozenset[str]:
        return frozenset(self.encoding.decode(self.counted))


class JunkFilter:
    """Judges referring domains against one analysis's settings; safe to share between threads."""

    def __init__(self, settings: GapSettings) -> None:
        self._settings = settings
        self._junk_names = JunkNames(settings.junk_patterns)
        self._spam_suffixes = frozenset(settings.spam_suffixes)
        self._blocklist = frozenset(split_domain(d)[0] for d in settings.blocklist)
        self._lock = threading.Lock()
        self._judged_encoding: DomainIds | None = None
        self._name_codes: npt.NDArray[np.int8] = np.zeros(0, np.int8)

    def _codes_for(self, encoding: DomainIds) -> npt.NDArray[np.int8]:
        """Every id's name verdict in ``encoding``; only names new since last time are judged."""
        with self._lock:
            if encoding is not self._judged_encoding:
                self._judged_encoding, self._name_codes = encoding, np.zeros(0, np.int8)
            judged, total = self._name_codes.size, len(encoding)
            if total > judged:
                new = [
                    _CODE_OF[self._name_reason(name, _suffix(name, suffix))]
                    for name, suffix in zip(
                        encoding.names[judged:total], encoding.suffixes[judged:total], strict=True
                    )
                ]
                self._name_codes = np.concatenate([self._name_codes, np.array(new, np.int8)])
            return self._name_codes

    def _name_reason(self, domain: str, suffix: str) -> JunkReason | None:
        if domain in self._blocklist:
            return "blocklist"
        name = domain[: -len(suffix) - 1] if suffix else domain
        if self._junk_names.match(name) is not None:
            return "junk-pattern"
        if suffix and suffix.rsplit(".", 1)[-1] in self._spam_suffixes:
            return "spam-suffix"
        return None

    def page_domains(
        self, links: Sequence[ReferringDomain] | DomainTable, own_domain: str = ""
    ) -> PageDomains:
        """A page's distinct registrable domains, and those left after the junk filter.

        Links from the page's own site (``own_domain``) are internal, not
        referring domains. A domain is junk for the first reason that applies,
        in this order: its name, the provider's spam signals, a low rating
        (unrated domains are kept), and, unless the settings count nofollow
        too, no followed live link (every link nofollow, UGC or sponsored).
        """
        table = table_of(links)
        own_id = table.encoding.id_of(own_domain) if own_domain else None
        referring = table.ids != own_id if own_id is not None else np.ones(len(table), np.bool_)
        codes = self._codes_for(table.encoding)[table.ids]
        by_name = referring & (codes > 0)
        spam = table.spam_mask | (table.score_values >= self._settings.spam_score_limit)
        low = table.rating_values < self._settings.min_domain_rating
        by_spam = referring & ~by_name & spam
        by_rating = referring & ~by_name & ~spam & low
        quality = referring & ~(by_name | spam | low)
        followed = referring & table.followed_mask
        by_nofollow = (
            np.zeros_like(quality) if self._settings.count_nofollow else quality & ~followed
        )

        junk: dict[str, int] = {}
        for code, count in enumerate(np.bincount(codes[by_name], minlength=4).tolist()[1:], 1):
            if count:
                junk[_NAME_REASONS[code - 1]] = count
        if spam_count := int(np.count_nonzero(by_spam)):
            junk["provider-spam"] = spam_count
        if low_count := int(np.count_nonzero(by_rating)):
            junk["low-rating"] = low_count
        if nofollow_count := int(np.count_nonzero(by_nofollow)):
            junk["nofollow"] = nofollow_count
        return PageDomains(
            encoding=table.encoding,
            ids=table.ids[referring],
            quality_ids=table.ids[quality],
            quality_ratings=table.rating_values[quality],
            junk=junk,
            followed_count=int(np.count_nonzero(followed)),
            counted_ids=table.ids[quality & ~by_nofollow],
            table=table,
            quality_rows=np.flatnonzero(quality),
        )


def _suffix(domain: str, known: str | None) -> str:
    """The domain's public suffix: the one learnt with it, or from the list."""
    return known if known is not None else split_domain_uncached(domain)[1]


@lru_cache(maxsize=8)
def junk_filter_for(settings: GapSettings) -> JunkFilter:
    """One filter per settings value, so a long-running worker judges each name only once."""
    return JunkFilter(settings)
