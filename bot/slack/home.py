"""App Home: the workspace's campaigns with the gap left and the last analysis."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk import WebClient

from bot.services.campaign_overview import campaign_statuses
from bot.slack.mrkdwn import environment
from bot.slack.runtime import Runtime
from bot.slack.views_common import campaign_lines
from bot.store.db import transaction


def home_view(runtime: Runtime, workspace_id: int) -> dict[str, Any]:
    with transaction(runtime.sessions) as session:
        statuses = campaign_statuses(session, workspace_id)
    text = environment().get_template("home.json.j2").render(campaigns=campaign_lines(statuses))
    view: dict[str, Any] = json.loads(text)
    return view


def publish_home(client: WebClient, runtime: Runtime, workspace_id: int, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=home_view(runtime, workspace_id))
