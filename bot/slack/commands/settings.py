"""``/linkgap settings``: open the workspace settings modal (saved by admins only, in views.py)."""

from __future__ import annotations

from bot.services.workspace_settings import WorkspaceSettings
from bot.slack.blocks.settings_view import settings_view
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import Subcommand, refuse_arguments
from bot.store.db import transaction
from bot.store.models import Workspace

USAGE = "/linkgap settings"


def run(call: CommandCall) -> None:
    refuse_arguments(call, USAGE)
    with transaction(call.runtime.sessions) as session:
        workspace = session.get(Workspace, call.workspace_id)
        stored = WorkspaceSettings.from_stored(workspace.settings if workspace else None)
    # trigger_id expires 3 s after the command: open the modal before acknowledging.
    call.client.views_open(
        trigger_id=call.body["trigger_id"],
        view=settings_view(stored, call.runtime.settings.linkgap_provider),
    )
    call.ack()


SUBCOMMAND = Subcommand(
    "settings",
    USAGE,
    "Workspace settings: data provider, quality thresholds, platform list, junk patterns "
    "(admins save).",
    run,
    example=USAGE,
)
