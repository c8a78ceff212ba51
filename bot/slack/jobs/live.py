"""The worker side of ``/linkgap live``: fetch the page, find the link, mark the placement live."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.webhook import WebhookClient

from bot.errors import FetchRefused
from bot.runtime import Runtime
from bot.services.approvals import ApprovalTarget
from bot.services.placements import find_placement, mark_live, page_links_to
from bot.services.workspace_settings import WorkspaceSettings
from bot.slack.blocks.mrkdwn import escape
from bot.slack.jobs.placement_updates import refresh_approval_message
from bot.slack.listeners.oauth import client_for_workspace
from bot.store.db import transaction
from bot.store.models import Workspace
from bot.store.repositories import ClaimedJob
from bot.store.types import utc_now


def _sample_data(runtime: Runtime, workspace_id: int) -> bool:
    """Whether the workspace uses the demo provider (its pages come from the sample web)."""
    with transaction(runtime.sessions) as session:
        row = session.get(Workspace, workspace_id)
        stored = WorkspaceSettings.from_stored(row.settings if row else None)
    return (stored.provider or runtime.settings.linkgap_provider) == "demo"


def make_live_handler(runtime: Runtime) -> Callable[[ClaimedJob], Mapping[str, Any] | None]:
    def tell(payload: Mapping[str, Any], text: str) -> None:
        if payload.get("response_url"):
            WebhookClient(str(payload["response_url"])).send(text=text, response_type="ephemeral")

    def handle(job: ClaimedJob) -> Mapping[str, Any] | None:
        payload = job.payload
        placement_id = int(payload["placement_id"])
        live_url = str(payload["live_url"])
        ref = find_placement(runtime.sessions, job.workspace_id, placement_id)
        try:
            fetcher = runtime.page_fetcher(
                _sample_data(runtime, job.workspace_id), lambda: [ref.target_url]
            )
            found, links = page_links_to(fetcher, live_url, ref.target_url)
        except FetchRefused as error:
            tell(payload, f"Could not check {escape(live_url)}: {escape(error.message)}")
            return {"live": False, "reason": error.message}
        if not found:
            tell(
                payload,
                f"The page {escape(live_url)} has {links} links but none to "
                f"{escape(ref.target_url)}, so placement {placement_id} stays {ref.status}.",
            )
            return {"live": False, "links": links}
        if not mark_live(runtime.sessions, job.workspace_id, placement_id, live_url, utc_now()):
            tell(payload, f"Placement {placement_id} is no longer approved; nothing changed.")
            return {"live": False}
        client = client_for_workspace(runtime, job.workspace_id)
        target = ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup)
        refresh_approval_message(
            client,
            runtime,
            job.workspace_id,
            target,
            thread_note=f"Live at {escape(live_url)}, checked for <@{payload.get('user_id')}>.",
            # Keyed by the job: a resumed check marks it live again, and notes it once.
            note_key=f"job:{job.id}:live-note",
        )
        tell(payload, f"Placement {placement_id} is live: the page links to your target.")
        return {"live": True}

    return handle
