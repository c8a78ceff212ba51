"""The "propose a placement" modal: built from the workspace's campaigns, read back into a job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import BadInput
from bot.gap.urls import validate_url
from bot.slack.blocks.mrkdwn import render_view
from bot.slack.blocks.view_state import field_value
from bot.store.models import Campaign
from bot.vetting.models import PLACEMENT_TYPES
from bot.vetting.validation import parse_placement_type, validate_anchor

CALLBACK_ID = "linkgap_vet"


@dataclass(frozen=True)
class CampaignOption:
    id: int
    label: str


def vet_view(campaigns: Sequence[Campaign]) -> dict[str, Any]:
    options = [CampaignOption(c.id, f"{c.id} · {c.keyword}") for c in campaigns]
    return render_view("vet_modal.json.j2", campaigns=options, placement_types=PLACEMENT_TYPES)


@dataclass(frozen=True)
class VetSubmission:
    campaign_id: int
    prospect_url: str
    target_url: str | None
    anchor: str
    placement_type: str
    note: str


def read_vet_submission(state: dict[str, Any]) -> tuple[VetSubmission | None, dict[str, str]]:
    """The proposal a submitted form asks for, or the errors to show next to each field."""
    errors: dict[str, str] = {}
    campaign = field_value(state, "campaign")
    if not campaign.isdigit():
        errors["campaign"] = "Choose a campaign."
    checks = {
        "prospect_url": lambda v: validate_url(v, what="prospect URL"),
        "anchor": validate_anchor,
        "placement_type": parse_placement_type,
    }
    values: dict[str, str] = {}
    for block_id, check in checks.items():
        try:
            values[block_id] = str(check(field_value(state, block_id)))
        except BadInput as error:
            errors[block_id] = error.message[:150]
    target = field_value(state, "target_url") or None
    if target is not None:
        try:
            target = validate_url(target, what="target URL")
        except BadInput as error:
            errors["target_url"] = error.message[:150]
    if errors:
        return None, errors
    return (
        VetSubmission(
            campaign_id=int(campaign),
            prospect_url=values["prospect_url"],
            target_url=target,
            anchor=values["anchor"],
            placement_type=values["placement_type"],
            note=field_value(state, "note")[:1000],
        ),
        {},
    )
