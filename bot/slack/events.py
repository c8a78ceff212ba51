"""Events API listeners: App Home opened; reactions are acknowledged (approvals use them)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.home import publish_home
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, runtime, int(context["workspace_id"]), str(event.get("user")))

    @app.event("reaction_added")
    def reaction_added(event: dict[str, Any]) -> None:
        log.debug("reaction %s on %s", event.get("reaction"), event.get("item", {}).get("ts"))

    @app.event("reaction_removed")
    def reaction_removed(event: dict[str, Any]) -> None:
        log.debug("reaction removed %s", event.get("reaction"))
