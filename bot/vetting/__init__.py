"""Vetting a proposed link placement (DESIGN section 3): pure rules over plain data.

``vet`` runs the six checks; the edges (Slack, CLI, providers, the safe
fetcher, the store) gather the evidence and act on the result.
"""

from __future__ import annotations

from bot.vetting.anchors import (
    anchor_mix,
    classify_anchor,
    exact_share,
    is_naked_url,
)
from bot.vetting.checks import (
    check_anchor,
    check_domain_quality,
    check_editorial_context,
    check_new_referring_domain,
    check_page_relevance,
    check_topical_fit,
    topical_fit_result,
    vet,
)
from bot.vetting.models import (
    ANCHOR_CLASSES,
    CHECK_NAMES,
    PLACEMENT_TYPES,
    AnchorClass,
    CampaignContext,
    CheckName,
    CheckResult,
    PageEvidence,
    Placement,
    PlacementType,
    PriorPlacement,
    Proposal,
    ProspectSignals,
    Verdict,
    VettingResult,
    anchor_class_named,
    worst,
)
from bot.vetting.settings import (
    VettingSettings,
    merge_vetting_settings,
)
from bot.vetting.validation import (
    ProposalError,
    parse_placement_type,
    validate_anchor,
    validate_placement,
    validate_proposal,
)

__all__ = [
    "ANCHOR_CLASSES",
    "CHECK_NAMES",
    "PLACEMENT_TYPES",
    "AnchorClass",
    "CampaignContext",
    "CheckName",
    "CheckResult",
    "PageEvidence",
    "Placement",
    "PlacementType",
    "PriorPlacement",
    "Proposal",
    "ProposalError",
    "ProspectSignals",
    "Verdict",
    "VettingResult",
    "VettingSettings",
    "anchor_class_named",
    "anchor_mix",
    "check_anchor",
    "check_domain_quality",
    "check_editorial_context",
    "check_new_referring_domain",
    "check_page_relevance",
    "check_topical_fit",
    "classify_anchor",
    "exact_share",
    "is_naked_url",
    "merge_vetting_settings",
    "parse_placement_type",
    "topical_fit_result",
    "validate_anchor",
    "validate_placement",
    "validate_proposal",
    "vet",
    "worst",
]
