"""Taking in a proposed placement from Slack, the same way from the command and the form.

Validation is ``validate_proposal`` (the CLI's too); then a proposal that
repeats an open placement is answered with a link to that placement's
approval message instead of being vetted and posted again.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.errors import BadInput
from bot.services.proposals import OpenPlacement, open_duplicate
from bot.slack.blocks.mrkdwn import Mrkdwn, link
from bot.store.models import Campaign
from bot.vetting import Placement, Proposal, validate_proposal


class DuplicateProposal(BadInput):
    """The page is already proposed (or approved, or live) for this target.

    ``message`` links to the approval message; ``plain`` is for a form's field error.
    """

    def __init__(self, message: str, plain: str) -> None:
        super().__init__(message)
        self.plain = plain


def accept_proposal(
    session: Session,
    client: WebClient,
    workspace_id: int,
    campaign: Campaign,
    typed: Proposal | Placement,
) -> Placement:
    """The validated proposal, or ``ProposalError`` / ``DuplicateProposal`` saying why not."""
    placement = validate_proposal(typed)
    existing = open_duplicate(
        session, workspace_id, campaign.id, placement.prospect_url, placement.target_url
    )
    if existing is not None:
        plain = (
            f"This page is already placement {existing.placement_id} for this target "
            f"({existing.status}): see its approval message."
        )
        raise DuplicateProposal(duplicate_message(client, existing), plain)
    return placement


def duplicate_message(client: WebClient, existing: OpenPlacement) -> Mrkdwn:
    """Which placement already stands for this page, with a link to its approval message."""
    where = ""
    if existing.channel_id and existing.ts:
        try:
            found = client.chat_getPermalink(channel=existing.channel_id, message_ts=existing.ts)
            where = f": {link(str(found['permalink']), 'see its approval message')}"
        except (SlackApiError, KeyError):
            where = f" in <#{existing.channel_id}>"
    return Mrkdwn(
        f"This page is already placement {existing.placement_id} for this target "
        f"({existing.status}){where}. Nothing new was proposed."
    )
