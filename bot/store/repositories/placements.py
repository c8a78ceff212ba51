"""Placements and their vote log, scoped to a workspace.

A decision is one compare-and-set UPDATE (``WHERE status IN (...)``): of any
number of concurrent deciders exactly one sees its row change, and only that
one announces the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import Campaign, Placement, PlacementStatus, Vote, VoteExplanation
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now


@dataclass(frozen=True)
class NewPlacement:
    campaign_id: int
    prospect_url: str
    prospect_domain: str
    target_url: str
    anchor: str
    anchor_class: str
    placement_type: str
    proposed_by: str
    verdict: str
    checks: Sequence[dict[str, Any]]
    note: str = ""
    job_id: int | None = None


def create_placement(
    session: Session, workspace_id: int, new: NewPlacement, *, now: datetime | None = None
) -> Placement:
    """Store a vetted proposal; the campaign must belong to the workspace."""
    owner = session.scalar(select(Campaign.workspace_id).where(Campaign.id == new.campaign_id))
    if owner != workspace_id:
        raise LookupError(f"no campaign {new.campaign_id} in workspace {workspace_id}")
    moment = now or utc_now()
    placement = Placement(
        workspace_id=workspace_id,
        campaign_id=new.campaign_id,
        prospect_url=new.prospect_url,
        prospect_domain=new.prospect_domain,
        target_url=new.target_url,
        anchor=new.anchor,
        anchor_class=new.anchor_class,
        placement_type=new.placement_type,
        note=new.note,
        proposed_by=new.proposed_by,
        verdict=new.verdict,
        checks=[dict(check) for check in new.checks],
        status=PlacementStatus.PROPOSED.value,
        version=0,
        decided_by=[],
        job_id=new.job_id,
        created_at=moment,
        updated_at=moment,
    )
    session.add(placement)
    session.flush()
    return placement


def get_placement(session: Session, workspace_id: int, placement_id: int) -> Placement | None:
    return session.scalars(
        select(Placement)
        .where(Placement.workspace_id == workspace_id, Placement.id == placement_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def placement_of_job(session: Session, workspace_id: int, job_id: int) -> Placement | None:
    return session.scalars(
        select(Placement).where(Placement.workspace_id == workspace_id, Placement.job_id == job_id)
    ).one_or_none()


def campaign_placements(
    session: Session, workspace_id: int, campaign_id: int, statuses: Iterable[str]
) -> list[Placement]:
    return list(
        session.scalars(
            select(Placement)
            .where(
                Placement.workspace_id == workspace_id,
                Placement.campaign_id == campaign_id,
                Placement.status.in_(list(statuses)),
            )
            .order_by(Placement.id)
        )
    )


def transition(
    session: Session,
    workspace_id: int,
    placement_id: int,
    *,
    from_statuses: Iterable[str],
    to_status: str,
    now: datetime | None = None,
    **changes: Any,
) -> bool:
    """Move a placement to ``to_status`` only if it is still in one of ``from_statuses``.

    Returns whether this call made the change: the compare-and-set that keeps a
    decision single however many processes race for it.
    """
    moment = now or utc_now()
    statement = (
        update(Placement)
        .where(
            Placement.workspace_id == workspace_id,
            Placement.id == placement_id,
            Placement.status.in_(list(from_statuses)),
        )
        .values(status=to_status, version=Placement.version + 1, updated_at=moment, **changes)
        .returning(Placement.id)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def record_vote(
    session: Session,
    placement_id: int,
    *,
    user_id: str,
    emoji: str,
    action: str,
    event_id: str,
    counted: bool,
    note: str = "",
    now: datetime | None = None,
    overridden_checks: Sequence[str] | None = None,
) -> bool:
    """Log a reaction; ``False`` when this Slack event was already logged (a retry).

    ``overridden_checks`` marks an "Approve anyway": the failed checks overruled.
    """
    statement = (
        insert_on_conflict(session, Vote)
        .values(
            placement_id=placement_id,
            user_id=user_id,
            emoji=emoji,
            action=action,
            counted=counted,
            note=note[:255],
            event_id=event_id,
            overridden_checks=list(overridden_checks) if overridden_checks is not None else None,
            created_at=now or utc_now(),
        )
        .on_conflict_do_nothing(index_elements=[Vote.event_id])
        .returning(Vote.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def current_votes(session: Session, placement_id: int) -> dict[str, set[str]]:
    """Emoji → users whose latest counted action for it is ``add`` (withdrawn votes drop out).

    Latest by the vote's time (Slack's event time for reactions), not by arrival.
    """
    rows = session.execute(
        select(Vote.user_id, Vote.emoji, Vote.action)
        .where(Vote.placement_id == placement_id, Vote.counted.is_(True))
        .order_by(Vote.created_at, Vote.id)
    )
    latest: dict[tuple[str, str], str] = {}
    for user_id, emoji, action in rows:
        latest[(user_id, emoji)] = action
    votes: dict[str, set[str]] = {}
    for (user_id, emoji), action in latest.items():
        if action == "add":
            votes.setdefault(emoji, set()).add(user_id)
    return votes


def overriding_voters(session: Session, placement_id: int, emoji: str) -> set[str]:
    """Users whose current ``emoji`` vote is an "Approve anyway" (names overruled checks).

    A later removal (theirs, or the reset when the placement is reopened) ends it.
    """
    rows = session.execute(
        select(Vote.user_id, Vote.action, Vote.overridden_checks)
        .where(Vote.placement_id == placement_id, Vote.counted.is_(True), Vote.emoji == emoji)
        .order_by(Vote.created_at, Vote.id)
    )
    latest: dict[str, bool] = {}
    for user_id, action, overridden in rows:
        if action == "remove":
            latest[user_id] = False
        elif overridden is not None:
            latest[user_id] = True
    return {user for user, overriding in latest.items() if overriding}


def claim_explanation(
    session: Session, placement_id: int, user_id: str, reason: str, *, now: datetime | None = None
) -> bool:
    """Whether this person is yet to be told why their vote on the placement did not count.

    ``True`` once per placement and person (the caller then tells them);
    a retried event or a second process racing for it gets ``False``.
    """
    statement = (
        insert_on_conflict(session, VoteExplanation)
        .values(
            placement_id=placement_id,
            user_id=user_id,
            reason=reason[:255],
            created_at=now or utc_now(),
        )
        .on_conflict_do_nothing(
            index_elements=[VoteExplanation.placement_id, VoteExplanation.user_id]
        )
        .returning(VoteExplanation.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def votes_of(session: Session, placement_id: int) -> list[Vote]:
    return list(
        session.scalars(select(Vote).where(Vote.placement_id == placement_id).order_by(Vote.id))
    )
