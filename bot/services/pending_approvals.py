"""Placements waiting for one person's approval (their App Home list)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Campaign, Placement


@dataclass(frozen=True)
class PendingPlacement:
    id: int
    keyword: str
    prospect_url: str
    anchor: str
    verdict: str
    proposed_by: str
    created_at: datetime


def pending_for(
    session: Session,
    workspace_id: int,
    user_id: str,
    usergroup_members: Callable[[str], frozenset[str]],
    limit: int = 20,
) -> list[PendingPlacement]:
    """Proposed placements of campaigns ``user_id`` approves (directly or through a user group),
    oldest first, leaving out the ones they proposed themselves (their vote would not count)."""
    rows = session.execute(
        select(Placement, Campaign)
        .join(Campaign, Campaign.id == Placement.campaign_id)
        .where(Placement.workspace_id == workspace_id, Placement.status == "proposed")
        .order_by(Placement.created_at, Placement.id)
    ).all()
    found: list[PendingPlacement] = []
    for placement, campaign in rows:
        approvers = set(campaign.approvers or [])
        if campaign.approver_usergroup and user_id not in approvers:
            approvers |= usergroup_members(campaign.approver_usergroup)
        if user_id not in approvers or placement.proposed_by == user_id:
            continue
        found.append(
            PendingPlacement(
                placement.id,
                campaign.keyword,
                placement.prospect_url,
                placement.anchor,
                placement.verdict,
                placement.proposed_by,
                placement.created_at,
            )
        )
        if len(found) >= limit:
            break
    return found
