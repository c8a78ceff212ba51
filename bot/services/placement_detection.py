"""Placements the daily refresh finds live, or lost, from the provider's data and the page.

The rules are ``bot.approvals.detection``; this applies them to a campaign's
stored placements with the same compare-and-set transitions as
``/linkgap live``, and checks candidates for ``lost`` through the safe
fetcher: a page that still links keeps its placement live, and a page that
cannot be fetched changes nothing, and a page that is gone (HTTP 404 or 410)
has no link left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.approvals.detection import TrackedPlacement, sight
from bot.errors import FetchRefused
from bot.services.placements import mark_live, mark_lost, page_links_to
from bot.store.db import transaction
from bot.store.repositories import campaign_placements
from bot.web.fetcher import PageFetcher, PageGone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectionOutcome:
    live: tuple[int, ...] = ()
    lost: tuple[int, ...] = ()


def detect_placements(
    sessions: sessionmaker[Session],
    workspace_id: int,
    campaign_id: int,
    linking_domains: AbstractSet[str],
    fetcher_factory: Callable[[], PageFetcher],
    now: datetime,
) -> DetectionOutcome:
    """Mark approved placements live when the provider sees their site link to the target;
    mark live ones lost when the provider no longer does and their page has no link left.

    The fetcher is only built when a page has to be checked.
    """
    with transaction(sessions) as session:
        rows = campaign_placements(session, workspace_id, campaign_id, ["approved", "live"])
        tracked = [TrackedPlacement(row.id, row.status, row.prospect_domain) for row in rows]
        pages = {row.id: (row.live_url or row.prospect_url, row.target_url) for row in rows}
    sighting = sight(tracked, linking_domains)
    live = tuple(
        placement_id
        for placement_id in sighting.went_live
        if mark_live(sessions, workspace_id, placement_id, pages[placement_id][0], now)
    )
    lost = _confirm_lost(
        sessions, workspace_id, [(i, *pages[i]) for i in sighting.to_recheck], fetcher_factory, now
    )
    return DetectionOutcome(live, lost)


def _confirm_lost(
    sessions: sessionmaker[Session],
    workspace_id: int,
    candidates: list[tuple[int, str, str]],
    fetcher_factory: Callable[[], PageFetcher],
    now: datetime,
) -> tuple[int, ...]:
    """The candidates whose page no longer links to the target, marked lost."""
    if not candidates:
        return ()
    fetcher = fetcher_factory()
    lost: list[int] = []
    for placement_id, page_url, target_url in candidates:
        try:
            still_links, _ = page_links_to(fetcher, page_url, target_url)
        except PageGone:
            still_links = False
        except FetchRefused as error:
            log.info("placement %s: could not recheck its page: %s", placement_id, error.message)
            continue
        if not still_links and mark_lost(sessions, workspace_id, placement_id, now):
            lost.append(placement_id)
    return tuple(lost)
