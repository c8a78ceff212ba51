"""``/linkgap vet``: propose a link placement; it is vetted and posted for approval.

``/linkgap vet`` alone opens a form; ``/linkgap vet <prospect-url> <target-url>
"<anchor>" [placement] [campaign N]`` vets inline. Either way the ack path only
validates and queues a job: fetching the prospect page and asking the provider
happen on the workers.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import BadInput
from bot.slack.blocks.mrkdwn import escape
from bot.slack.blocks.vet_view import vet_view
from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_lookup import campaign_for
from bot.slack.commands.parsing import Token
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import transaction
from bot.store.repositories.campaigns import list_campaigns
from bot.store.repositories.jobs import enqueue_job
from bot.vetting.models import PLACEMENT_TYPES, Placement
from bot.vetting.validation import parse_placement_type, validate_placement

USAGE = '/linkgap vet <prospect-url> <target-url> "<anchor>" [in-content|author-bio|…] [campaign N]'


def parse_vet_args(args: Sequence[Token]) -> tuple[Placement, int | None]:
    urls: list[str] = []
    anchor: list[str] = []
    placement_type = "unknown"
    campaign_id: int | None = None
    #: A quoted anchor of several words is complete: a word after it names the placement type.
    anchor_quoted = False
    rest = list(args)
    while rest:
        token = rest.pop(0)
        word = token.text.lower() if token.kind == "word" else ""
        if token.kind == "url" or (" " not in token.value and "://" in token.value):
            if len(urls) == 2:
                raise UsageError("Give two URLs: the prospect page, then your target page.", USAGE)
            urls.append(token.value)
        elif word == "campaign" and rest and rest[0].text.isdigit():
            campaign_id = int(rest.pop(0).text)
        elif word in PLACEMENT_TYPES and len(urls) == 2 and anchor:
            placement_type = word
        elif anchor_quoted and token.kind == "word":
            try:
                placement_type = parse_placement_type(token.text)
            except BadInput as error:
                raise UsageError(error.message, USAGE) from None
        else:
            anchor.append(token.text)
            anchor_quoted = anchor_quoted or len(token.text.split()) > 1
    if len(urls) < 2:
        raise UsageError("Give the prospect page's URL and your target page's URL.", USAGE)
    try:
        placement = validate_placement(
            Placement(urls[0], urls[1], " ".join(anchor), placement_type)  # type: ignore[arg-type]
        )
    except BadInput as error:
        raise UsageError(error.message, USAGE) from None
    return placement, campaign_id


def run(call: CommandCall) -> None:
    if not call.args:
        with transaction(call.runtime.sessions) as session:
            campaigns = list_campaigns(session, call.workspace_id)
        if not campaigns:
            raise UsageError(
                "Start a campaign with `/linkgap track` before proposing links.", USAGE
            )
        call.client.views_open(trigger_id=call.body["trigger_id"], view=vet_view(campaigns))
        call.ack()
        return
    placement, campaign_id = parse_vet_args(call.args)
    with transaction(call.runtime.sessions) as session:
        campaign = campaign_for(
            session, call.workspace_id, campaign_id=campaign_id,
            target_url=placement.target_url, usage=USAGE,
        )  # fmt: skip
        channel = campaign.approvals_channel_id or campaign.channel_id or call.channel_id
        enqueue_job(
            session,
            call.workspace_id,
            "vet",
            {
                "campaign_id": campaign.id,
                "prospect_url": placement.prospect_url,
                "target_url": placement.target_url,
                "anchor": placement.anchor,
                "placement_type": placement.placement_type,
                "note": "",
                "user_id": call.user_id,
                "response_url": call.body.get("response_url"),
            },
        )
    call.reply_text(
        f"Vetting the placement (anchor “{escape(placement.anchor)}”, "
        f"{placement.placement_type}); the result goes to <#{channel}> for approval."
    )
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "vet",
    USAGE,
    "Vet a proposed link placement (relevance, anchor, editorial context) and post it for "
    "emoji approval. `/linkgap vet` alone opens a form.",
    run,
    example="/linkgap vet https://www.trailrunnerdaily.com/gear-guide "
    'https://www.example.com/trail-shoes "Example" in-content',
)
