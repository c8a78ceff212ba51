"""The topical fit of many linking pages at once, exactly as one is read on its own.

A plan reads the fit of every prospect that could make its cut, the JSON and
the CSV of a report that of every prospect: on the largest pages some 150,000
linking pages, most with a URL and a title of their own. Their words are read
once per table (``link_words``); what depends on the keyword is done here, as
array work, and only for the words that could be the keyword's:

* **Most words cannot count.** Relevance depends only on the query's stems
  (the keyword's and the topic terms'); any other stem counts by its place and
  number. Every word with a given stem begins with a known piece of it
  (``needle``), and the index keeps words sorted by their first bytes, so the
  words worth stemming are a few ranges of it; each distinct one is stemmed
  once. A link with none of the query's stems scores exactly 0 (relevance's
  soft AND of all-zero term scores), or is unknown without any text.
* **Links that count alike score alike.** A link is read down to the query
  stems counted in its title, anchor and URL words, the proximity hits of each
  and the URL's length (``TermCounts``): links that count the same are scored
  once, all of them together by the same rule that scores one page.

``linked_pages.linking_page_fit`` is the plain rule for one link, and the tests
hold this equal to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.gap.domain_ids import Ids
from bot.gap.link_words import LinkWords, unique_rows
from bot.gap.records import LinkDetail
from bot.text import stem
from bot.vetting.relevance import TermCounts, query_of, scores

Array = npt.NDArray[np.int64]
#: What every code range ends before: four bytes past the largest.
_CODES_END = 1 << 32


def needle(query_stem: str) -> str:
    """A beginning of ``query_stem`` that every word stemming to it begins with.

    The English snowball stemmer keeps a word's beginning and rewrites at most
    its last letters: "happy" -> "happi", "hoping" -> "hope", "skies" -> "sky",
    "mobility" -> "mobl" (via "mobile"), "dying" -> "die", "ability" -> "able".
    A stem ending in a letter the rewrite may have added is cut back by as many
    letters; any other stem begins the word ("running" -> "run"), and so does a
    number (numbers skip the stemmer). ``tests/gap/test_link_fit.py`` checks the
    rule on every word of the vetting fixtures and on the irregular forms.
    """
    if query_stem.endswith(("ie", "ble")):
        return query_stem[:-2]
    if query_stem.endswith(("bl", "e", "i", "y")):
        return query_stem[:-1]
    return query_stem


def _code_range(piece: bytes) -> tuple[int, int]:
    """The codes (first four bytes, big-endian) of the words beginning with ``piece``."""
    head = piece[:4]
    low = int.from_bytes(head.ljust(4, b"\0"), "big")
    return low, low + (1 << (8 * (4 - len(head))))


class LinkFits:
    """The fits of linking pages to one keyword and its topic terms (one plan's worth)."""

    def __init__(self, keyword: str, topic_terms: tuple[str, ...] = ()) -> None:
        self.keyword = keyword
        self.topic_terms = topic_terms
        self.query = query_of(keyword, topic_terms)
        self._column = {term: column for column, term in enumerate(self.query.stems)}
        ranges = sorted(_code_range(needle(term).encode()) for term in self.query.stems)
        merged: list[list[int]] = []
        for low, high in ranges:
            if merged and low <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        #: The code ranges of the words a query stem can come from, as (start, end) pairs.
        self._bounds = np.array(
            [bound for low, high in merged for bound in (low, min(high, _CODES_END))], np.int64
        )
        #: Which query columns are the keyword's strong stems (a proximity hit needs them all).
        self._strong_mask = np.zeros(len(self.query.stems), np.bool_)
        self._strong_mask[list(self.query.strong)] = True
        #: A word's query column (-1: none), per word as bytes, for every table read.
        self._columns: dict[bytes, int] = {}

    def fits(self, links: Sequence[LinkDetail]) -> npt.NDArray[np.float64]:
        """The fit of each link, NaN for ``None`` (its words read for this call)."""
        if not links:
            return np.zeros(0)
        return self.of_rows([(LinkWords.of(links), np.arange(len(links), dtype=np.int32))])

    def of_rows(self, parts: Sequence[tuple[LinkWords, Ids]]) -> npt.NDArray[np.float64]:
        """The fit of the links at ``rows`` of each table's words, all parts end to end."""
        results: list[npt.NDArray[np.float64]] = []
        keys: list[Array] = []
        places: list[npt.NDArray[np.intp]] = []
        offset = 0
        for words, rows in parts:
            result, matched, key = self._read(words, rows)
            results.append(result)
            places.append(matched + offset)
            keys.append(key)
            offset += rows.size
        fits = np.concatenate(results) if results else np.zeros(0)
        at = np.concatenate(places) if places else np.zeros(0, np.intp)
        if at.size:
            distinct, _, inverse = unique_rows(np.concatenate(keys))
            scored = [round(score, 2) for score in self._scores(distinct).tolist()]
            fits[at] = np.array(scored)[inverse]
        return fits

    def _scores(self, keys: Array) -> npt.NDArray[np.float64]:
        size = len(self.query.stems)
        title, anchor, url = size + 1, 2 * (size + 1), 3 * (size + 1)
        return scores(
            TermCounts(
                title=keys[:, 0:size],
                headings=keys[:, title : title + size],
                body=keys[:, anchor : anchor + size],
                body_length=keys[:, url],
                title_hits=keys[:, size],
                heading_hits=keys[:, title + size],
                body_hits=keys[:, anchor + size],
            ),
            self.query,
        )

    def _read(
        self, words: LinkWords, rows: Ids
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], Array]:
        """Each row's fit where it has no query stem (0, or NaN without text), which rows do
        have one, and their keys: the counts, hits and URL length of title, anchor and URL."""
        signature, table = self._signatures(words)
        none = table.shape[0] - 1
        url, title, anchor = words.url_text[rows], words.title_text[rows], words.anchor_text[rows]
        known = (title >= 0) | (anchor >= 0) | np.append(words.known, False)[url]
        result = np.where(known, 0.0, np.nan)
        by_url, by_title, by_anchor = signature[url], signature[title], signature[anchor]
        matched = np.flatnonzero((by_url != none) | (by_title != none) | (by_anchor != none))
        width = len(self.query.stems) + 1
        key = np.hstack(
            (
                table[by_title[matched], :width],
                table[by_anchor[matched], :width],
                table[by_url[matched]],
            )
        )
        return result, matched, key

    def _signatures(self, words: LinkWords) -> tuple[Ids, Array]:
        """Per text (and one more for "no text"), the row of ``table`` that reads it; ``table``
        holds, per text with a query stem, its counts of each, its hits and its length, and a
        last row of zeros for every other text."""
        count = words.text_count
        occurrences, columns = self._candidates(words)
        found = columns >= 0
        texts, places = words.texts[occurrences[found]], words.places[occurrences[found]]
        columns = columns[found]
        # The texts holding a query stem, numbered in order (a mark per text, not a sort).
        present = np.zeros(count, np.bool_)
        present[texts] = True
        matched = np.flatnonzero(present)
        local = (np.cumsum(present) - 1)[texts]
        size = len(self.query.stems)
        counts = np.bincount(local * size + columns, minlength=matched.size * size).reshape(
            matched.size, size
        )
        hits = self._hits(local, places, columns, counts)
        table = np.zeros((matched.size + 1, size + 2), np.int64)
        table[:-1, :size] = counts
        table[:-1, size] = hits
        table[:-1, size + 1] = words.lengths[matched]
        signature = np.full(count + 1, matched.size, np.int32)
        signature[matched] = np.arange(matched.size, dtype=np.int32)
        return signature, table

    def _candidates(self, words: LinkWords) -> tuple[Array, Array]:
        """The occurrences whose word begins like a query stem (ranges of the index), and
        each one's query column (-1: none), each distinct word stemmed once."""
        found: list[Array] = []
        columns: list[Array] = []
        ranges = np.searchsorted(words.codes, self._bounds).tolist()
        for lowest, end in zip(ranges[::2], ranges[1::2], strict=True):
            if lowest == end:
                continue
            # The words of the range, each stemmed once, then spread over their occurrences.
            offsets = words.word_offsets[lowest : end + 1]
            data = words.vocabulary[offsets[0] : offsets[-1]].tobytes()
            starts = (offsets - offsets[0]).tolist()
            read = np.array(
                [self._column_of(data[a:b]) for a, b in itertools.pairwise(starts)], np.int64
            )
            occurrences = words.occurrence_offsets[lowest : end + 1]
            found.append(np.arange(occurrences[0], occurrences[-1]))
            columns.append(np.repeat(read, np.diff(occurrences)))
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found), np.concatenate(columns)

    def _column_of(self, word: bytes) -> int:
        column = self._columns.get(word)
        if column is None:
            column = self._columns[word] = self._column.get(stem(word.decode()), -1)
        return column

    def _hits(self, texts: Array, places: Ids, columns: Array, counts: Array) -> Array:
        """Per text, ``relevance.near_hits`` of the keyword's strong stems, for all at once.

        Only a text holding every strong stem can have a hit. Where each occurs once
        (titles such as "Best trail running shoes"), there is one exactly when they
        all fall within the window of the first; any other text is read in full.
        """
        hits = np.zeros(counts.shape[0], np.int64)
        strong = list(self.query.strong)
        if not strong or not texts.size:
            return hits
        span = self.query.near_span
        held = counts[:, strong]
        complete = (held > 0).all(axis=1)
        once = complete & (held == 1).all(axis=1)
        chosen = self._strong_mask[columns]
        single = chosen & once[texts]
        if single.any():
            # Each such text holds each strong stem once: a place per stem, no sort.
            first = np.full(hits.size, np.iinfo(np.int64).max, np.int64)
            last = np.full(hits.size, -1, np.int64)
            for column in strong:
                mine = single & (columns == column)
                at, place = texts[mine], places[mine]
                first[at] = np.minimum(first[at], place)
                last[at] = np.maximum(last[at], place)
            hits[once] = (last[once] - first[once] < span).astype(np.int64)
        several = chosen & (complete & ~once)[texts]
        if several.any():
            self._hits_in_full(hits, texts[several], places[several], columns[several], span)
        return hits

    def _hits_in_full(
        self, hits: Array, texts: Array, places: Ids, columns: Array, span: int
    ) -> None:
        """``near_hits`` read left to right: a place is a hit when its word is a strong stem
        and every strong stem occurs within the window from it; the next hit is looked
        for past the window of the last."""
        key = (texts << 32) | places
        order = np.argsort(key, kind="stable")
        key, kinds = key[order], columns[order]
        complete = np.ones(key.size, np.bool_)
        for column in self.query.strong:
            theirs = key[kinds == column]
            after = np.searchsorted(theirs, key)
            complete &= (after < theirs.size) & (
                theirs[np.minimum(after, theirs.size - 1)] < key + span
            )
        text, place = key[complete] >> 32, key[complete] & 0xFFFFFFFF
        while text.size:
            first = np.ones(text.size, np.bool_)
            first[1:] = text[1:] != text[:-1]
            hits[text[first]] += 1
            limit = (place[first] + span)[np.cumsum(first) - 1]
            keep = ~first & (place >= limit)
            text, place = text[keep], place[keep]
