"""Buttons: "Approve anyway" on the private note an approver gets for a failed placement,
and "Propose" on a link plan's entries (opens the vet form filled in).

Pressing it approves the placement through the approvals service (an override
vote naming the overruled checks), then updates the approval message and
records the override in its thread; the private note is replaced by what
happened, so a second press has nothing to press.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import BadInput
from bot.gap.urls import normalise_url
from bot.runtime import Runtime
from bot.services.approvals import ApprovalTarget, approve_anyway
from bot.services.placements import find_placement
from bot.slack.blocks.approval_notices import APPROVE_ANYWAY_ACTION
from bot.slack.blocks.mrkdwn import escape
from bot.slack.blocks.plan_blocks import PROPOSE_ACTION, read_propose_value
from bot.slack.blocks.vet_view import vet_view
from bot.slack.jobs.placement_updates import refresh_approval_message, resolve_approvers
from bot.store.db import transaction
from bot.store.repositories import list_campaigns
from bot.store.types import utc_now

log = logging.getLogger(__name__)


def _placement_id(body: dict[str, Any]) -> int | None:
    actions = body.get("actions") or []
    value = str(actions[0].get("value", "")) if actions else ""
    return int(value) if value.isdigit() else None


def replace_note(respond: Respond, text: str) -> None:
    """Replace the note the button was on with what happened (blocks too, so no button stays)."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    respond(text=text, blocks=[section], replace_original=True)


def register(app: App, runtime: Runtime) -> None:
    @app.action(PROPOSE_ACTION)
    def propose_from_plan(
        ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
    ) -> None:
        """Open the vet form with the plan entry's page and target, on the target's campaign."""
        ack()
        actions = body.get("actions") or []
        prospect, target = read_propose_value(str(actions[0].get("value", "")) if actions else "")
        with transaction(runtime.sessions) as session:
            campaigns = list_campaigns(session, int(context["workspace_id"]))
        if not campaigns:
            respond(
                text='Start a campaign for this page with `/linkgap track "<keyword>" <url>` '
                "first: a proposed placement is vetted against a campaign.",
                replace_original=False,
                response_type="ephemeral",
            )
            return
        key = normalise_url(target) if target else ""
        campaign_id = next((c.id for c in campaigns if normalise_url(c.target_url) == key), None)
        client.views_open(
            trigger_id=str(body.get("trigger_id", "")),
            view=vet_view(
                campaigns, prospect_url=prospect, target_url=target, campaign_id=campaign_id
            ),
        )

    @app.action(APPROVE_ANYWAY_ACTION)
    def approve_failed_placement(
        ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
    ) -> None:
        ack()
        user_id = str((body.get("user") or {}).get("id", ""))
        workspace_id = int(context["workspace_id"])
        placement_id = _placement_id(body)
        if placement_id is None:
            replace_note(respond, "That button names no placement; nothing changed.")
            return
        try:
            ref = find_placement(runtime.sessions, workspace_id, placement_id)
        except BadInput as error:
            replace_note(respond, escape(error.message))
            return
        target = ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup)
        approvers = resolve_approvers(client, target)
        outcome = approve_anyway(
            runtime.sessions, workspace_id, placement_id,
            approvers=approvers, user_id=user_id, now=utc_now(),
        )  # fmt: skip
        if outcome.refusal:
            log.info(
                "approve anyway on %s by %s refused: %s", placement_id, user_id, outcome.refusal
            )
            # A new note: the one with the button stays as it was, since nothing changed.
            respond(text=f"{escape(outcome.refusal)} Nothing changed.", replace_original=False)
            return
        checks = escape(", ".join(outcome.checks))
        if not outcome.approved:
            replace_note(
                respond,
                f"Your approval of placement {placement_id} is recorded with the override "
                f"({checks}); it needs more approvals to reach the quorum.",
            )
            return
        replace_note(
            respond,
            f"Placement {placement_id} approved anyway; the failed checks ({checks}) "
            "are recorded with your name.",
        )
        refresh_approval_message(
            client,
            runtime,
            workspace_id,
            target,
            approvers=approvers,
            thread_note=f"Placement {placement_id} approved anyway by <@{user_id}> although "
            f"vetting failed: {checks}.",
        )
