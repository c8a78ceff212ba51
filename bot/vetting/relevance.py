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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

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
    query = query_of(keyword, tuple(topic_terms))
    return float(scores(counts_of(title, headings, body, query), query)[0])


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


@dataclass(frozen=True)
class Query:
    """The keyword and topic terms as columns of term counts (``TermCounts``).

    ``stems`` names the columns; the rest says which column plays which part.
    """

    stems: tuple[str, ...]
    #: Column of each distinct keyword stem, and its weight in the keyword's soft AND.
    keyword: tuple[int, ...]
    keyword_weights: tuple[float, ...]
    #: Columns of the keyword's strong stems when there are two or more (a proximity hit
    #: needs them all), else none: no proximity part.
    strong: tuple[int, ...]
    #: Columns of each topic term's stems.
    topics: tuple[tuple[int, ...], ...]

    @property
    def near_span(self) -> int:
        """A proximity window: the strong stems plus the slack."""
        return len(self.strong) + NEAR_SLACK


@lru_cache(maxsize=1_024)
def query_of(keyword: str, topic_terms: tuple[str, ...] = ()) -> Query:
    """The columns of ``keyword`` and ``topic_terms`` (read once per query)."""
    keyword_stems, topics = query_stems(keyword, topic_terms)
    columns = tuple(dict.fromkeys((*keyword_stems, *(s for topic in topics for s in topic))))
    at = {term: column for column, term in enumerate(columns)}
    strong = tuple(at[term] for term in keyword_stems if term not in WEAK_WORDS)
    return Query(
        stems=columns,
        keyword=tuple(at[term] for term in keyword_stems),
        keyword_weights=tuple(WEAK_WEIGHT if t in WEAK_WORDS else 1.0 for t in keyword_stems),
        strong=strong if len(strong) >= 2 else (),
        topics=tuple(tuple(at[term] for term in topic) for topic in topics),
    )


@dataclass(frozen=True)
class TermCounts:
    """Pages read down to what their score depends on, one row per page.

    The query's stems counted in each field (columns of ``Query.stems``), the
    number of content words of the body and the proximity hits of each field
    (``near_hits``): any other stem counts only by its place and number, so
    pages that count the same score the same, and many are scored at once.
    """

    title: npt.NDArray[np.int64]
    headings: npt.NDArray[np.int64]
    body: npt.NDArray[np.int64]
    body_length: npt.NDArray[np.int64]
    title_hits: npt.NDArray[np.int64]
    heading_hits: npt.NDArray[np.int64]
    body_hits: npt.NDArray[np.int64]


def scores(counts: TermCounts, query: Query) -> npt.NDArray[np.float64]:
    """The relevance of each page of ``counts``, in [0, 1]: one rule for one page or many."""
    size = counts.body_length.shape[0]
    norm = 1 - B + B * counts.body_length / TYPICAL_BODY_WORDS
    weighted = (
        TITLE_WEIGHT * np.minimum(counts.title, TITLE_CAP)
        + HEADING_WEIGHT * counts.headings
        + counts.body / norm[:, None]
    )
    term = weighted / (weighted + K1)
    if not query.keyword:
        if not query.topics:
            return np.zeros(size)
        return _clamp(_topic_part(term, query.topics))
    keyword_part = _soft_and(term[:, list(query.keyword)], query.keyword_weights)
    if query.strong:
        hits = (
            TITLE_WEIGHT * counts.title_hits
            + HEADING_WEIGHT * counts.heading_hits
            + counts.body_hits / norm
        )
        keyword_part = (keyword_part + hits / (hits + K_NEAR)) / 2
    if not query.topics:
        return _clamp(keyword_part)
    return _clamp(
        KEYWORD_SHARE * keyword_part + (1 - KEYWORD_SHARE) * _topic_part(term, query.topics)
    )


def _soft_and(term: npt.NDArray[np.float64], weights: Sequence[float]) -> npt.NDArray[np.float64]:
    """A weighted geometric mean with a floor: every word matters, none is a veto."""
    logs = np.log(term + AND_FLOOR) @ np.array(weights)
    result: npt.NDArray[np.float64] = np.maximum(0.0, np.exp(logs / sum(weights)) - AND_FLOOR)
    return result


def _topic_part(
    term: npt.NDArray[np.float64], topics: Sequence[tuple[int, ...]]
) -> npt.NDArray[np.float64]:
    parts = [_soft_and(term[:, list(topic)], [1.0] * len(topic)) for topic in topics]
    result: npt.NDArray[np.float64] = sum(parts[1:], parts[0]) / len(parts)
    return result


def near_hits(run: Sequence[str], words: frozenset[str], span: int) -> int:
    """Places in ``run`` where all ``words`` occur within ``span`` words of the first of them.

    Read left to right: once a place is found, the next is looked for after its window.
    """
    found = 0
    i = 0
    while i < len(run):
        if run[i] in words and words.issubset(run[i : i + span]):
            found += 1
            i += span
        else:
            i += 1
    return found


def counts_of(
    title: Sequence[str],
    headings: Sequence[Sequence[str]],
    body: Sequence[str],
    query: Query,
) -> TermCounts:
    """One page's stems read down to ``TermCounts`` (a single row)."""
    strong = frozenset(query.stems[column] for column in query.strong)

    def row(*runs: Sequence[str]) -> npt.NDArray[np.int64]:
        counts: Counter[str] = Counter()
        for run in runs:
            counts.update(run)
        return np.array([[counts[term] for term in query.stems]], np.int64).reshape(1, -1)

    def hits(*runs: Sequence[str]) -> npt.NDArray[np.int64]:
        total = sum(near_hits(run, strong, query.near_span) for run in runs) if strong else 0
        return np.array([total], np.int64)

    return TermCounts(
        title=row(title),
        headings=row(*headings),
        body=row(body),
        body_length=np.array([len(body)], np.int64),
        title_hits=hits(title),
        heading_hits=hits(*headings),
        body_hits=hits(body),
    )


def _clamp(score: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    result: npt.NDArray[np.float64] = np.clip(score, 0.0, 1.0)
    return result
