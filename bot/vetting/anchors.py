"""Anchor classes and the exact-match share rule (DESIGN section 3).

An anchor that repeats the keyword word for word is the clearest sign of a
built link, so a campaign keeps few of them; brand, naked-URL, partial and
generic anchors are what real editorial references look like. The classes are
tried in the order ``empty``, ``naked-url``, ``brand``, ``exact``, ``partial``,
``generic``, ``other``: the first that fits wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from urllib.parse import urlsplit

from bot.gap.domains import split_domain
from bot.text import STOPWORDS, normalise, stem
from bot.vetting.models import ANCHOR_CLASSES, AnchorClass
from bot.vetting.settings import DEFAULT_GENERIC_ANCHORS, VettingSettings

#: Longer anchors are refused at the edge (``bot.vetting.validation``).
MAX_ANCHOR_LENGTH = 300

# A bare domain (a URL with a scheme is parsed instead): optional www., dotted labels,
# optional port, then optionally a path, query or fragment; never a space. The host's
# public suffix is checked against the PSL afterwards, so "node.js" or "e.g" are not domains.
_URL = re.compile(
    r"""^(?:www\.)?
    (?P<host>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]{0,62}?)\.?
    (?::\d{1,5})?(?:[/?#]\S*)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_EDGE_PUNCTUATION = "()<>[]{}\"'“”‘’«».,;:!?"


def classify_anchor(
    anchor: str,
    keyword: str,
    brand_terms: Iterable[str] = (),
    generic_anchors: Iterable[str] = DEFAULT_GENERIC_ANCHORS,
) -> AnchorClass:
    """The class of ``anchor`` for a campaign's keyword and brand terms. Never raises."""
    if not anchor.strip():
        return "empty"
    if is_naked_url(anchor):
        return "naked-url"
    anchor_words = tuple(normalise(anchor).split())
    if not anchor_words:
        # Only punctuation or symbols ("→", "…"): nothing a reader could take as words.
        return "empty"
    if any(_contains(anchor_words, brand) for brand in _phrases(tuple(brand_terms))):
        return "brand"
    keyword_words = tuple(normalise(keyword).split())
    if anchor_words == keyword_words:
        return "exact"
    if _is_partial(anchor_words, keyword_words):
        return "partial"
    if " ".join(anchor_words) in _generic_set(tuple(generic_anchors)):
        return "generic"
    return "other"


def is_naked_url(anchor: str) -> bool:
    """The anchor is a URL or a bare domain, with or without scheme or ``www.``."""
    text = anchor.strip().strip(_EDGE_PUNCTUATION)
    if not text or any(ch.isspace() for ch in text):
        return False
    if text[:8].lower().startswith(("http://", "https://")):
        # With a scheme any host will do, an IP address included.
        try:
            return bool(urlsplit(text).hostname)
        except ValueError:
            return False
    match = _URL.match(text)
    if match is None:
        return False
    host = match.group("host").lower()
    try:
        domain, suffix = split_domain(host)
    except (ValueError, UnicodeError):  # pragma: no cover - tldextract on odd IDNs
        return False
    return bool(suffix) and domain != suffix


def anchor_mix(classes: Iterable[AnchorClass]) -> dict[AnchorClass, float]:
    """The share (0-1) of each anchor class, every class present, in classifier order."""
    counts = Counter(classes)
    total = sum(counts.values())
    return {name: (counts[name] / total if total else 0.0) for name in ANCHOR_CLASSES}


@dataclass(frozen=True, slots=True)
class ExactShare:
    """The exact-match count if this placement is approved, and whether the rule allows it."""

    #: Exact-match anchors among the approved and live placements, counting this one.
    exact: int
    #: Approved and live placements, counting this one.
    total: int
    #: The small-campaign count rule applied instead of the share.
    small_campaign: bool
    allowed: bool


def exact_share(history: Iterable[AnchorClass], settings: VettingSettings) -> ExactShare:
    """Whether one more exact-match anchor keeps the campaign within its limit.

    ``history`` is the anchor classes of the campaign's approved and live
    placements before this one. With at least ``small_campaign_size`` of them
    the share of exact anchors, counting this one, may not exceed
    ``exact_share_limit`` (2 of 20 is exactly 10% and passes; 2 of 19 fails).
    Below that size a share means little (1 of 3 is 33%), so the rule is a
    count: at most ``small_campaign_max_exact`` exact anchors. At the default
    boundary the two agree: with 9 earlier placements, a second exact anchor is
    2 of 10, 20%, and fails either way.
    """
    classes = list(history)
    exact = classes.count("exact") + 1
    total = len(classes) + 1
    if len(classes) < settings.small_campaign_size:
        return ExactShare(exact, total, True, exact <= settings.small_campaign_max_exact)
    allowed = Fraction(exact, total) <= _limit(settings.exact_share_limit)
    return ExactShare(exact, total, False, allowed)


@lru_cache(maxsize=64)
def _limit(share: float) -> Fraction:
    """The share as an exact fraction, so 2 of 20 is exactly 10% and does not exceed it."""
    return Fraction(str(share))


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """``phrase`` occurs in ``words`` as whole consecutive words ("acme" not in "acmeology")."""
    size = len(phrase)
    if not size or size > len(words):
        return False
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


def _is_partial(anchor_words: tuple[str, ...], keyword_words: tuple[str, ...]) -> bool:
    """Shares at least half of the keyword's content words, compared by stem ("shoe" = "shoes").

    A keyword made only of stopwords ("how to") is compared on all its words.
    """
    key = [word for word in keyword_words if word not in STOPWORDS] or list(keyword_words)
    if not key or not anchor_words:
        return False
    anchor_stems = {stem(word) for word in anchor_words}
    key_stems = {stem(word) for word in key}
    shared = len(key_stems & anchor_stems)
    return shared > 0 and 2 * shared >= len(key_stems)


@lru_cache(maxsize=256)
def _phrases(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    found = (tuple(normalise(term).split()) for term in terms)
    return tuple(phrase for phrase in found if phrase)


@lru_cache(maxsize=32)
def _generic_set(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise(phrase) for phrase in phrases)
