"""``/linkgap vet``: propose a link placement; it is vetted and posted for approval.

``/linkgap vet`` alone opens a form; ``/linkgap vet <prospect-url> <target-url>
"<anchor>" [placement] [campaign N]`` vets inline. Either way the ack path only
validates and queues a job: fetching the prospect page and asking the provider
happen on the workers.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.slack.blocks.mrkdwn import escape
from bot.slack.blocks.vet_view import vet_view
from bot.slack.commands.call import CommandCall
from bot.slack.commands.campaign_lookup import campaign_for
from bot.slack.commands.parsing import Token, scheme_suggestion
from bot.slack.commands.proposals import accept_proposal
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import transaction
from bot.store.repositories import enqueue_job, list_campaigns
from bot.vetting import Proposal, ProposalError, validate_proposal

USAGE = (
    '/linkgap vet <prospect-url> <target-url> "<anchor>" '
    "[in-content|author-bio|sidebar|footer|comment|directory|unknown] [campaign N]"
)


def parse_vet_args(args: Sequence[Token]) -> tuple[Proposal, int | None]:
    """Two URLs, the anchor (quoted, or one word), then the placement type and ``campaign N``.

    The placement type may be several words (``Author Bio``, ``in content``);
    whatever follows the anchor must be one, so nothing is ever swallowed into
    the anchor. The result is only parsed: ``validate_proposal`` judges it.
    """
    rest = list(args)
    campaign_id = _take_campaign(rest)
    urls: list[str] = []
    while rest and len(urls) < 2 and _is_url(rest[0]):
        urls.append(rest.pop(0).value)
    if len(urls) < 2:
        _refuse_missing_urls(args, urls)
    if rest and _is_url(rest[0]):
        raise UsageError(
            "Give two URLs: the prospect page, then your target page (a third was given).", USAGE
        )
    anchor = rest.pop(0).text if rest else ""
    placement_words = [token.text for token in rest]
    for token in rest:
        if token.kind != "word" or token.quoted:
            raise UsageError(
                f"I don't understand “{token.text[:60]}” after the anchor: put a several-word "
                'anchor in quotes ("best trail shoes"), then the placement type.',
                USAGE,
            )
    placement_type = " ".join(placement_words) or "unknown"
    return Proposal(urls[0], urls[1], anchor, placement_type), campaign_id


def _is_url(token: Token) -> bool:
    return token.kind == "url" or (not token.quoted and "://" in token.value)


def _take_campaign(rest: list[Token]) -> int | None:
    """Remove ``campaign N`` (anywhere after the URLs) and return N."""
    for index, token in enumerate(rest[:-1]):
        if token.kind == "word" and not token.quoted and token.value.lower() == "campaign":
            number = rest[index + 1].text.lstrip("#")
            if not number.isdigit():
                raise UsageError(f"`campaign` needs a number, not “{number[:40]}”.", USAGE)
            del rest[index : index + 2]
            return int(number)
    return None


def _refuse_missing_urls(args: Sequence[Token], urls: list[str]) -> None:
    """Name an address typed without ``https://``; otherwise say which URL is missing."""
    suggestion = scheme_suggestion("vet", args, within=2)
    if suggestion is not None:
        raise UsageError(suggestion[0], USAGE, suggestion=suggestion[1])
    missing = "your target page's URL" if urls else "the prospect page's URL and your target's"
    raise UsageError(f"Give {missing}, before the anchor.", USAGE)


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
    typed, campaign_id = parse_vet_args(call.args)
    try:
        checked = validate_proposal(typed)  # before the campaign is looked up by the target
    except ProposalError as error:
        raise UsageError(error.message, USAGE) from None
    with transaction(call.runtime.sessions) as session:
        campaign = campaign_for(
            session, call.workspace_id, campaign_id=campaign_id,
            target_url=checked.target_url, usage=USAGE,
        )  # fmt: skip
        try:
            placement = accept_proposal(session, call.client, call.workspace_id, campaign, checked)
        except ProposalError as error:
            raise UsageError(error.message, USAGE) from None
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
