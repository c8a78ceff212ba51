"""The plain records providers hand to the analysis: results, referring domains, their links.

They sit apart from ``models`` (the analysis's inputs and report) so that the
column tables built from them (``domain_table``) and the models that carry
those tables import one way, without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class SerpResult:
    """One organic result on the results page, as a provider reported it."""

    position: int
    url: str
    title: str = ""
    #: The result's domain rating (0-100) when the provider has one.
    domain_rating: float | None = None
    #: The provider's own page classification when it has one (e.g. Ahrefs ``page_type``).
    page_type: str | None = None


@dataclass(frozen=True, slots=True)
class ReferringDomain:
    """A site that links to a page, as a provider reported it.

    ``domain`` may be any host (``blog.example.co.uk``); the analysis reduces
    it to its registrable domain, so providers need not.
    """

    domain: str
    #: Domain rating (0-100) or the provider's equivalent; ``None`` means unrated.
    domain_rating: float | None = None
    #: The provider flagged the domain as spam (Ahrefs ``is_spam``).
    is_spam: bool = False
    #: A 0-100 spam score (DataForSEO ``backlinks_spam_score``) when the provider has one.
    spam_score: float | None = None
    first_seen: date | None = None
    #: At least one live link from the domain is followed (no nofollow, UGC or sponsored
    #: mark); True when the provider does not say.
    followed: bool = True
    #: The page of the referring site the link is on, when the provider names it.
    linking_url: str | None = None
    anchor: str | None = None
    #: Title of the linking page, when the provider has it.
    linking_title: str | None = None
    #: Estimated monthly organic visits of the referring site, when the provider has them.
    traffic: float | None = None


class LinkDetail(NamedTuple):
    """One link of a referring domain to a page: what an outreach pitch is written from.

    A domain with several links to one page keeps one of them: a followed one
    when it has any, the earliest first seen among those, the first listed
    among equals. A named tuple: a page of 50,000 domains keeps 50,000.
    """

    linking_url: str | None
    anchor: str | None
    title: str | None
    first_seen: date | None
    traffic: float | None
