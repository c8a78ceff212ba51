"""The link plan in Slack: a summary, the first entries with a "Propose" button each.

"Propose" opens the vet form with the prospect's page and the target filled
in, so going from the plan to a vetted placement is one click and an anchor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.report.plan_view import PlanView, next_step, plan_summary
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_blocks

#: Entries shown with a button (the rest are in the CSV and the JSON).
SHOWN_ENTRIES = 5
PROPOSE_ACTION = "linkgap_propose"
#: Slack's limit on a button's value.
MAX_VALUE = 2000


@dataclass(frozen=True)
class _Line:
    text: Mrkdwn
    value: str


def propose_value(prospect_url: str, target_url: str) -> str:
    """What the button carries: the page to propose on and the target (JSON, within 2,000)."""
    value = json.dumps({"prospect": prospect_url, "target": target_url}, ensure_ascii=False)
    if len(value) > MAX_VALUE:
        value = json.dumps({"prospect": "", "target": target_url[:1500]}, ensure_ascii=False)
    return value


def read_propose_value(value: str) -> tuple[str, str]:
    """(prospect URL, target URL) from a button's value; empty strings when unreadable."""
    try:
        found = json.loads(value)
    except ValueError:
        return "", ""
    if not isinstance(found, Mapping):
        return "", ""
    return str(found.get("prospect") or ""), str(found.get("target") or "")


def plan_context(view: PlanView, today: date | None = None) -> dict[str, Any]:
    """The template context of the plan blocks (``_plan_blocks.json.j2``)."""
    lines = [
        _Line(
            Mrkdwn(
                f"*{number}.* {link(line.pitch_url, line.domain)} · score {line.score:.2f}\n"
                f"{escape(line.reason)}"
            ),
            propose_value(line.pitch_url, view.target_url),
        )
        for number, line in enumerate(view.entries[:SHOWN_ENTRIES], 1)
    ]
    summary = plan_summary(view, today)
    step = next_step(view)
    more = view.size - len(lines)
    return {
        "summary": Mrkdwn(escape(summary) + (f"\n*Next step:* {escape(step)}" if step else "")),
        "lines": lines,
        "more": (
            f"…and {more:,} more in the plan"
            + (f", {view.reserve_size:,} in reserve" if view.reserve_size else "")
            + ": the prospects CSV marks them `plan`"
            + (" and `reserve`." if view.reserve_size else ".")
            if more > 0
            else ""
        ),
    }


def plan_blocks(view: PlanView, *, footer: str, today: date | None = None) -> list[dict[str, Any]]:
    """``/linkgap plan``'s answer: the plan of a campaign's latest analysis."""
    return render_blocks(
        "plan.json.j2",
        header=f"Link plan: {view.keyword}",
        page_link=link(view.target_url),
        plan=plan_context(view, today),
        propose_action=PROPOSE_ACTION,
        footer=footer,
    )
