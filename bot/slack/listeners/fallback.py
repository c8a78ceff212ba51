"""The last listeners: whatever Slack sends that nothing else handles gets a 200, never a 404.

Slack counts failed deliveries (any answer but 2xx) against the app and
disables an event subscription that keeps failing; a button, a select's
options or a closed modal that gets a 404 shows the user an error. So every
event type, action, options request, shortcut and view that no listener
above took is acknowledged here and noted at debug level. Registered last:
Bolt runs the first listener that matches.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App

log = logging.getLogger(__name__)

ANY = re.compile(".*")


def _noted(kind: str, name: object) -> None:
    log.debug("no listener for %s %r: acknowledged and ignored", kind, name)


def register(app: App) -> None:
    @app.event(ANY)
    def any_event(event: dict[str, Any]) -> None:
        _noted("event", event.get("type"))

    @app.action(ANY)
    def any_action(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _noted("action", [a.get("action_id") for a in body.get("actions") or []])

    @app.options(ANY)
    def any_options(ack: Ack, body: dict[str, Any]) -> None:
        ack(options=[])
        _noted("options request", body.get("action_id"))

    @app.shortcut(ANY)
    def any_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _noted("shortcut", body.get("callback_id"))

    @app.view(ANY)
    def any_view_submission(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _noted("view submission", (body.get("view") or {}).get("callback_id"))

    @app.view_closed(ANY)
    def any_view_closed(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _noted("closed view", (body.get("view") or {}).get("callback_id"))
