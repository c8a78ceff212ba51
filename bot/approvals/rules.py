"""The approval rules, as pure functions.

Approvers react with the approve or reject emoji; the proposer's own reaction
never counts; reactions from anyone else (bots, non-approvers) are ignored;
a placement is decided when either emoji reaches the quorum. A placement whose
vetting failed is never approved by reactions alone: the approvals reaching
the quorum are held until an approver confirms with "Approve anyway".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

DEFAULT_APPROVE_EMOJI = "white_check_mark"
DEFAULT_REJECT_EMOJI = "x"
DEFAULT_QUORUM = 1

Decision = Literal["approved", "rejected"]


@dataclass(frozen=True)
class ApprovalPolicy:
    """A campaign's approvers and how they decide."""

    approvers: frozenset[str]
    quorum: int = DEFAULT_QUORUM
    approve_emoji: str = DEFAULT_APPROVE_EMOJI
    reject_emoji: str = DEFAULT_REJECT_EMOJI

    @classmethod
    def from_campaign(
        cls, approvers: Collection[str], settings: Mapping[str, object] | None
    ) -> ApprovalPolicy:
        options = dict(settings or {})
        quorum = options.get("quorum", DEFAULT_QUORUM)
        return cls(
            approvers=frozenset(approvers),
            quorum=max(1, int(quorum)) if isinstance(quorum, int | str) else DEFAULT_QUORUM,
            approve_emoji=str(options.get("approve_emoji", DEFAULT_APPROVE_EMOJI)),
            reject_emoji=str(options.get("reject_emoji", DEFAULT_REJECT_EMOJI)),
        )

    def is_voting_emoji(self, emoji: str) -> bool:
        # Slack sends skin-toned reactions as "name::skin-tone-2": the base name counts.
        return emoji.split("::", 1)[0] in {self.approve_emoji, self.reject_emoji}


#: Why a reaction did not count, as kept in the vote log (and explained to the person).
NOT_VOTING_EMOJI = "not an approval emoji"
BOT = "bot"
PROPOSER = "the proposer's own reaction"
NOT_APPROVER = "not an approver"


@dataclass(frozen=True)
class VoteCheck:
    counted: bool
    reason: str = ""


def check_vote(
    policy: ApprovalPolicy, *, user_id: str, emoji: str, proposer: str, is_bot: bool
) -> VoteCheck:
    """Whether one reaction counts, and why not when it does not (kept in the vote log)."""
    if not policy.is_voting_emoji(emoji):
        return VoteCheck(False, NOT_VOTING_EMOJI)
    if is_bot:
        return VoteCheck(False, BOT)
    if user_id == proposer:
        return VoteCheck(False, PROPOSER)
    if user_id not in policy.approvers:
        return VoteCheck(False, NOT_APPROVER)
    return VoteCheck(True)


def deserves_explanation(reason: str) -> bool:
    """Whether a reaction that did not count was meant as a vote, so its author is told why.

    A 🎉 is not a vote and gets no answer; a ✅ from the proposer, a
    non-approver, a bot or after the decision was meant as one.
    """
    return bool(reason) and reason != NOT_VOTING_EMOJI


def base_emoji(emoji: str) -> str:
    return emoji.split("::", 1)[0]


def decide(
    policy: ApprovalPolicy, votes: Mapping[str, Collection[str]]
) -> tuple[Decision, frozenset[str]] | None:
    """The decision the current votes make, with who made it; ``None`` while undecided.

    Rejection wins a tie at quorum: a placement two approvers disagree on
    should not go ahead by accident.
    """
    rejecting = frozenset(votes.get(policy.reject_emoji, ()))
    approving = frozenset(votes.get(policy.approve_emoji, ()))
    if len(rejecting) >= policy.quorum:
        return "rejected", rejecting
    if len(approving) >= policy.quorum:
        return "approved", approving
    return None


def failed_checks(checks: Iterable[Mapping[str, object]]) -> tuple[str, ...]:
    """The names of the vetting checks that failed, in the order they were shown."""
    return tuple(str(check.get("name", "")) for check in checks if check.get("verdict") == "fail")


def needs_override(verdict: str, decision: Decision | None) -> bool:
    """Whether reactions that would approve must wait for an explicit "Approve anyway".

    A failed vetting means at least one check says the link would hurt or
    waste money; a ✅ can be a habit, so the approver is asked to confirm.
    """
    return decision == "approved" and verdict == "fail"
