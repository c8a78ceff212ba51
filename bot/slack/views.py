"""Modal submissions: the workspace settings modal (admins only)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.runtime import Runtime
from bot.slack.settings_view import CALLBACK_ID, read_submission
from bot.store.db import write_transaction
from bot.store.repositories.workspaces import update_workspace_settings

log = logging.getLogger(__name__)
ONLY_ADMINS = "Only workspace admins (or people in LINKGAP_ADMINS) can save settings."


def is_settings_admin(client: WebClient, runtime: Runtime, user_id: str) -> bool:
    """Workspace admins and owners, and the people listed in ``LINKGAP_ADMINS``."""
    if user_id in runtime.settings.admins:
        return True
    try:
        user: dict[str, Any] = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        log.warning("could not check whether %s is an admin", user_id)
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def register(app: App, runtime: Runtime) -> None:
    @app.view(CALLBACK_ID)
    def save_settings(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        if not is_settings_admin(client, runtime, user_id):
            log.info("settings change by non-admin %s refused", user_id)
            ack(
                response_action="errors",
                errors={"provider": ONLY_ADMINS},
            )
            return
        settings, errors = read_submission(body.get("view", {}).get("state", {}).get("values", {}))
        if settings is None:
            ack(response_action="errors", errors=errors)
            return
        with write_transaction(runtime.sessions) as session:
            update_workspace_settings(session, int(context["workspace_id"]), settings.to_stored())
        log.info("workspace %s settings saved by %s", context["workspace_id"], user_id)
        ack()
