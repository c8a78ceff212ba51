"""``/linkgap track "<keyword>" <url> [#channel] [approvers @a] [brand "Acme"]``: start a campaign.

The campaign is stored in one transaction with its first analysis queued, so
it either exists complete with a report on the way, or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from bot.errors import BadInput
from bot.slack.blocks.mrkdwn import render_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.gap import gap_job_payload, parse_gap_args
from bot.slack.commands.parsing import Token
from bot.slack.commands.router import Subcommand, UsageError, closest_name
from bot.store.db import write_transaction
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.jobs import enqueue_job

log = logging.getLogger(__name__)

USAGE = (
    '/linkgap track "<keyword>" <url> [#channel] [approvals #channel] [approvers @a @b @group] '
    '[brand "Acme"] [tz Europe/Berlin]'
)
_OPTIONS = {"approvers", "approvals", "brand", "tz", "timezone", "topic"}
_PASSTHROUGH = {"--country", "--language"}


@dataclass
class TrackArgs:
    gap_args: list[Token] = field(default_factory=list)
    channel_id: str | None = None
    approvals_channel_id: str | None = None
    approvers: list[str] = field(default_factory=list)
    approver_usergroup: str | None = None
    brand_terms: list[str] = field(default_factory=list)
    topic_terms: list[str] = field(default_factory=list)
    timezone: str | None = None


def parse_track_args(args: Sequence[Token]) -> TrackArgs:
    parsed = TrackArgs()
    rest = list(args)
    seen_url = False
    while rest:
        token = rest.pop(0)
        word = token.value.lower() if token.kind == "word" else ""
        if not seen_url:
            parsed.gap_args.append(token)
            seen_url = token.kind == "url"
        elif word in _PASSTHROUGH:
            parsed.gap_args.append(token)
            if rest:
                parsed.gap_args.append(rest.pop(0))
        elif token.kind == "channel":
            parsed.channel_id = token.value
        elif word == "approvals":
            if rest and rest[0].kind == "word" and rest[0].text.startswith("#"):
                raise UsageError(_not_understood(rest[0]), USAGE)
            if not rest or rest[0].kind != "channel":
                raise UsageError(
                    "`approvals` needs a channel, e.g. approvals #link-approvals.", USAGE
                )
            parsed.approvals_channel_id = rest.pop(0).value
        elif word == "approvers":
            while rest and rest[0].kind in {"user", "usergroup"}:
                who = rest.pop(0)
                if who.kind == "user":
                    parsed.approvers.append(who.value)
                else:
                    parsed.approver_usergroup = who.value
            if rest and rest[0].kind == "word" and rest[0].text.startswith("@"):
                raise UsageError(_not_understood(rest[0]), USAGE)
            if not parsed.approvers and parsed.approver_usergroup is None:
                raise UsageError(
                    "`approvers` needs people or a user group, e.g. approvers @ana @ben.", USAGE
                )
        elif word in {"brand", "topic"}:
            terms = parsed.brand_terms if word == "brand" else parsed.topic_terms
            while rest and _is_term(rest[0]):
                terms.extend(term.strip() for term in rest.pop(0).text.split(",") if term.strip())
            if not terms:
                raise UsageError(f'`{word}` needs at least one term, e.g. {word} "Acme".', USAGE)
        elif word in {"tz", "timezone"}:
            if not rest:
                raise UsageError("`tz` needs a time zone name such as Europe/Berlin.", USAGE)
            parsed.timezone = rest.pop(0).text
        else:
            raise UsageError(_not_understood(token), USAGE)
    return parsed


def _is_term(token: Token) -> bool:
    """A brand or topic term: a word that is not the next option, channel or mention."""
    if token.kind != "word":
        return False
    if token.quoted:
        return True
    return token.value.lower() not in _OPTIONS and not token.value.startswith(("#", "@", "--"))


def _not_understood(token: Token) -> str:
    """Name what was wrong: a channel or person Slack did not link, or an unknown option."""
    text = token.text[:60]
    if token.kind == "word" and not token.quoted and text.startswith("#"):
        return f"I can't see {text}: invite me or check the name."
    if token.kind == "word" and not token.quoted and text.startswith("@"):
        return (
            f"I don't know {text}: pick people and user groups from Slack's suggestions "
            "as you type @, so they arrive as mentions."
        )
    meant = closest_name(text, _OPTIONS) if token.kind == "word" and not token.quoted else None
    if meant is not None:
        return f"I don't understand “{text}” here. Did you mean `{meant}`?"
    return (
        f"I don't understand “{text}” here. Options after the URL: "
        + ", ".join(f"`{name}`" for name in sorted(_OPTIONS))
        + "."
    )


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


def run(call: CommandCall) -> None:
    parsed = parse_track_args(call.args)
    request = parse_gap_args(parsed.gap_args, USAGE, command="track")
    timezone = parsed.timezone or profile_timezone(call)
    channel = parsed.channel_id or call.channel_id
    spec = CampaignSpec(
        keyword=request.keyword,
        target_url=request.target_url,
        country=request.country,
        language=request.language,
        channel_id=channel,
        approvals_channel_id=parsed.approvals_channel_id or channel,
        approvers=parsed.approvers or ([] if parsed.approver_usergroup else [call.user_id]),
        approver_usergroup=parsed.approver_usergroup,
        brand_terms=parsed.brand_terms,
        topic_terms=parsed.topic_terms,
        timezone=timezone,
    )
    try:
        with write_transaction(call.runtime.sessions) as session:
            campaign = create_campaign(session, call.workspace_id, spec, created_by=call.user_id)
            enqueue_job(
                session,
                call.workspace_id,
                "gap",
                gap_job_payload(call, request, channel, campaign.id),
            )
            campaign_id = campaign.id
    except BadInput as error:
        raise UsageError(error.message, USAGE) from None
    blocks = render_blocks(
        "track_done.json.j2",
        campaign_id=campaign_id,
        keyword=request.keyword,
        target_url=request.target_url,
        channel_id=channel,
        approvals_channel_id=spec.approvals_channel_id,
        approvers=list(spec.approvers),
        approver_usergroup=spec.approver_usergroup,
        brand_terms=spec.brand_terms,
        timezone=timezone,
    )
    call.ack(response_type="in_channel", blocks=blocks, text=f"Tracking campaign {campaign_id}")
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "track",
    USAGE,
    "Start a campaign: a weekly digest (Mondays 09:00 in your time zone) to the channel, "
    "approvers for link placements, brand terms for anchors. Runs a first analysis now.",
    run,
    example='/linkgap track "trail running shoes" https://www.example.com/trail-shoes #seo '
    'approvers @ben brand "Example"',
    options=("--country", "--language"),
)
