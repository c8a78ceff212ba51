"""Topical fit: how much a prospect page is about the campaign's topic, from 0 to 1.

A lexical score, deterministic and corpus-free (DESIGN section 3). The query
is the keyword plus the campaign's topic terms, as stems without stopwords
(``bot.text``). Three ideas, each there for a reason:

* **Fielded, saturating term scores (BM25F-style).** A stem's occurrences in
  the title and headings weigh more than in the body; the body count is
  divided by the page's length relative to a typical article; the sum
  saturates (``tf / (tf + K1)``). A long page does not win by length, nor a
  stuffed one by repetition.
* **A soft AND over the keyword's words.** The keyword is one concept: a
  marathon page full of "running" and "shoes" but with no "trail" is not about
  trail running shoes. Term scores are combined by a geometric mean (with a
  small floor), so a missing word pulls the score down hard without zeroing it.
* **Proximity.** Pages about a topic name it: the keyword's words occur
  together, within a few words of each other, again and again. A page that
  merely contains the words somewhere (a running blog that mentions "trail"
  once and "shoes" once) gets none of this half of the keyword score.

There is no IDF: one page is no corpus, and a frequency table of English large
enough to matter would outweigh the module. What IDF does in search ("the"
weighs nothing) is done by the stopword list, by a short list of weak keyword
words ("best", "guide", "review", years ...) that every commercial page carries,
and by the soft AND and proximity, which reward the keyword's words together
rather than any one common word alone.

``score = 0.6 x keyword part + 0.4 x topic part``; the keyword part only when
the campaign has no topic terms. A topic term that is a phrase ("heel drop")
counts as one concept, with the same soft AND. Calibration on the pages in
``tests/vetting/fixtures`` is in docs/vetting.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.text import stems
from bot.vetting.models import PageEvidence

#: How much one occurrence counts in each field, against one in the body.
TITLE_WEIGHT = 3.0
HEADING_WEIGHT = 2.0
#: A title counts a stem at most this many times (titles get stuffed).
TITLE_CAP = 2
#: Term saturation: a stem scores tf / (tf + K1); K1 weighted occurrences score one half.
K1 = 5.0
#: Proximity saturation: hits / (hits + K_NEAR).
K_NEAR = 2.0
#: A proximity hit: every keyword word within this many content words of the first.
NEAR_SLACK = 3
#: BM25 length normalisation: the share of the body count scaled by relative length ...
B = 0.75
#: ... against this many content words (stopwords dropped): a typical ~500-word article.
TYPICAL_BODY_WORDS = 300.0
#: The floor of the soft AND: a missing word scores as this much, then it is taken back.
AND_FLOOR = 0.15
#: The keyword's share of the score when the campaign has topic terms.
KEYWORD_SHARE = 0.5
#: Keyword words every commercial page carries; they weigh this much of a topical word
#: and are not needed for a proximity hit.
WEAK_WEIGHT = 0.25
WEAK_WORDS: frozenset[str] = frozenset(
    stems(
        "best top guide guides review reviews rated cheap cheapest free online buy buying "
        "new latest comparison compared tips ideas list near 2023 2024 2025 2026 2027 "
        "good great top-rated affordable"
    )
)


@dataclass(frozen=True, slots=True)
class _Page:
    title: Counter[str]
    headings: Counter[str]
    body: Counter[str]
    #: Token runs that a proximity window may not cross, with the weight of a hit in each.
    runs: tuple[tuple[tuple[str, ...], float], ...]
    #: The body-length normaliser of BM25.
    norm: float


def relevance(page: PageEvidence, keyword: str, topic_terms: Sequence[str] = ()) -> float:
    """Topical fit of ``page`` to ``keyword`` and ``topic_terms``, in [0, 1].

    A page that was not fetched, or has no words, scores 0: the topical-fit
    check tells "off-topic" from "unknown" with ``page.fetched`` and ``has_text``.
    """
    if not page.fetched:
        return 0.0
    return relevance_of_stems(
        stems(page.title),
        [stems(heading) for heading in page.headings],
        stems(page.main_text),
        keyword,
        topic_terms,
    )


def relevance_of_stems(
    title: Sequence[str],
    headings: Sequence[Sequence[str]],
    body: Sequence[str],
    keyword: str,
    topic_terms: Sequence[str] = (),
) -> float:
    """``relevance`` of a page already read into the stems of each field.

    Only the query's stems and the positions and number of the others count, so a
    caller scoring many short texts may pass every other stem as one placeholder
    (any string that is not a stem, such as a space) and reuse the score of texts
    that read the same.
    """
    data = _read(title, headings, body)
    keyword_stems, topics = query_stems(keyword, tuple(topic_terms))
    if not keyword_stems:
        if not topics:
            return 0.0
        return _clamp(_topic_part(data, topics))
    keyword_part = _keyword_part(data, keyword_stems)
    if not topics:
        return _clamp(keyword_part)
    return _clamp(KEYWORD_SHARE * keyword_part + (1 - KEYWORD_SHARE) * _topic_part(data, topics))


@lru_cache(maxsize=1_024)
def query_stems(
    keyword: str, topic_terms: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The keyword's distinct stems and each topic term's (terms without a stem dropped).

    Read once per query, not once per page: a plan scores thousands of pages against one.
    """
    keyword_stems = tuple(dict.fromkeys(stems(keyword)))
    topics = (tuple(dict.fromkeys(stems(term))) for term in topic_terms)
    return keyword_stems, tuple(term for term in topics if term)


def has_text(page: PageEvidence) -> bool:
    """The page carries at least one content word to judge its topic by."""
    return any(stems(text) for text in (page.title, *page.headings, page.main_text))


def _read(title: Sequence[str], headings: Sequence[Sequence[str]], body: Sequence[str]) -> _Page:
    norm = 1 - B + B * len(body) / TYPICAL_BODY_WORDS
    runs = (
        (tuple(title), TITLE_WEIGHT),
        *((tuple(heading), HEADING_WEIGHT) for heading in headings),
        (tuple(body), 1 / norm),
    )
    heading_counts: Counter[str] = Counter()
    for heading in headings:
        heading_counts.update(heading)
    return _Page(Counter(title), heading_counts, Counter(body), runs, norm)


def _term_score(term: str, page: _Page) -> float:
    weighted = (
        TITLE_WEIGHT * min(page.title[term], TITLE_CAP)
        + HEADING_WEIGHT * page.headings[term]
        + page.body[term] / page.norm
    )
    return weighted / (weighted + K1)


def _soft_and(scores: Sequence[float], weights: Sequence[float]) -> float:
    """A weighted geometric mean with a floor: every word matters, none is a veto."""
    total = sum(weights)
    logs = sum(w * math.log(s + AND_FLOOR) for s, w in zip(scores, weights, strict=True))
    return max(0.0, math.exp(logs / total) - AND_FLOOR)


def _keyword_part(page: _Page, keyword: tuple[str, ...]) -> float:
    weights = [WEAK_WEIGHT if term in WEAK_WORDS else 1.0 for term in keyword]
    terms = _soft_and([_term_score(term, page) for term in keyword], weights)
    strong = frozenset(term for term in keyword if term not in WEAK_WORDS)
    if len(strong) < 2:
        return terms
    hits = _near_hits(page, strong)
    return (terms + hits / (hits + K_NEAR)) / 2


def _near_hits(page: _Page, words: frozenset[str]) -> float:
    """Weighted count of places where all ``words`` occur within a few words of each other."""
    span = len(words) + NEAR_SLACK
    total = 0.0
    for run, weight in page.runs:
        i = 0
        while i < len(run):
            if run[i] in words and words.issubset(run[i : i + span]):
                total += weight
                i += span
            else:
                i += 1
    return total


def _topic_part(page: _Page, topics: Sequence[tuple[str, ...]]) -> float:
    scores = [
        _soft_and([_term_score(term, page) for term in topic], [1.0] * len(topic))
        for topic in topics
    ]
    return sum(scores) / len(scores)


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))
