"""The "propose a placement" modal: built from the workspace's campaigns, read back into a job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks.mrkdwn import render_view
from bot.slack.blocks.view_state import field_value
from bot.store.models import Campaign
from bot.vetting import PLACEMENT_TYPES

CALLBACK_ID = "linkgap_vet"


@dataclass(frozen=True)
class CampaignOption:
    id: int
    label: str


def vet_view(
    campaigns: Sequence[Campaign],
    *,
    prospect_url: str = "",
    target_url: str = "",
    campaign_id: int | None = None,
) -> dict[str, Any]:
    """The form, empty or filled in (a plan's "Propose" button gives the page and the target).

    The campaign shown first is ``campaign_id`` when given, else the first one.
    """
    options = [CampaignOption(c.id, f"{c.id} · {c.keyword}") for c in campaigns]
    chosen = next((o for o in options if o.id == campaign_id), options[0])
    return render_view(
        "vet_modal.json.j2",
        campaigns=options,
        chosen=chosen,
        placement_types=PLACEMENT_TYPES,
        prospect_url=prospect_url[:3000],
        target_url=target_url[:3000],
    )


@dataclass(frozen=True)
class VetSubmission:
    campaign_id: int
    prospect_url: str
    target_url: str | None
    anchor: str
    placement_type: str
    note: str


def read_vet_submission(state: dict[str, Any]) -> tuple[VetSubmission | None, dict[str, str]]:
    """What a submitted form asks for, or the errors to show next to each field.

    Only read here: the values are judged by ``validate_proposal``, as the
    slash command's and the CLI's are, once the campaign (and so the default
    target) is known.
    """
    campaign = field_value(state, "campaign")
    if not campaign.isdigit():
        return None, {"campaign": "Choose a campaign."}
    return (
        VetSubmission(
            campaign_id=int(campaign),
            prospect_url=field_value(state, "prospect_url"),
            target_url=field_value(state, "target_url") or None,
            anchor=field_value(state, "anchor"),
            placement_type=field_value(state, "placement_type") or "unknown",
            note=field_value(state, "note")[:1000],
        ),
        {},
    )
