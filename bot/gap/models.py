"""Plain data that flows into and out of the analysis.

Providers produce ``SerpResult`` and ``ReferringDomain`` values; the analysis
turns them into a ``GapReport``. Nothing here touches the network, the
database or the clock, so the method can be tested on paper-sized numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from bot.gap.records import LinkDetail, ReferringDomain, SerpResult

if TYPE_CHECKING:
    from bot.gap.domain_table import DomainTable
    from bot.gap.internal_support import InternalSupport, SitePage
    from bot.gap.linked_pages import ProspectLinks
    from bot.gap.plan import LinkPlan

ExcludedReason = Literal["own-site", "platform", "gov-edu", "page-type"]
JunkReason = Literal[
    "low-rating", "blocklist", "junk-pattern", "spam-suffix", "provider-spam", "nofollow"
]

__all__ = [
    "ExcludedReason",
    "Flag",
    "GapInput",
    "GapReport",
    "JunkReason",
    "LinkDetail",
    "LinkedPage",
    "OwnPage",
    "PageAudit",
    "Prospect",
    "RdSnapshot",
    "ReferringDomain",
    "ResultRow",
    "SerpResult",
]


@dataclass(frozen=True, slots=True)
class LinkedPage:
    """A comparable competitor page a prospect links to, and the link it does it with."""

    position: int
    competitor_url: str
    linking_url: str | None
    anchor: str | None
    followed: bool
    first_seen: date | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class RdSnapshot:
    """Quality referring domains of the target page on one day (the history behind velocity)."""

    day: date
    quality_referring_domains: int


@dataclass(frozen=True, slots=True)
class PageAudit:
    """What the own-page audit found when the target page could be fetched."""

    fetched: bool
    keyword_in_title: bool | None = None
    keyword_in_h1: bool | None = None
    word_count: int | None = None
    page_type: str | None = None
    internal_links: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class GapInput:
    """Everything the analysis needs, already fetched."""

    keyword: str
    target_url: str
    serp: Sequence[SerpResult]
    #: Page-level referring domains keyed by page URL (any form; matched after normalisation):
    #: a provider's rows, or the ``DomainTable`` the provider cache keeps.
    page_links: Mapping[str, Sequence[ReferringDomain] | DomainTable]
    #: Referring domains that link anywhere on the target's site (marks prospects ``warm``).
    site_links: Sequence[ReferringDomain] | DomainTable = ()
    own_domain_rating: float | None = None
    history: Sequence[RdSnapshot] = ()
    today: date | None = None
    audit: PageAudit | None = None
    #: Median word count of the comparable pages, when known (for the audit flag).
    comparable_word_count: int | None = None
    #: The campaign's topic terms: with the keyword, what a prospect's topical fit is measured on.
    topic_terms: tuple[str, ...] = ()
    #: The crawled pages of the own site (internal support); ``None`` when not crawled.
    site_pages: Sequence[SitePage] | None = None
    #: Why the own site could not be crawled, when a crawl was asked for and refused.
    crawl_error: str | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One SERP result after the comparable filter and the junk filter."""

    position: int
    url: str
    domain: str
    title: str
    referring_domains: int
    quality_referring_domains: int
    domain_rating: float | None
    comparable: bool
    excluded_reason: ExcludedReason | None
    #: Junk domains dropped from this page's count, by reason (shown in the report).
    junk: Mapping[str, int] = field(default_factory=dict)
    #: Referring domains with at least one followed live link (junk included).
    followed_referring_domains: int = 0


@dataclass(frozen=True, slots=True)
class OwnPage:
    url: str
    position: int | None
    referring_domains: int
    quality_referring_domains: int
    domain_rating: float | None
    #: The quality domains themselves: snapshots keep them so digests can name new and lost ones.
    quality_domains: tuple[str, ...] = ()
    #: Every referring domain, junk included: the daily refresh finds placements gone live here.
    referring_domain_names: tuple[str, ...] = ()
    #: Referring domains with at least one followed live link (junk included).
    followed_referring_domains: int = 0


class Prospect(NamedTuple):
    """A domain linking to several competitors but not to the target.

    A named tuple rather than a dataclass: an analysis of very large pages
    makes tens of thousands, and a tuple is several times cheaper to build.
    """

    domain: str
    competitors_linked: int
    domain_rating: float | None
    warm: bool
    #: At least one of its links to a comparable page is followed.
    followed: bool = True
    #: The site's estimated monthly organic visits, when the provider has them.
    traffic: float | None = None


@dataclass(frozen=True)
class GapReport:
    """The outcome of one analysis; ``bot.report.contract`` turns it into the JSON contract."""

    keyword: str
    target_url: str
    own: OwnPage
    results: tuple[ResultRow, ...]
    entry_target: int | None
    stretch_target: int | None
    entry_gap: int | None
    stretch_gap: int | None
    prospects: tuple[Prospect, ...]
    flags: tuple[Flag, ...]
    #: Positions of the pages the entry target was computed from (for the report's "why").
    entry_basis: tuple[int, ...] = ()
    stretch_basis: tuple[int, ...] = ()
    #: New quality referring domains per 30 days, when the history allows it.
    velocity_per_30_days: float | None = None
    eta_days: int | None = None
    #: Where each prospect links from and to, read on demand (a report compares by its figures).
    prospect_links: ProspectLinks | None = field(default=None, compare=False, repr=False)
    #: The smallest ranked set of prospects that closes the entry gap.
    plan: LinkPlan | None = None
    #: Links into the page from the own site; ``None`` when the site was not crawled.
    internal_support: InternalSupport | None = None
