"""Applying a reaction to a placement's approval message, exactly once.

Everything happens in one read-then-write transaction that first locks the
placement row (``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite):
the vote is logged (a retried event id is a no-op), the current votes are
counted, and a decision is one compare-and-set transition. Two approvers
reacting at once are serialised on the lock, so at quorum 2 the second sees
the first's vote, and only one of them can decide.

A placement whose vetting failed is not approved by reactions alone: the
✅ that reaches the quorum is held, and the approver is offered "Approve
anyway"; pressing it logs an override vote naming the overruled checks and
approves it in the same kind of locked transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.approvals.rules import (
    ApprovalPolicy,
    base_emoji,
    check_vote,
    decide,
    failed_checks,
    needs_override,
)
from bot.store.db import transaction, write_transaction
from bot.store.models import Campaign, Placement
from bot.store.repositories import (
    claim_explanation,
    current_votes,
    find_message,
    find_subject_message,
    mark_event_processed,
    overriding_voters,
    record_vote,
    transition,
)

VETTING_MESSAGE = "vetting"


@dataclass(frozen=True)
class ApprovalTarget:
    """The placement a message is about, and who may approve it."""

    placement_id: int
    campaign_id: int
    approvers: frozenset[str]
    usergroup: str | None


@dataclass(frozen=True)
class ReactionOutcome:
    placement_id: int | None = None
    counted: bool = False
    duplicate: bool = False
    reason: str = ""
    decision: str | None = None
    decided_by: frozenset[str] = field(default_factory=frozenset)
    #: The failed checks holding back an approval that reached the quorum (ask to override).
    held: tuple[str, ...] = ()


@dataclass(frozen=True)
class OverrideOutcome:
    """What pressing "Approve anyway" did: approved, recorded only, or refused (and why)."""

    placement_id: int
    approved: bool = False
    checks: tuple[str, ...] = ()
    decided_by: frozenset[str] = field(default_factory=frozenset)
    refusal: str = ""


def approval_target(
    sessions: sessionmaker[Session], workspace_id: int, channel_id: str, ts: str
) -> ApprovalTarget | None:
    """The placement whose current approval message is at ``channel_id``/``ts``, if it is one.

    Only a placement's latest message takes votes: one superseded by a reopen does not.
    """
    with transaction(sessions) as session:
        message = find_message(session, workspace_id, channel_id, ts)
        if message is None or message.kind != VETTING_MESSAGE or message.subject_id is None:
            return None
        latest = find_subject_message(session, workspace_id, VETTING_MESSAGE, message.subject_id)
        if latest is None or latest.id != message.id:
            return None  # superseded when the placement was reopened: votes go to the new one
        placement = session.get(Placement, message.subject_id)
        if placement is None or placement.workspace_id != workspace_id:
            return None
        campaign = session.get(Campaign, placement.campaign_id)
        if campaign is None:
            return None
        return ApprovalTarget(
            placement.id,
            campaign.id,
            frozenset(campaign.approvers or []),
            campaign.approver_usergroup,
        )


def _locked_placement(session: Session, workspace_id: int, placement_id: int) -> Placement | None:
    return session.scalars(
        select(Placement)
        .where(Placement.id == placement_id, Placement.workspace_id == workspace_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def apply_reaction(
    sessions: sessionmaker[Session],
    workspace_id: int,
    target: ApprovalTarget,
    *,
    approvers: frozenset[str],
    user_id: str,
    emoji: str,
    added: bool,
    event_id: str,
    is_bot: bool,
    now: datetime,
    voted_at: datetime | None = None,
    team_id: str | None = None,
) -> ReactionOutcome:
    """Log one reaction event and decide the placement if the votes now say so.

    ``voted_at`` is when Slack says the reaction happened (default ``now``): it
    orders a person's reactions, so an add delivered after its removal stays withdrawn.
    """
    with write_transaction(sessions) as session:
        placement = _locked_placement(session, workspace_id, target.placement_id)
        if placement is None:
            return ReactionOutcome()
        campaign = session.get(Campaign, placement.campaign_id)
        policy = ApprovalPolicy.from_campaign(approvers, campaign.settings if campaign else None)
        check = check_vote(
            policy, user_id=user_id, emoji=emoji, proposer=placement.proposed_by, is_bot=is_bot
        )
        counted, reason = check.counted, check.reason
        if counted and placement.status != "proposed":
            counted, reason = False, f"already {placement.status}"
        logged = record_vote(
            session,
            placement.id,
            user_id=user_id,
            emoji=base_emoji(emoji),
            action="add" if added else "remove",
            event_id=event_id,
            counted=counted,
            note=reason,
            now=voted_at or now,
        )
        if not logged:
            return ReactionOutcome(placement.id, duplicate=True, reason="duplicate event")
        # Handled only together with its vote: a crash before this commit leaves Slack's
        # retry to be processed (the middleware leaves reaction events to this).
        mark_event_processed(session, event_id, team_id, now)
        if not counted:
            return ReactionOutcome(placement.id, reason=reason)
        decision = decide(policy, current_votes(session, placement.id))
        if decision is None:
            return ReactionOutcome(placement.id, counted=True)
        status, deciders = decision
        if needs_override(placement.verdict, status) and not overriding_voters(
            session, placement.id, policy.approve_emoji
        ):
            approving = added and base_emoji(emoji) == policy.approve_emoji
            held = failed_checks(placement.checks) if approving else ()
            return ReactionOutcome(placement.id, counted=True, held=held)
        changed = transition(
            session,
            workspace_id,
            placement.id,
            from_statuses=["proposed"],
            to_status=status,
            now=now,
            decided_by=sorted(deciders),
            decided_at=now,
        )
        if not changed:
            return ReactionOutcome(placement.id, counted=True)
        return ReactionOutcome(placement.id, counted=True, decision=status, decided_by=deciders)


def approve_anyway(
    sessions: sessionmaker[Session],
    workspace_id: int,
    placement_id: int,
    *,
    approvers: frozenset[str],
    user_id: str,
    now: datetime,
) -> OverrideOutcome:
    """An approver confirms a ✅ on a placement whose vetting failed.

    The override is an approve vote in the log that names the overruled
    checks; the placement is approved when the approvals (this one included)
    reach the quorum. Pressing twice, or after the decision, changes nothing.
    """
    with write_transaction(sessions) as session:
        placement = _locked_placement(session, workspace_id, placement_id)
        campaign = session.get(Campaign, placement.campaign_id) if placement else None
        if placement is None or campaign is None:
            return OverrideOutcome(placement_id, refusal=f"Placement {placement_id} is gone.")
        policy = ApprovalPolicy.from_campaign(approvers, campaign.settings)
        check = check_vote(
            policy,
            user_id=user_id,
            emoji=policy.approve_emoji,
            proposer=placement.proposed_by,
            is_bot=False,
        )
        if not check.counted:
            return OverrideOutcome(
                placement.id, refusal=f"Your approval does not count ({check.reason})."
            )
        if placement.status != "proposed":
            return OverrideOutcome(
                placement.id, refusal=f"Placement {placement.id} is already {placement.status}."
            )
        checks = failed_checks(placement.checks)
        record_vote(
            session,
            placement.id,
            user_id=user_id,
            emoji=policy.approve_emoji,
            action="add",
            event_id=f"override:{placement.id}:{placement.version}:{user_id}"[:64],
            counted=True,
            note="approved anyway; failed checks: " + (", ".join(checks) or "none"),
            now=now,
            overridden_checks=checks,
        )
        decision = decide(policy, current_votes(session, placement.id))
        if decision is None or decision[0] != "approved":
            return OverrideOutcome(placement.id, checks=checks)
        deciders = decision[1]
        changed = transition(
            session,
            workspace_id,
            placement.id,
            from_statuses=["proposed"],
            to_status="approved",
            now=now,
            decided_by=sorted(deciders),
            decided_at=now,
        )
        return OverrideOutcome(placement.id, approved=changed, checks=checks, decided_by=deciders)


def first_explanation(
    sessions: sessionmaker[Session], placement_id: int, user_id: str, reason: str, now: datetime
) -> bool:
    """Whether to tell this person why their vote did not count (only the first time)."""
    with write_transaction(sessions) as session:
        return claim_explanation(session, placement_id, user_id, reason, now=now)


def placement_snapshot(
    sessions: sessionmaker[Session], workspace_id: int, placement_id: int
) -> Placement | None:
    with transaction(sessions) as session:
        placement = session.get(Placement, placement_id)
        if placement is None or placement.workspace_id != workspace_id:
            return None
        session.expunge(placement)
        return placement


ApproverResolver = Callable[[ApprovalTarget], frozenset[str]]
