"""Refusals at the edge of vetting: what a proposal must look like before it is judged.

The Slack command and the CLI call these on what a marketer typed, so a bad
proposal is refused with a message that says how to fix it (``BadInput``)
instead of being judged on nonsense. Whether an address is private or internal
is the safe fetcher's business, not this module's.
"""

from __future__ import annotations

from dataclasses import replace

from bot.errors import BadInput
from bot.gap.urls import validate_url
from bot.vetting.anchors import MAX_ANCHOR_LENGTH
from bot.vetting.models import PLACEMENT_TYPES, Placement, PlacementType


def parse_placement_type(text: str) -> PlacementType:
    """A placement type from what a person typed: case, spaces and underscores forgiven."""
    candidate = "-".join(text.strip().lower().replace("_", " ").split())
    if candidate not in PLACEMENT_TYPES:
        raise BadInput(
            f"Unknown placement type {text.strip()!r}. "
            f"Valid placement types: {', '.join(PLACEMENT_TYPES)}."
        )
    return candidate


def validate_anchor(anchor: str) -> str:
    """The anchor as given, refused when longer than any real anchor text."""
    if len(anchor.strip()) > MAX_ANCHOR_LENGTH:
        raise BadInput(
            f"The anchor text is {len(anchor.strip())} characters long; the limit is "
            f"{MAX_ANCHOR_LENGTH}. Give the linked words, not the sentence around them."
        )
    return anchor


def validate_placement(placement: Placement) -> Placement:
    """The placement with trimmed URLs and a known placement type, or ``BadInput``."""
    return replace(
        placement,
        prospect_url=validate_url(placement.prospect_url, what="prospect URL"),
        target_url=validate_url(placement.target_url, what="target URL"),
        anchor=validate_anchor(placement.anchor),
        placement_type=parse_placement_type(placement.placement_type),
    )
