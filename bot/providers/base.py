"""The one protocol every data provider implements.

The analysis needs four things from the outside world: the results page, the
page-level referring domains of some URLs, the domains linking anywhere on
the user's site (to mark prospects warm) and the user's domain rating.
Vetting a placement also asks for the prospect site's estimated organic
traffic. A provider answers those and counts what it cost; its quirks stay
inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.gap.models import ReferringDomain, SerpResult

#: Every rating linkgap keeps (Ahrefs DR, Semrush Authority Score, DataForSEO rank asked
#: on its ``one_hundred`` scale) is on this scale; a value outside it is another scale
#: (DataForSEO's default 0-1000) and is never passed on as a rating.
RATING_SCALE = (0.0, 100.0)


def on_rating_scale(rating: float | None) -> bool:
    """Whether ``rating`` is unknown or within ``RATING_SCALE``."""
    return rating is None or RATING_SCALE[0] <= rating <= RATING_SCALE[1]


@dataclass(frozen=True, slots=True)
class SerpQuery:
    keyword: str
    country: str = "us"
    language: str = "en"
    #: How many organic results to ask for (page one).
    depth: int = 10
    #: The page being analysed. Live providers ignore it; the demo provider
    #: uses it to place the user's page in its generated results.
    target_url: str | None = None


@dataclass(slots=True)
class ProviderUsage:
    """Requests made and their estimated cost, reported with every analysis."""

    requests: int = 0
    estimated_cost_usd: float = 0.0

    def add(self, requests: int = 1, cost_usd: float = 0.0) -> None:
        self.requests += requests
        self.estimated_cost_usd += cost_usd


@runtime_checkable
class Provider(Protocol):
    """What the analysis asks of a data source."""

    #: Registry name: ``demo``, ``csv``, ``dataforseo``, ``ahrefs``, ``semrush``.
    name: str
    #: True when the data is generated, so every output says "sample data".
    sample_data: bool
    usage: ProviderUsage

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        """The organic results of page one, best first; non-organic features left out."""
        ...

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """Referring domains of each page, keyed by the URL exactly as passed in.

        Every URL passed in is a key of the answer (an empty list when nothing
        links to it); a provider that cannot answer raises ``ProviderError``
        (or ``DataFileError`` for local files) rather than returning less.
        """
        ...

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """Domains linking anywhere on the site of ``url``; empty when the provider cannot tell."""
        ...

    def domain_rating(self, url: str) -> float | None:
        """The domain rating of the site of ``url``; ``None`` when the provider has none."""
        ...

    def organic_traffic(self, url: str) -> float | None:
        """Estimated monthly organic visits of the site of ``url``, all countries together.

        ``None`` when the provider has no estimate for the site, or when the
        account's plan does not include the call (logged as a warning): vetting
        reads ``None`` as "unknown" and only a known zero warns.
        """
        ...
