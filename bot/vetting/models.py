"""Plain data in and out of placement vetting (DESIGN section 3).

The edges (Slack command, provider calls, the safe fetcher, the store) gather
these values; ``vet`` turns them into a ``VettingResult``. Nothing here holds a
session, a client or a clock, so every rule can be checked on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

Verdict = Literal["pass", "warn", "fail"]
PlacementType = Literal[
    "in-content", "author-bio", "sidebar", "footer", "comment", "directory", "unknown"
]
AnchorClass = Literal["naked-url", "brand", "exact", "partial", "generic", "other", "empty"]
CheckName = Literal[
    "domain-quality",
    "new-referring-domain",
    "topical-fit",
    "editorial-context",
    "page-relevance",
    "anchor",
]

VERDICTS: tuple[Verdict, ...] = ("pass", "warn", "fail")
PLACEMENT_TYPES: tuple[PlacementType, ...] = (
    "in-content", "author-bio", "sidebar", "footer", "comment", "directory", "unknown",
)  # fmt: skip
#: In the order the classifier tries them: the first that fits wins.
ANCHOR_CLASSES: tuple[AnchorClass, ...] = (
    "empty", "naked-url", "brand", "exact", "partial", "generic", "other",
)  # fmt: skip
#: In the order a vetting message lists them.
CHECK_NAMES: tuple[CheckName, ...] = (
    "domain-quality", "new-referring-domain", "topical-fit", "editorial-context",
    "page-relevance", "anchor",
)  # fmt: skip

_SEVERITY: dict[Verdict, int] = {"pass": 0, "warn": 1, "fail": 2}


def anchor_class_named(name: str) -> AnchorClass:
    """A stored anchor class read back as the type; a name vetting never wrote is refused."""
    for known in ANCHOR_CLASSES:
        if known == name:
            return known
    raise ValueError(f"{name!r} is not an anchor class (one of {', '.join(ANCHOR_CLASSES)})")


def worst(verdicts: Sequence[Verdict]) -> Verdict:
    """The most severe verdict (``pass`` for none): one failing check fails the placement."""
    return max(verdicts, key=_SEVERITY.__getitem__, default="pass")


@dataclass(frozen=True, slots=True)
class Placement:
    """A proposed link: where it would sit, where it points, and with what words."""

    prospect_url: str
    target_url: str
    anchor: str
    placement_type: PlacementType = "unknown"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A placement as someone typed it (command, form, CLI): all text, not yet judged.

    ``validate_proposal`` turns it into a ``Placement`` or says which field is wrong;
    the placement type here is still words such as ``Author Bio``.
    """

    prospect_url: str
    target_url: str
    anchor: str
    placement_type: str = "unknown"


@dataclass(frozen=True, slots=True)
class PriorPlacement:
    """One of the campaign's approved or live placements, as the anchor and RD rules need it."""

    anchor_class: AnchorClass
    target_url: str
    #: Registrable domain (or any host/URL; it is reduced) of the linking site.
    prospect_domain: str


@dataclass(frozen=True)
class CampaignContext:
    """What vetting needs to know about the campaign the placement belongs to."""

    keyword: str
    #: The campaign site's registrable domain (a host or URL is accepted and reduced).
    site: str
    #: The page the campaign wants to rank.
    target_url: str
    brand_terms: tuple[str, ...] = ()
    topic_terms: tuple[str, ...] = ()
    #: The campaign's approved and live placements, not counting the one being vetted.
    placements: tuple[PriorPlacement, ...] = ()


@dataclass(frozen=True, slots=True)
class ProspectSignals:
    """What the provider says about the prospect's site; ``None`` means "not known"."""

    #: Domain rating (0-100) or the provider's equivalent; ``None`` means unrated.
    domain_rating: float | None = None
    #: Estimated monthly organic visits; ``None`` when the provider has no estimate.
    organic_traffic: float | None = None
    #: The provider flagged the domain as spam (Ahrefs ``is_spam``).
    is_spam: bool = False
    #: A 0-100 spam score (DataForSEO) when the provider has one.
    spam_score: float | None = None
    #: The prospect's registrable domain already links to the target page.
    links_to_target: bool = False


class _PageText(Protocol):
    """The shape of ``bot.web.html.PageContent`` that topical fit reads (no import of the edge)."""

    @property
    def title(self) -> str: ...
    @property
    def h1(self) -> tuple[str, ...]: ...
    @property
    def headings(self) -> tuple[str, ...]: ...
    @property
    def main_text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """The prospect page as the safe fetcher found it; vetting never fetches."""

    fetched: bool
    title: str = ""
    #: All headings (h1, h2, h3) in document order.
    headings: tuple[str, ...] = ()
    main_text: str = ""
    #: Why the page could not be fetched, in words a marketer can read.
    error: str | None = None

    @classmethod
    def from_page(cls, page: _PageText) -> PageEvidence:
        """Evidence from a parsed page (``bot.web.html.parse_html``'s ``PageContent``)."""
        return cls(
            fetched=True,
            title=page.title,
            headings=(*page.h1, *page.headings),
            main_text=page.main_text,
        )

    @classmethod
    def not_fetched(cls, error: str) -> PageEvidence:
        """Evidence of a page the fetcher refused or could not reach."""
        return cls(fetched=False, error=error)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One rule's verdict and the one sentence that explains it to a marketer."""

    name: CheckName
    verdict: Verdict
    reason: str


@dataclass(frozen=True, slots=True)
class VettingResult:
    """Every check of one placement; the verdict is the worst of them."""

    verdict: Verdict
    anchor_class: AnchorClass
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)

    def check(self, name: CheckName) -> CheckResult:
        """The result of one named check."""
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(name)
