"""Placement transitions after the decision: reopening, withdrawing, marking live or lost.

Each is a compare-and-set on the placement's status; the caller re-renders
the approval message from the stored row afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import BadInput
from bot.gap.urls import normalise_url
from bot.store.db import write_transaction
from bot.store.models import Campaign, Placement
from bot.store.repositories import current_votes, get_placement, record_vote, transition
from bot.web.fetcher import PageFetcher
from bot.web.html import parse_html


@dataclass(frozen=True)
class PlacementRef:
    placement_id: int
    campaign_id: int
    status: str
    target_url: str
    approvers: frozenset[str]
    usergroup: str | None
    proposed_by: str = ""
    #: Registrable domain of the prospect page: where the live link must be.
    prospect_domain: str = ""


def find_placement(
    sessions: sessionmaker[Session], workspace_id: int, placement_id: int
) -> PlacementRef:
    with write_transaction(sessions) as session:
        placement = get_placement(session, workspace_id, placement_id)
        campaign = session.get(Campaign, placement.campaign_id) if placement else None
        if placement is None or campaign is None:
            raise BadInput(
                f"There is no placement {placement_id} in this workspace. "
                "The number is in the approval message (“Placement 12”)."
            )
        return PlacementRef(
            placement.id,
            campaign.id,
            placement.status,
            placement.target_url,
            frozenset(campaign.approvers or []),
            campaign.approver_usergroup,
            placement.proposed_by,
            placement.prospect_domain,
        )


def reopen(
    sessions: sessionmaker[Session],
    workspace_id: int,
    placement_id: int,
    user_id: str,
    now: datetime,
) -> bool:
    """Put a decided placement back to ``proposed`` and withdraw the votes that decided it."""
    with write_transaction(sessions) as session:
        placement = get_placement(session, workspace_id, placement_id)
        if placement is None:
            return False
        version = placement.version
        changed = transition(
            session, workspace_id, placement_id,
            from_statuses=["approved", "rejected"], to_status="proposed", now=now,
            decided_by=[], decided_at=None,
        )  # fmt: skip
        if not changed:
            return False
        for emoji, users in current_votes(session, placement_id).items():
            for voter in users:
                record_vote(
                    session, placement_id, user_id=voter, emoji=emoji, action="remove",
                    event_id=f"reopen:{placement_id}:{version}:{voter}:{emoji}"[:64],
                    counted=True, note=f"withdrawn when {user_id} reopened", now=now,
                )  # fmt: skip
        return True


#: What can still be withdrawn: a placement not yet decided, or approved but not yet placed.
WITHDRAWABLE = ("proposed", "approved")


def withdraw(
    sessions: sessionmaker[Session],
    workspace_id: int,
    placement_id: int,
    user_id: str,
    now: datetime,
) -> bool:
    """Close a proposed or approved placement; who withdrew it and when are kept as its decision."""
    with write_transaction(sessions) as session:
        return transition(
            session, workspace_id, placement_id,
            from_statuses=WITHDRAWABLE, to_status="withdrawn", now=now,
            decided_by=[user_id], decided_at=now,
        )  # fmt: skip


def page_links_to(fetcher: PageFetcher, page_url: str, target_url: str) -> tuple[bool, int]:
    """Whether the live page links to the target (URL variants match), and how many links it has."""
    page = fetcher.fetch(page_url)
    content = parse_html(page.text, page.url)
    wanted = normalise_url(target_url)
    wanted_without_query = wanted.split("?", 1)[0]
    for found in content.links:
        key = normalise_url(found.url)
        if key == wanted or key.split("?", 1)[0] == wanted_without_query:
            return True, len(content.links)
    return False, len(content.links)


def mark_live(
    sessions: sessionmaker[Session],
    workspace_id: int,
    placement_id: int,
    live_url: str,
    now: datetime,
) -> bool:
    with write_transaction(sessions) as session:
        return transition(
            session, workspace_id, placement_id,
            from_statuses=["approved", "live", "lost"], to_status="live", now=now,
            live_url=live_url, live_at=now, lost_at=None,
        )  # fmt: skip


def mark_lost(
    sessions: sessionmaker[Session], workspace_id: int, placement_id: int, now: datetime
) -> bool:
    """A live placement whose link is gone (the daily refresh checked its page)."""
    with write_transaction(sessions) as session:
        return transition(
            session, workspace_id, placement_id,
            from_statuses=["live"], to_status="lost", now=now, lost_at=now,
        )  # fmt: skip


def placement_row(session: Session, workspace_id: int, placement_id: int) -> Placement | None:
    return get_placement(session, workspace_id, placement_id)
