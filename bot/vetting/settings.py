"""Vetting settings: DESIGN section 3's defaults and the per-campaign overrides.

Settings are data, as in ``bot.gap.settings``: a campaign stores only what it
changed, ``merge_vetting_settings`` lays it over the defaults in one place and
refuses unknown keys and out-of-range values, so a typo never passes silently.
The junk lists start from the gap analysis's defaults so a domain that is junk
in an analysis is junk when proposed as a placement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from bot.errors import BadInput
from bot.gap.settings import DEFAULT_JUNK_PATTERNS, DEFAULT_SPAM_SUFFIXES
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
_RATINGS = {"pass_domain_rating", "min_domain_rating", "spam_score_limit"}
_SHARES = {"pass_topical_fit", "min_topical_fit", "exact_share_limit"}
_COUNTS = {"small_campaign_size": 1, "small_campaign_max_exact": 0}


def merge_vetting_settings(
    base: VettingSettings, *overrides: Mapping[str, Any] | None
) -> VettingSettings:
    """Apply workspace and campaign overrides, in order, over ``base``.

    ``placement_verdicts`` is merged type by type, so a campaign that only
    accepts author bios writes ``{"placement_verdicts": {"author-bio": "pass"}}``.
    The pairs of thresholds are checked together after merging: a pass bar
    below its fail bar is refused rather than silently reordered.
    """
    known = {f.name for f in fields(VettingSettings)}
    result = base
    for override in overrides:
        if not override:
            continue
        changes: dict[str, Any] = {}
        for key, value in override.items():
            if key not in known:
                raise BadInput(
                    f"Unknown vetting setting '{key}'. Known settings: {', '.join(sorted(known))}."
                )
            if key == "placement_verdicts":
                changes[key] = _merge_placements(result.placement_verdicts, value)
            else:
                changes[key] = _coerce(key, value)
        result = replace(result, **changes)
    _check_order(result)
    return result


def _coerce(key: str, value: Any) -> Any:
    if key in _TUPLE_FIELDS:
        items = value.split(",") if isinstance(value, str) else list(value)
        cleaned = [" ".join(str(item).split()).lower() for item in items]
        if key != "generic_anchors":
            cleaned = [item.lstrip(".") for item in cleaned]
        return tuple(dict.fromkeys(item for item in cleaned if item))
    if isinstance(value, bool):
        raise BadInput(f"Setting '{key}' must be a number, got {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"Setting '{key}' must be a number, got {value!r}.") from None
    if key in _RATINGS and not 0 <= number <= 100:
        raise BadInput(f"Setting '{key}' must be between 0 and 100, got {value!r}.")
    if key in _SHARES and not 0 <= number <= 1:
        raise BadInput(f"Setting '{key}' must be between 0 and 1 (0.25 = 25%), got {value!r}.")
    if key in _COUNTS:
        least = _COUNTS[key]
        if number < least or number != int(number):
            raise BadInput(
                f"Setting '{key}' must be a whole number of at least {least}, got {value!r}."
            )
        return int(number)
    return number


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
