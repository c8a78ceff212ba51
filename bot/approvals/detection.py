"""What the provider's data says about approved and live placements.

DESIGN section 4: a placement is ``live`` when the provider detects its link
(or someone marks it with ``/linkgap live``), and ``lost`` after that. The
provider answers at the level of referring domains, so a sighting is "the
prospect's site now links to the target page". A live placement whose site
has dropped out of the provider's list is only a candidate for ``lost``:
crawls lag and a link marked live by hand may never have been crawled, so the
page itself is checked before anything is marked lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrackedPlacement:
    id: int
    status: str
    #: The registrable domain of the page the link was placed on.
    prospect_domain: str


@dataclass(frozen=True, slots=True)
class ProviderSighting:
    #: Approved placements whose site now links to the target page.
    went_live: tuple[int, ...]
    #: Live placements whose site no longer does: check their pages.
    to_recheck: tuple[int, ...]


def sight(
    placements: Iterable[TrackedPlacement], linking_domains: AbstractSet[str]
) -> ProviderSighting:
    """Compare the campaign's placements with the domains linking to its target page."""
    went_live: list[int] = []
    to_recheck: list[int] = []
    for placement in placements:
        linking = placement.prospect_domain.lower() in linking_domains
        if placement.status == "approved" and linking:
            went_live.append(placement.id)
        elif placement.status == "live" and not linking:
            to_recheck.append(placement.id)
    return ProviderSighting(tuple(went_live), tuple(to_recheck))
