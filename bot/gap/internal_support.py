"""Internal support: which pages of your own site link to the page, and which could.

External links work better when the site's own relevant pages point at the page, so
the report counts the crawled pages that link to it (with their anchors) and lists
internal link opportunities: pages that talk about the keyword or a topic term and do
not link to the page yet, each with the sentence where a link could go.

Pure: it reads crawled pages as plain data (``SitePage``) and never fetches.

Rules (docs/method.md states them with a worked example):

- a page *links here* when one of its links is the target page after URL
  normalisation (scheme, ``www.``, trailing slash and fragment ignored); the target
  itself never counts;
- a sentence *mentions* a phrase (the keyword or a topic term) when every content
  word of the phrase occurs in it as the same stem ("trail shoes for running"
  mentions "trail running shoes");
- an *opportunity* is a page that does not link here and has at least one sentence
  mentioning the keyword or a topic term; the sentence offered is the first one
  mentioning the keyword, else the first mentioning the most topic terms;
- opportunities are listed keyword mentions first, then by how many of the page's
  sentences mention a phrase, then by address; at most ``max_opportunities``;
- support is *weak* when fewer than ``weak_below`` pages link here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.gap.models import Flag
from bot.gap.urls import normalise_url
from bot.text import stems

#: Fewer linking pages than this and the report flags internal support as weak.
WEAK_BELOW = 3
#: The report and the JSON list at most this many opportunities.
MAX_OPPORTUNITIES = 20
#: A sentence longer than this is shown cut, with an ellipsis.
MAX_SENTENCE_CHARS = 280
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+")


@dataclass(frozen=True, slots=True)
class SiteLink:
    """One link found on a crawled page: where it goes and its anchor text."""

    url: str
    anchor: str


@dataclass(frozen=True, slots=True)
class SitePage:
    """One crawled page of the site: its address, its links and its prose blocks."""

    url: str
    links: tuple[SiteLink, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkingPage:
    """A page of the site that links to the target, with the anchors it uses."""

    url: str
    anchors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A page that could link to the target, and the sentence where the link could go."""

    url: str
    sentence: str


@dataclass(frozen=True, slots=True)
class InternalSupport:
    """What the crawl of the site says about links into the target page."""

    pages_crawled: int
    linking_pages: tuple[LinkingPage, ...]
    opportunities: tuple[Opportunity, ...]
    weak: bool


def internal_support(
    pages: Sequence[SitePage],
    target_url: str,
    keyword: str,
    topic_terms: Sequence[str] = (),
    *,
    weak_below: int = WEAK_BELOW,
    max_opportunities: int = MAX_OPPORTUNITIES,
) -> InternalSupport:
    """Count the pages linking to ``target_url`` and list the opportunities (rules above)."""
    target = normalise_url(target_url)
    keyword_stems = _phrase(keyword)
    terms = [stem_set for term in topic_terms if (stem_set := _phrase(term))]
    terms = [term for term in dict.fromkeys(terms) if term != keyword_stems]
    linking: list[LinkingPage] = []
    ranked: list[tuple[int, int, str, str]] = []
    seen: set[str] = {target}
    for page in pages:
        key = normalise_url(page.url)
        if key in seen:
            continue
        seen.add(key)
        anchors = [link.anchor for link in page.links if normalise_url(link.url) == target]
        if anchors:
            linking.append(LinkingPage(page.url, tuple(dict.fromkeys(anchors))))
            continue
        found = _best_sentence(page.paragraphs, keyword_stems, terms)
        if found is not None:
            sentence, about_keyword, mentions = found
            ranked.append((0 if about_keyword else 1, -mentions, page.url, sentence))
    ranked.sort(key=lambda entry: entry[:3])
    return InternalSupport(
        pages_crawled=len(seen) - 1,
        linking_pages=tuple(sorted(linking, key=lambda page: page.url)),
        opportunities=tuple(
            Opportunity(url, sentence) for _, _, url, sentence in ranked[:max_opportunities]
        ),
        weak=len(linking) < weak_below,
    )


def internal_support_flags(support: InternalSupport | None, crawl_error: str | None) -> list[Flag]:
    """The report's flag when internal support is weak, or could not be measured."""
    if support is None:
        if crawl_error is None:
            return []
        return [
            Flag(
                "internal-support-unknown",
                f"Your site could not be crawled for internal support ({crawl_error}).",
            )
        ]
    if not support.weak:
        return []
    count = len(support.linking_pages)
    crawled = f"{support.pages_crawled:,} crawled"
    if count == 0:
        found = f"None of the {crawled} pages of your site links to your page"
    else:
        verb = "links" if count == 1 else "link"
        found = f"Only {count} of the {crawled} pages of your site {verb} to your page"
    could = len(support.opportunities)
    hint = (
        f"{could} of your pages {'mentions' if could == 1 else 'mention'} the topic "
        "without linking: start there"
        if could
        else "link to it from your relevant pages"
    )
    return [
        Flag(
            "weak-internal-support",
            f"{found}; {hint}. External links work better when your own pages support the page.",
        )
    ]


def sentences(paragraph: str) -> list[str]:
    """A prose block split after ``.``, ``!``, ``?`` or ``…`` (and any closing quote)."""
    return [part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip()]


def _phrase(text: str) -> frozenset[str]:
    return frozenset(stems(text))


def _best_sentence(
    paragraphs: Iterable[str], keyword: frozenset[str], terms: Sequence[frozenset[str]]
) -> tuple[str, bool, int] | None:
    """The sentence to offer, whether it names the keyword, and how many sentences qualified."""
    best: tuple[str, int] | None = None
    keyword_sentence: str | None = None
    mentions = 0
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            words = set(stems(sentence))
            names_keyword = bool(keyword) and keyword <= words
            term_hits = sum(1 for term in terms if term <= words)
            if not names_keyword and not term_hits:
                continue
            mentions += 1
            if names_keyword and keyword_sentence is None:
                keyword_sentence = sentence
            if best is None or term_hits > best[1]:
                best = (sentence, term_hits)
    if keyword_sentence is not None:
        return _shorten(keyword_sentence), True, mentions
    if best is not None:
        return _shorten(best[0]), False, mentions
    return None


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    return sentence[: MAX_SENTENCE_CHARS - 1].rsplit(" ", 1)[0] + "…"
