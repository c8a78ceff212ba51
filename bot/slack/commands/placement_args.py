"""The placement a command names (``reopen``, ``withdraw``, ``live``) and who may act on it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.approvals import ApprovalTarget
from bot.services.placements import PlacementRef, find_placement
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import UsageError
from bot.slack.jobs.placement_updates import resolve_approvers


@dataclass(frozen=True)
class NamedPlacement:
    ref: PlacementRef
    target: ApprovalTarget
    #: The campaign's approvers, user group members included.
    approvers: frozenset[str]


def placement_number(call: CommandCall, usage: str) -> int:
    if not call.args or not call.args[0].text.lstrip("#").isdigit():
        raise UsageError("Give the placement's number, as shown in its approval message.", usage)
    return int(call.args[0].text.lstrip("#"))


def only_placement_number(call: CommandCall, name: str, usage: str) -> NamedPlacement:
    """The placement of a command that takes its number and nothing else."""
    placement_id = placement_number(call, usage)
    if len(call.args) > 1:
        raise UsageError(f"`{name}` takes only the placement's number.", usage)
    return named_placement(call, placement_id)


def named_placement(call: CommandCall, placement_id: int) -> NamedPlacement:
    """The placement (or a "there is no placement N" answer) and its approvers."""
    ref = find_placement(call.runtime.sessions, call.workspace_id, placement_id)
    target = ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup)
    return NamedPlacement(ref, target, resolve_approvers(call.client, target))
