"""Private notes to one person about their vote: an approval held for a failed vetting.

Each is posted with ``chat.postEphemeral``, so only the approver sees it; the
approval message itself stays the shared record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.slack.blocks.mrkdwn import escape, render_blocks
from bot.slack.blocks.vetting_messages import checks_text

APPROVE_ANYWAY_ACTION = "approve_anyway"


def approve_anyway_blocks(
    placement_id: int, checks: Iterable[Mapping[str, Any]], approve_emoji: str
) -> list[dict[str, Any]]:
    """The held approval: the failed checks with their reasons and an "Approve anyway" button."""
    failed = [dict(check) for check in checks if check.get("verdict") == "fail"]
    return render_blocks(
        "approve_anyway.json.j2",
        placement_id=placement_id,
        approve_emoji=escape(approve_emoji),
        checks_text=checks_text(failed),
        check_names=", ".join(str(check.get("name", "")) for check in failed),
        action_id=APPROVE_ANYWAY_ACTION,
    )


def approve_anyway_text(placement_id: int, check_names: Iterable[str]) -> str:
    return escape(
        f"Placement {placement_id} failed vetting ({', '.join(check_names)}): "
        "your approval is held until you press Approve anyway."
    )
