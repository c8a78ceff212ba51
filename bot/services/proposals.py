"""Whether a proposed placement repeats one that is still open.

The same prospect page for the same target, while an earlier placement is
proposed, approved or live, would ask the approvers twice about one link:
the proposer is pointed at the existing placement instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.gap.urls import normalise_url
from bot.services.approvals import VETTING_MESSAGE
from bot.store.models import PlacementStatus
from bot.store.repositories import campaign_placements, find_subject_message

#: A placement in one of these states still stands for its page.
OPEN_STATUSES = (PlacementStatus.PROPOSED, PlacementStatus.APPROVED, PlacementStatus.LIVE)


@dataclass(frozen=True)
class OpenPlacement:
    """The earlier placement, with where its approval message is (when it was posted)."""

    placement_id: int
    status: str
    channel_id: str | None
    ts: str | None


def open_duplicate(
    session: Session, workspace_id: int, campaign_id: int, prospect_url: str, target_url: str
) -> OpenPlacement | None:
    """The open placement of this campaign for the same prospect page and target, if any."""
    prospect, target = normalise_url(prospect_url), normalise_url(target_url)
    statuses = [status.value for status in OPEN_STATUSES]
    for placement in campaign_placements(session, workspace_id, campaign_id, statuses):
        if (
            normalise_url(placement.prospect_url) == prospect
            and normalise_url(placement.target_url) == target
        ):
            message = find_subject_message(session, workspace_id, VETTING_MESSAGE, placement.id)
            return OpenPlacement(
                placement.id,
                placement.status,
                message.channel_id if message else None,
                message.ts if message else None,
            )
    return None
