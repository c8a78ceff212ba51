"""``/linkgap live ID URL``: mark an approved placement live once its page really links to you.

Only the placement's proposer or an approver may, and only with a page on the
approved prospect's site (same registrable domain under the Public Suffix
List): a link elsewhere is not the placement the approvers approved. The
check fetches the page (through the safe fetcher), so it runs on the job
workers after the ack; the answer comes back to the caller privately.
"""

from __future__ import annotations

from bot.errors import BadInput
from bot.gap.domains import registrable_domain
from bot.gap.urls import host_of, validate_url
from bot.services.approvals import ApprovalTarget
from bot.services.placements import PlacementRef, find_placement
from bot.slack.commands.call import CommandCall
from bot.slack.commands.parsing import scheme_suggestion
from bot.slack.commands.placement_args import placement_number
from bot.slack.commands.router import Subcommand, UsageError
from bot.slack.jobs.placement_updates import resolve_approvers
from bot.store.db import transaction
from bot.store.repositories import enqueue_job

USAGE = "/linkgap live <placement number> <url of the page with the link>"


def check_may_mark_live(call: CommandCall, ref: PlacementRef) -> None:
    """The proposer or an approver (people or user group) of the placement's campaign."""
    if call.user_id == ref.proposed_by:
        return
    target = ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup)
    if call.user_id in resolve_approvers(call.client, target):
        return
    raise UsageError(
        f"Only the person who proposed placement {ref.placement_id} or an approver of its "
        "campaign can mark it live.",
        USAGE,
    )


def check_on_prospect_site(ref: PlacementRef, live_url: str) -> None:
    """The live page must be on the site that was vetted and approved."""
    domain = registrable_domain(host_of(live_url))
    if domain != ref.prospect_domain:
        raise UsageError(
            f"{live_url} is on {domain}, but placement {ref.placement_id} was approved on "
            f"{ref.prospect_domain}: give the address of the page on {ref.prospect_domain} "
            "that links to you.",
            USAGE,
        )


def run(call: CommandCall) -> None:
    placement_id = placement_number(call, USAGE)
    if len(call.args) != 2:
        raise UsageError("Give the placement's number and the URL of the page that links.", USAGE)
    suggestion = scheme_suggestion("live", call.args, within=2)
    if suggestion is not None:
        raise UsageError(suggestion[0], USAGE, suggestion=suggestion[1])
    try:
        live_url = validate_url(call.args[1].value, what="live page URL")
    except BadInput as error:
        raise UsageError(error.message, USAGE) from None
    ref = find_placement(call.runtime.sessions, call.workspace_id, placement_id)
    check_may_mark_live(call, ref)
    if ref.status not in {"approved", "live", "lost"}:
        raise UsageError(
            f"Placement {placement_id} is {ref.status}: only approved placements can go live.",
            USAGE,
        )
    check_on_prospect_site(ref, live_url)
    with transaction(call.runtime.sessions) as session:
        enqueue_job(
            session,
            call.workspace_id,
            "live",
            {
                "placement_id": placement_id,
                "live_url": live_url,
                "user_id": call.user_id,
                "response_url": call.body.get("response_url"),
            },
        )
    call.reply_text(f"Checking that the page links to placement {placement_id}'s target…")
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "live",
    USAGE,
    "Mark an approved placement live (its proposer or an approver): linkgap checks the page, "
    "on the approved prospect's site, really links to your target.",
    run,
    example="/linkgap live 1 https://www.trailrunnerdaily.com/gear-guide",
)
