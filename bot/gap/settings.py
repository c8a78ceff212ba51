"""Analysis settings: the defaults of the method and the per-workspace overrides.

Settings are data. A workspace (and later a campaign) stores only what it
changed; ``merge_settings`` lays those overrides over the defaults in one
place, and rejects anything it does not know so a typo never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.overrides import NumberRule, apply_overrides, number, term_list, yes_or_no

DEFAULT_PLATFORMS: tuple[str, ...] = (
    "amazon", "ebay", "walmart", "etsy", "aliexpress", "wikipedia", "youtube", "reddit",
    "quora", "facebook", "instagram", "linkedin", "pinterest", "x.com", "twitter", "tiktok",
    "medium", "github",
)  # fmt: skip

#: Words of a domain name that mark link farms, link directories and SEO-tool
#: mirrors (``bot.gap.junk_names``): a plain word must be a whole word of the name,
#: ``*`` stands for any letters inside a word. The known names after the stems are
#: tool mirrors and directories whose name is one word.
DEFAULT_JUNK_PATTERNS: tuple[str, ...] = (
    "seo", "*backlink*", "linkdir*", "*directory", "*directories", "webstat*",
    "siteprice*", "websiteworth*", "whois*", "statshow*", "similarsite*", "sitelike*",
    "siteslike*", "hypestat", "cutestat", "statscrop", "statvoo", "websiteoutlook",
    "websiteinformer", "siteworthtraffic", "worthofweb", "sitedossier", "markosweb",
    "trafficestimate", "estibot", "robtex", "smallseotools", "prepostseo",
    "seositecheckup", "seomastering", "seoprofiler", "seoreviewtools", "openlinkprofiler",
    "dmoztools",
)  # fmt: skip

DEFAULT_SPAM_SUFFIXES: tuple[str, ...] = (
    "xyz", "top", "click", "buzz", "loan", "work", "gq", "cf", "tk", "ml", "ga",
)  # fmt: skip


@dataclass(frozen=True)
class GapSettings:
    """Thresholds and lists of DESIGN section 2, with its defaults."""

    #: Platform names (match the registrable domain's name in every country variant)
    #: or full domains (``x.com``) whose results are not realistic comparables.
    platforms: tuple[str, ...] = DEFAULT_PLATFORMS
    #: Referring domains rated below this are junk; unrated ones are kept.
    min_domain_rating: float = 10.0
    #: Words of a domain's name that mark link farms and SEO tools (``*`` = any letters).
    junk_patterns: tuple[str, ...] = DEFAULT_JUNK_PATTERNS
    #: Public suffixes that are mostly spam.
    spam_suffixes: tuple[str, ...] = DEFAULT_SPAM_SUFFIXES
    #: Registrable domains that never count.
    blocklist: tuple[str, ...] = ()
    #: A provider spam score (0-100) at or above this marks the domain as spam.
    spam_score_limit: float = 60.0
    #: Count a domain whose every live link is nofollow, UGC or sponsored toward quality.
    #: Off by default: such links pass no authority, so they do not close a gap.
    count_nofollow: bool = False
    #: A prospect links to at least this many comparable competitor pages.
    prospect_min_competitors: int = 2
    #: How many organic results make "page one".
    page_one_size: int = 10
    #: The spread flag fires when the strongest comparable page has more than this
    #: many times the quality RDs of the weakest.
    spread_ratio: float = 10.0
    #: The site-strength flag fires below this share of the comparable median rating.
    site_strength_ratio: float = 0.5
    #: Days of snapshot history that velocity looks back over.
    velocity_window_days: int = 90


_TUPLE_FIELDS = {"platforms", "junk_patterns", "spam_suffixes", "blocklist"}
_BOOLEAN_FIELDS = {"count_nofollow"}
_RULES = {
    "min_domain_rating": NumberRule(0, 100),
    "spam_score_limit": NumberRule(0, 100),
    "prospect_min_competitors": NumberRule(1, whole=True),
    "page_one_size": NumberRule(1, whole=True),
    "velocity_window_days": NumberRule(1, whole=True),
}


def merge_settings(base: GapSettings, *overrides: Mapping[str, Any] | None) -> GapSettings:
    """Apply workspace and campaign overrides, in order, over ``base``.

    Lists are normalised (trimmed, lower-cased, de-duplicated); numbers are
    checked for range so a bad value is refused with the field's name.
    """
    return apply_overrides(base, overrides, kind="analysis", coerce=_coerce)


def _coerce(key: str, value: Any, current: GapSettings) -> Any:
    if key in _TUPLE_FIELDS:
        return term_list(value)
    if key in _BOOLEAN_FIELDS:
        return yes_or_no(key, value)
    return number(key, value, _RULES.get(key, NumberRule(0)))
