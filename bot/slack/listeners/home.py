"""App Home: the workspace's campaigns with the gap left and the last analysis."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.services.campaign_overview import campaign_statuses
from bot.services.pending_approvals import PendingPlacement, pending_for
from bot.slack.blocks.messages import compact_url
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_view
from bot.slack.blocks.views_common import campaign_lines
from bot.store.db import transaction


def pending_lines(pending: list[PendingPlacement]) -> list[Mrkdwn]:
    icons = {"pass": ":white_check_mark:", "warn": ":warning:", "fail": ":x:"}
    return [
        Mrkdwn(
            f"{icons.get(p.verdict, '')} *Placement {p.id}* · {escape(p.keyword)} · "
            f"{link(p.prospect_url, compact_url(p.prospect_url))} · anchor “{escape(p.anchor)}” · "
            f"proposed by <@{escape(p.proposed_by)}> on {p.created_at:%Y-%m-%d}"
        )
        for p in pending
    ]


def home_view(
    runtime: Runtime, workspace_id: int, user_id: str = "", client: WebClient | None = None
) -> dict[str, Any]:
    def members(usergroup: str) -> frozenset[str]:
        if client is None:
            return frozenset()
        try:
            return frozenset(client.usergroups_users_list(usergroup=usergroup)["users"])
        except SlackApiError:
            return frozenset()

    with transaction(runtime.sessions) as session:
        statuses = campaign_statuses(session, workspace_id)
        pending = pending_for(session, workspace_id, user_id, members) if user_id else []
    return render_view(
        "home.json.j2", campaigns=campaign_lines(statuses), pending=pending_lines(pending)
    )


def publish_home(client: WebClient, runtime: Runtime, workspace_id: int, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=home_view(runtime, workspace_id, user_id, client))
