"""Events API listeners: App Home opened (reactions live in ``reactions.py``)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.listeners.home import publish_home


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, runtime, int(context["workspace_id"]), str(event.get("user")))
