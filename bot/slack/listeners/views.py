"""Modal submissions: workspace settings (admins only) and proposed placements."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.slack.blocks.settings_view import CALLBACK_ID, read_submission
from bot.slack.blocks.vet_view import CALLBACK_ID as VET_CALLBACK_ID
from bot.slack.blocks.vet_view import read_vet_submission
from bot.slack.commands.proposals import DuplicateProposal, accept_proposal
from bot.store.db import transaction, write_transaction
from bot.store.repositories import enqueue_job, get_campaign, update_workspace_settings
from bot.vetting import Proposal, ProposalError

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

    @app.view(VET_CALLBACK_ID)
    def propose_placement(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        submission, errors = read_vet_submission(
            body.get("view", {}).get("state", {}).get("values", {})
        )
        if submission is None:
            ack(response_action="errors", errors=errors)
            return
        workspace_id = int(context["workspace_id"])
        with transaction(runtime.sessions) as session:
            campaign = get_campaign(session, workspace_id, submission.campaign_id)
            if campaign is None or campaign.archived_at is not None:
                ack(
                    response_action="errors", errors={"campaign": "That campaign no longer exists."}
                )
                return
            typed = Proposal(
                submission.prospect_url,
                submission.target_url or campaign.target_url,
                submission.anchor,
                submission.placement_type,
            )
            try:
                placement = accept_proposal(session, client, workspace_id, campaign, typed)
            except ProposalError as error:
                shown: dict[str, str] = {f: m[:150] for f, m in error.errors.items()}
                ack(response_action="errors", errors=shown)
                return
            except DuplicateProposal as error:
                ack(response_action="errors", errors={"prospect_url": error.plain[:150]})
                return
            enqueue_job(
                session,
                workspace_id,
                "vet",
                {
                    "campaign_id": campaign.id,
                    "prospect_url": placement.prospect_url,
                    "target_url": placement.target_url,
                    "anchor": placement.anchor,
                    "placement_type": placement.placement_type,
                    "note": submission.note,
                    "user_id": user_id,
                    "response_url": None,
                },
            )
        ack()
        runtime.notify_worker()
