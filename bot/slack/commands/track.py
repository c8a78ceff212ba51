"""``/linkgap track "<keyword>" <url> [options]``: start a campaign, or resume an untracked one.

The campaign is stored in one transaction with its first analysis queued, so
it either exists complete with a report on the way, or not at all. The
options are ``edit``'s too (``campaign_options``); the confirmation echoes
every stored setting.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from bot.errors import BadInput
from bot.services.gap import GapRequest
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link
from bot.slack.blocks.views_common import campaign_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_options import CampaignOptions, parse_campaign_options
from bot.slack.commands.gap import gap_job_payload, parse_gap_args
from bot.slack.commands.parsing import Token
from bot.slack.commands.references import check_references
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import write_transaction
from bot.store.repositories import CampaignSpec, create_campaign, enqueue_job, resume_campaign

log = logging.getLogger(__name__)

USAGE = (
    '/linkgap track "<keyword>" <url> [#channel] [approvals #channel] [approvers @a @b @group] '
    '[brand "Acme"] [topic "trail" "running"] [quorum 2] [digest monday 09:00] '
    "[tz Europe/Berlin]"
)
_PASSTHROUGH = {"--country", "--language"}


def split_track_args(args: Sequence[Token]) -> tuple[list[Token], list[Token]]:
    """The keyword, URL and ``--country``/``--language`` (for the analysis), then the options."""
    gap_args: list[Token] = []
    options: list[Token] = []
    rest = list(args)
    seen_url = False
    while rest:
        token = rest.pop(0)
        word = token.value.lower().partition("=")[0] if token.kind == "word" else ""
        if not seen_url:
            gap_args.append(token)
            seen_url = token.kind == "url"
        elif word in _PASSTHROUGH:
            gap_args.append(token)
            if rest and "=" not in token.value:
                gap_args.append(rest.pop(0))
        else:
            options.append(token)
    return gap_args, options


def profile_timezone(call: CommandCall) -> str:
    """The caller's time zone from their Slack profile; UTC when Slack cannot tell."""
    try:
        user: dict[str, Any] = call.client.users_info(user=call.user_id).get("user") or {}
        zone = user.get("tz")
        if isinstance(zone, str) and zone:
            ZoneInfo(zone)
            return zone
    except (SlackApiError, ZoneInfoNotFoundError, ValueError):
        log.warning("could not read the time zone of %s; using UTC", call.user_id)
    return "UTC"


def _spec(call: CommandCall, request: GapRequest, options: CampaignOptions) -> CampaignSpec:
    channel = options.channel_id or call.channel_id
    return CampaignSpec(
        keyword=request.keyword,
        target_url=request.target_url,
        country=request.country,
        language=request.language,
        channel_id=channel,
        approvals_channel_id=options.approvals_channel_id or channel,
        approvers=options.approvers or ([] if options.approver_usergroup else [call.user_id]),
        approver_usergroup=options.approver_usergroup,
        brand_terms=options.brand_terms or [],
        topic_terms=options.topic_terms or [],
        timezone=options.timezone or profile_timezone(call),
        digest_weekday=0 if options.digest_weekday is None else options.digest_weekday,
        digest_hour=9 if options.digest_hour is None else options.digest_hour,
        digest_minute=options.digest_minute or 0,
        settings={"quorum": options.quorum} if options.quorum is not None else {},
    )


def run(call: CommandCall) -> None:
    gap_args, option_tokens = split_track_args(call.args)
    request = parse_gap_args(gap_args, USAGE, command="track")
    options = parse_campaign_options(option_tokens, USAGE)
    check_references(call.client, option_tokens, USAGE)
    spec = _spec(call, request, options)
    try:
        with write_transaction(call.runtime.sessions) as session:
            campaign = resume_campaign(session, call.workspace_id, spec)
            resumed = campaign is not None
            if campaign is None:
                campaign = create_campaign(
                    session, call.workspace_id, spec, created_by=call.user_id
                )
            enqueue_job(
                session,
                call.workspace_id,
                "gap",
                gap_job_payload(call, request, spec.channel_id or call.channel_id, campaign.id),
            )
            campaign_id = campaign.id
            headline = Mrkdwn(
                f":pushpin: Campaign *{campaign_id}* "
                f"{'tracks again' if resumed else 'tracks'} *{escape(request.keyword)}* for "
                f"{link(request.target_url)}. The first analysis is on its way."
                + (" Its history is kept." if resumed else "")
            )
            blocks = campaign_blocks(headline, campaign)
    except BadInput as error:
        raise UsageError(error.message, USAGE) from None
    call.announce(blocks, f"Tracking campaign {campaign_id}")
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "track",
    USAGE,
    "Start a campaign: a weekly digest (Mondays 09:00 in your time zone unless `digest` and "
    "`tz` say otherwise) to the channel, approvers and their quorum for link placements, "
    "brand and topic terms for vetting. Runs a first analysis now; tracking an untracked "
    "campaign's keyword and page again resumes it.",
    run,
    example='/linkgap track "trail running shoes" https://www.example.com/trail-shoes #seo '
    'approvers @ben brand "Example"',
    options=("--country", "--language"),
)
