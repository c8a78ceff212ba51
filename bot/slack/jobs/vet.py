"""The worker side of vetting: judge the placement, store it, post it for approval.

Idempotent across a restart: the placement remembers the job that created
it, and its approval message is a once-only effect of the job (looked up in
the ledger and, after a crash mid-call, in the channel by its metadata), so a
retried job finishes what the dead one started instead of doubling it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.webhook import WebhookClient

from bot.approvals.rules import ApprovalPolicy
from bot.errors import BadInput, LinkgapError
from bot.gap.domains import registrable_domain
from bot.gap.urls import host_of
from bot.runtime import Runtime
from bot.services.approvals import VETTING_MESSAGE, ApprovalTarget
from bot.services.gap_store import WorkspaceRef, load_workspace_settings
from bot.services.proposals import open_duplicate
from bot.services.providers import workspace_provider
from bot.services.vetting import campaign_case, run_vetting
from bot.slack.blocks.mrkdwn import escape
from bot.slack.jobs.placement_updates import post_approval_message, resolve_approvers
from bot.slack.listeners.oauth import client_for_workspace
from bot.store.db import transaction, write_transaction
from bot.store.models import Campaign, Workspace
from bot.store.repositories import (
    ClaimedJob,
    NewPlacement,
    create_placement,
    find_subject_message,
    get_placement,
    placement_of_job,
)
from bot.vetting import Placement, parse_placement_type

log = logging.getLogger(__name__)


def make_vet_handler(runtime: Runtime) -> Callable[[ClaimedJob], Mapping[str, Any] | None]:
    def tell(payload: Mapping[str, Any], text: str) -> None:
        if payload.get("response_url"):
            WebhookClient(str(payload["response_url"])).send(text=text, response_type="ephemeral")

    def judge_and_store(job: ClaimedJob) -> int:
        payload = job.payload
        with transaction(runtime.sessions) as session:
            campaign = session.get(Campaign, int(payload["campaign_id"]))
            workspace = session.get(Workspace, job.workspace_id)
            if campaign is None or workspace is None or campaign.workspace_id != job.workspace_id:
                raise LookupError("the campaign of this proposal is gone")
            case = campaign_case(session, campaign)
            ref = WorkspaceRef(workspace.team_id, workspace.enterprise_id)
        provider = workspace_provider(
            load_workspace_settings(runtime.sessions, ref),
            runtime.settings.linkgap_provider,
            runtime.sessions,
            ref,
            environ=runtime.environ,
        )
        placement = Placement(
            str(payload["prospect_url"]), str(payload["target_url"]),
            str(payload["anchor"]), parse_placement_type(str(payload["placement_type"])),
        )  # fmt: skip
        fetcher = runtime.page_fetcher(provider.sample_data, lambda: [placement.target_url])
        result = run_vetting(placement, case, provider=provider, fetcher=fetcher)
        checks = [{"name": c.name, "verdict": c.verdict, "reason": c.reason} for c in result.checks]
        if provider.sample_data:
            checks[0] = {
                **checks[0],
                "reason": checks[0]["reason"] + " (sample data: demo provider)",
            }
        with write_transaction(runtime.sessions) as session:
            existing = placement_of_job(session, job.workspace_id, job.id)
            if existing is not None:
                return existing.id
            # Two proposals of one page queued before either ran: the second stops here.
            duplicate = open_duplicate(
                session, job.workspace_id, int(payload["campaign_id"]),
                placement.prospect_url, placement.target_url,
            )  # fmt: skip
            if duplicate is not None:
                raise BadInput(
                    f"this page is already placement {duplicate.placement_id} for this target "
                    f"({duplicate.status}); nothing new was proposed."
                )
            stored = create_placement(
                session,
                job.workspace_id,
                NewPlacement(
                    campaign_id=int(payload["campaign_id"]),
                    prospect_url=placement.prospect_url,
                    prospect_domain=registrable_domain(host_of(placement.prospect_url)),
                    target_url=placement.target_url,
                    anchor=placement.anchor,
                    anchor_class=result.anchor_class,
                    placement_type=placement.placement_type,
                    proposed_by=str(payload["user_id"]),
                    verdict=result.verdict,
                    checks=checks,
                    note=str(payload.get("note") or ""),
                    job_id=job.id,
                ),
            )
            return stored.id

    def handle(job: ClaimedJob) -> Mapping[str, Any] | None:
        payload = job.payload
        with transaction(runtime.sessions) as session:
            existing = placement_of_job(session, job.workspace_id, job.id)
            placement_id = existing.id if existing is not None else None
        try:
            if placement_id is None:
                placement_id = judge_and_store(job)
        except LinkgapError as error:
            tell(payload, f"The placement could not be vetted: {escape(error.message)}")
            raise
        client = client_for_workspace(runtime, job.workspace_id)
        with transaction(runtime.sessions) as session:
            message = find_subject_message(session, job.workspace_id, VETTING_MESSAGE, placement_id)
            campaign = session.get(Campaign, int(payload["campaign_id"]))
            assert campaign is not None
            channel = campaign.approvals_channel_id or campaign.channel_id
            keyword, settings = campaign.keyword, campaign.settings
            target = ApprovalTarget(
                placement_id,
                campaign.id,
                frozenset(campaign.approvers or []),
                campaign.approver_usergroup,
            )
            stored = get_placement(session, job.workspace_id, placement_id)
            assert stored is not None
            session.expunge(stored)
        if message is None and channel:
            policy = ApprovalPolicy.from_campaign(resolve_approvers(client, target), settings)
            post_approval_message(
                client, runtime, job.workspace_id, stored, channel,
                keyword=keyword, policy=policy, usergroup=target.usergroup,
                effect_key=f"job:{job.id}:approval",
            )  # fmt: skip
        tell(
            payload,
            f"Placement {placement_id} vetted: *{stored.verdict}*. "
            f"Posted for approval in <#{channel}>.",
        )
        return {"placement_id": placement_id, "verdict": stored.verdict}

    return handle
