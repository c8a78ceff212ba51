"""Vetting settings: DESIGN section 3's defaults and the per-campaign overrides.

Settings are data, as in ``bot.gap.settings``: a campaign stores only what it
changed, ``merge_vetting_settings`` lays it over the defaults in one place and
refuses unknown keys and out-of-range values, so a typo never passes silently.
The junk lists start from the gap analysis's defaults so a domain that is junk
in an analysis is junk when proposed as a placement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.errors import BadInput
from bot.gap.settings import DEFAULT_JUNK_PATTERNS, DEFAULT_SPAM_SUFFIXES
from bot.overrides import NumberRule, apply_overrides, number, term_list
from bot.vetting.models import PLACEMENT_TYPES, VERDICTS, PlacementType, Verdict

#: Anchors that say "there is a link here" and nothing about the page. Compared after
#: the anchor normalisation (case, punctuation, curly quotes), so "Read more »" is "read more".
DEFAULT_GENERIC_ANCHORS: tuple[str, ...] = (
    "click here", "click", "here", "over here", "right here", "this", "link", "this link",
    "the link", "read more", "read this", "read on", "more", "more here", "more info",
    "more information", "more details", "details", "learn more", "learn how",
    "find out more", "find out how", "see more", "see here", "see this", "go here",
    "this article", "the article", "article", "this guide", "the guide", "guide",
    "this post", "the post", "post", "this blog post", "blog post", "this blog", "blog",
    "this page", "page", "this site", "site", "this website", "the website", "website",
    "web site", "their website", "their site", "official website", "official site",
    "homepage", "home page", "visit", "visit site", "visit website", "visit the site",
    "visit the website", "visit their website", "go to website", "check it out",
    "check this out", "check out", "source", "the source", "sources", "via", "reference",
    "citation", "url", "this resource", "resource", "this study", "this report",
    "this one", "full article", "full story", "full review", "read the full article",
    "read the article", "read the post", "read full review", "continue reading",
    "keep reading", "download", "download here", "get started", "sign up", "here's how",
    "according to", "this tool", "these", "this list",
)  # fmt: skip

#: DESIGN section 3: in the text is editorial; bios, sidebars and unknown spots are doubtful;
#: footers, comments and directories are not recommendations at all.
DEFAULT_PLACEMENT_VERDICTS: Mapping[PlacementType, Verdict] = MappingProxyType(
    {
        "in-content": "pass",
        "author-bio": "warn",
        "sidebar": "warn",
        "unknown": "warn",
        "footer": "fail",
        "comment": "fail",
        "directory": "fail",
    }
)


@dataclass(frozen=True)
class VettingSettings:
    """Thresholds and lists of DESIGN section 3, with its defaults."""

    #: A domain rating at or above this passes.
    pass_domain_rating: float = 30.0
    #: A domain rating below this fails; between the two warns.
    min_domain_rating: float = 10.0
    #: Substrings of a domain's name that mark link farms and SEO tools (as in the analysis).
    junk_patterns: tuple[str, ...] = DEFAULT_JUNK_PATTERNS
    #: Public suffixes that are mostly spam.
    spam_suffixes: tuple[str, ...] = DEFAULT_SPAM_SUFFIXES
    #: Registrable domains the campaign never takes links from.
    blocklist: tuple[str, ...] = ()
    #: A provider spam score (0-100) at or above this fails the domain.
    spam_score_limit: float = 60.0
    #: Topical fit (0-1) at or above this passes.
    pass_topical_fit: float = 0.25
    #: Topical fit below this fails; between the two warns.
    min_topical_fit: float = 0.10
    #: The largest share of exact-match anchors among approved and live placements.
    exact_share_limit: float = 0.10
    #: With fewer approved/live placements than this, the share rule gives way to a count.
    small_campaign_size: int = 10
    #: ... and a small campaign may hold at most this many exact-match anchors.
    small_campaign_max_exact: int = 1
    #: Anchors of the ``generic`` class.
    generic_anchors: tuple[str, ...] = DEFAULT_GENERIC_ANCHORS
    #: The editorial-context verdict of each placement type.
    placement_verdicts: Mapping[PlacementType, Verdict] = field(
        default_factory=lambda: DEFAULT_PLACEMENT_VERDICTS
    )


_TUPLE_FIELDS = {"junk_patterns", "spam_suffixes", "blocklist", "generic_anchors"}
_SHARE = NumberRule(0, 1, hint=" (0.25 = 25%)")
_RULES = {
    "pass_domain_rating": NumberRule(0, 100),
    "min_domain_rating": NumberRule(0, 100),
    "spam_score_limit": NumberRule(0, 100),
    "pass_topical_fit": _SHARE,
    "min_topical_fit": _SHARE,
    "exact_share_limit": _SHARE,
    "small_campaign_size": NumberRule(1, whole=True),
    "small_campaign_max_exact": NumberRule(0, whole=True),
}


def merge_vetting_settings(
    base: VettingSettings, *overrides: Mapping[str, Any] | None
) -> VettingSettings:
    """Apply workspace and campaign overrides, in order, over ``base``.

    ``placement_verdicts`` is merged type by type, so a campaign that only
    accepts author bios writes ``{"placement_verdicts": {"author-bio": "pass"}}``.
    The pairs of thresholds are checked together after merging: a pass bar
    below its fail bar is refused rather than silently reordered.
    """
    result = apply_overrides(base, overrides, kind="vetting", coerce=_coerce)
    _check_order(result)
    return result


def _coerce(key: str, value: Any, current: VettingSettings) -> Any:
    if key == "placement_verdicts":
        return _merge_placements(current.placement_verdicts, value)
    if key in _TUPLE_FIELDS:
        return term_list(value, strip_leading_dots=key != "generic_anchors")
    return number(key, value, _RULES.get(key, NumberRule(0)))


def _merge_placements(
    current: Mapping[PlacementType, Verdict], value: Any
) -> Mapping[PlacementType, Verdict]:
    if not isinstance(value, Mapping):
        raise BadInput(
            "Setting 'placement_verdicts' must map placement types to verdicts, "
            'for example {"author-bio": "pass"}.'
        )
    merged: dict[PlacementType, Verdict] = dict(current)
    for raw_type, raw_verdict in value.items():
        placement = str(raw_type).strip().lower()
        verdict = str(raw_verdict).strip().lower()
        if placement not in PLACEMENT_TYPES:
            raise BadInput(
                f"Unknown placement type '{raw_type}'. "
                f"Valid placement types: {', '.join(PLACEMENT_TYPES)}."
            )
        if verdict not in VERDICTS:
            raise BadInput(
                f"Placement type '{placement}' must map to one of "
                f"{', '.join(VERDICTS)}, got {raw_verdict!r}."
            )
        merged[placement] = verdict
    return MappingProxyType(merged)


def _check_order(settings: VettingSettings) -> None:
    if settings.min_domain_rating > settings.pass_domain_rating:
        raise BadInput(
            f"'min_domain_rating' ({settings.min_domain_rating:g}) cannot be above "
            f"'pass_domain_rating' ({settings.pass_domain_rating:g})."
        )
    if settings.min_topical_fit > settings.pass_topical_fit:
        raise BadInput(
            f"'min_topical_fit' ({settings.min_topical_fit:g}) cannot be above "
            f"'pass_topical_fit' ({settings.pass_topical_fit:g})."
        )
