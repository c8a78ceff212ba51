"""The topical fit of many linking pages at once, exactly as one is read on its own.

A plan reads the fit of every prospect that could make its cut: on the largest
pages some 150,000 linking pages, most with their own URL and title, so a
cache of whole texts or of their fits rarely gets a second hit. What makes it
affordable is that the score depends only on the query's stems:

* **Most links cannot score.** Relevance is a soft AND over the query's terms:
  a text with none of the keyword's or topic terms' stems scores exactly 0.
  Every word with a given stem begins with a known piece of it (``needle``),
  so one regular-expression search over all the links' texts at once finds
  the words worth stemming, and only the links holding a query stem are read;
  the rest are 0 (or unknown, without any text) without being tokenised.
* **The texts that can score read alike.** Any stem outside the query counts
  only by its place and number (and its place only in a field holding every
  strong keyword stem, where a proximity hit is possible), so each field is
  reduced to what counts and texts that reduce to the same are scored once.

``LinkFits.fit`` is the exact rule for one link (``linked_pages.linking_page_fit``
computes the same without the shortcuts, and the tests hold them equal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from urllib.parse import unquote

import numpy as np
import numpy.typing as npt

from bot.gap.records import LinkDetail
from bot.text import STOPWORDS, stem, words
from bot.vetting.relevance import WEAK_WORDS, query_stems, relevance_of_stems

#: What a stem outside the query reads as (a stem is never a space).
OTHER = " "
#: Between the texts searched at once (a text holding it is searched on its own).
_SEPARATOR = "\x00"

#: A URL's path: after the scheme and host, up to the query or fragment. ``urlsplit``
#: does the same and much more (netloc checks, IPv6, caching), five times slower, and a
#: plan reads the path of every candidate's linking pages.
_PATH = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*([^?#]*)|^([^?#]*)")
_PATH_BREAKS = re.compile(r"[/\-_\s]+")
_NOT_BREAK = re.compile(r"[^/\-_\s]")
#: A URL whose path words need no Unicode folding, percent-decoding or apostrophe joining.
_PLAIN_URL = re.compile(r"[^%'`\x80-\U0010ffff]*")
_ALNUM = re.compile(r"[a-z0-9]+")

_Reduced = tuple[str, ...]


def path_words(url: str) -> str:
    """The words of a URL's path: ``/blog/trail-shoes-2026`` reads ``blog trail shoes 2026``."""
    return " ".join(word for word in _PATH_BREAKS.split(unquote(_path(url))) if word)


def _path(url: str) -> str:
    match = _PATH.match(url)
    return (match.group(1) if match.group(1) is not None else match.group(2)) if match else ""


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


class LinkFits:
    """The fits of linking pages to one keyword and its topic terms (one plan's worth)."""

    def __init__(self, keyword: str, topic_terms: tuple[str, ...] = ()) -> None:
        self.keyword = keyword
        self.topic_terms = topic_terms
        keyword_stems, topics = query_stems(keyword, topic_terms)
        self._query = frozenset(keyword_stems).union(*topics)
        strong = frozenset(term for term in keyword_stems if term not in WEAK_WORDS)
        #: The stems a proximity hit needs (none when it takes fewer than two: no hits).
        self._strong = strong if len(strong) >= 2 else frozenset()
        pieces = {needle(term).encode() for term in self._query}
        #: The words a query stem can come from; ``None`` when a needle is empty (any word).
        self._words_pattern = (
            None
            if b"" in pieces
            else re.compile(
                rb"(?<![a-z0-9])(?:" + b"|".join(map(re.escape, sorted(pieces))) + rb")[a-z0-9]*"
            )
        )
        self._verdicts: dict[bytes, bool] = {}
        self._words: dict[str, str | None] = {}
        self._scores: dict[tuple[_Reduced, _Reduced, _Reduced, int], float] = {}
        self._fields: dict[str, tuple[_Reduced, int]] = {}
        self._urls: dict[str, tuple[_Reduced, int, bool]] = {}

    def fit(self, linking_url: str | None, title: str | None, anchor: str | None) -> float | None:
        """The fit of one linking page, rounded to 2 places; ``None`` when it has no text."""
        return self._fit(linking_url, title, anchor, 7)

    def fits(self, links: Sequence[LinkDetail]) -> npt.NDArray[np.float64]:
        """``fit`` of each link, NaN for ``None``."""
        size = len(links)
        result = np.zeros(size)
        if not size:
            return result
        columns = [list(map(itemgetter(at), links)) for at in (0, 2, 1)]  # URL, title, anchor
        # Each distinct text is searched once (roundup pages repeat their URL and title,
        # anchors repeat across sites), then its verdict is spread back to its links.
        distinct = [list(dict.fromkeys(column)) for column in columns]
        verdicts = self._may_score(list(chain.from_iterable(distinct)))
        # Per link, one bit per field that may hold a query stem (URL 1, title 2, anchor 4)
        # and whether its title or anchor has any text: small ints and bools, no new objects.
        texts_known = np.fromiter(map(bool, chain.from_iterable(distinct)), bool, verdicts.size)
        found = np.zeros(size, np.intp)
        has_words = np.zeros(size, bool)
        offset = 0
        for bit, column, texts in zip((1, 2, 4), columns, distinct, strict=True):
            place = dict(zip(texts, range(offset, offset + len(texts)), strict=True))
            inverse = np.fromiter(map(place.__getitem__, column), np.intp, size)
            found |= bit * verdicts[inverse]
            if bit != 1:
                has_words |= texts_known[inverse]
            offset += len(texts)
        # A link ruled out is 0 when it has a title or an anchor; without them its URL decides.
        urls, titles, anchors = columns
        read = np.flatnonzero(found.astype(bool) | ~has_words)
        for at, fields in zip(read.tolist(), found[read].tolist(), strict=True):
            fit = self._fit(urls[at], titles[at], anchors[at], fields)
            result[at] = np.nan if fit is None else fit
        return result

    def _fit(
        self,
        linking_url: str | None,
        title: str | None,
        anchor: str | None,
        found: int,
    ) -> float | None:
        """``fit``, told which of URL (bit 1), title (2) and anchor (4) may hold a query stem
        (``_may_score``): one that cannot adds no stem, and only the URL's length is read."""
        body, length, has_body = (
            self._url(linking_url, bool(found & 1)) if linking_url else ((), 0, False)
        )
        if not (title or anchor or has_body):
            return None
        title_shape = self._field(title)[0] if title and found & 2 else ()
        anchor_shape = self._field(anchor)[0] if anchor and found & 4 else ()
        key = (title_shape, anchor_shape, body, length)
        score = self._scores.get(key)
        if score is None:
            title_run, anchor_run, body_run, length = key
            headings = (anchor_run,) if anchor_run else ()
            body_run += (OTHER,) * (length - len(body_run))
            relevance = relevance_of_stems(
                title_run, headings, body_run, self.keyword, self.topic_terms
            )
            score = self._scores[key] = round(relevance, 2)
        return score

    def _may_score(self, texts: list[str | None]) -> npt.NDArray[np.bool_]:
        """Which texts have a word stemming to a query stem (or may have one).

        One byte string of the texts, lower-cased, searched once for the words that
        begin with a needle; each such word is stemmed (once per distinct word). A
        text that is not plain ASCII without apostrophes and ``%`` is always read:
        Unicode folding, joined words and percent-encoding are the normaliser's to
        decide. ``None`` reads as "None", which can only add a link.
        """
        size = len(texts)
        if not self._query:
            return np.zeros(size, bool)
        if self._words_pattern is None:
            return np.ones(size, bool)
        data = _SEPARATOR.join(map(str, texts)).encode().lower()
        codes = np.frombuffer(data, np.uint8)
        breaks = np.flatnonzero(codes == 0)
        if breaks.size != size - 1:
            return np.ones(size, bool)
        unplain = (codes >= 128) | (codes == ord("'")) | (codes == ord("`")) | (codes == ord("%"))
        flagged = np.zeros(size, bool)
        flagged[np.searchsorted(breaks, np.flatnonzero(unplain))] = True
        verdicts = self._verdicts
        found = []
        for match in self._words_pattern.finditer(data):
            word = match.group()
            verdict = verdicts.get(word)
            if verdict is None:
                verdict = verdicts[word] = stem(word.decode()) in self._query
            if verdict:
                found.append(match.start())
        flagged[np.searchsorted(breaks, found)] = True
        return flagged

    def _url(self, url: str, may_score: bool = True) -> tuple[_Reduced, int, bool]:
        """The shape and length of a URL's path words, and whether it has any.

        A URL that cannot hold a query stem (``may_score`` false, only ever said of
        a plain one) has an empty shape: its words are counted, not stemmed.
        """
        known = self._urls.get(url)
        if known is None:
            if _PLAIN_URL.fullmatch(url):
                # Plain ASCII: the path's words are its letter and digit runs, lower-cased
                # (what ``path_words`` then ``normalise`` give, without joining and re-splitting).
                path = _path(url)
                found = _ALNUM.findall(path.lower())
                if may_score:
                    reduced = self._tokens(found)
                    shape, length = self._shape(reduced), len(reduced)
                else:
                    shape, length = (), sum(word not in STOPWORDS for word in found)
                known = (shape, length, bool(_NOT_BREAK.search(path)))
            else:
                body = path_words(url)
                known = (*self._field(body), bool(body))
            self._urls[url] = known
        return known

    def _field(self, text: str) -> tuple[_Reduced, int]:
        """What of a field's stems its score depends on (``_shape``) and how many there are."""
        known = self._fields.get(text)
        if known is None:
            reduced = self._tokens(words(text))
            known = self._fields[text] = (self._shape(reduced), len(reduced))
        return known

    def _shape(self, reduced: _Reduced) -> _Reduced:
        """A field's stems in order where a proximity hit is possible (all the keyword's strong
        stems are there), else just which query stems and how often."""
        if self._strong and self._strong.issubset(reduced):
            return reduced
        return tuple(sorted(token for token in reduced if token != OTHER))

    def _tokens(self, found: list[str]) -> _Reduced:
        """Content words as query stems, every other stem as ``OTHER`` (stopwords dropped)."""
        known = self._words
        reduced = []
        for word in found:
            token = known.get(word, "")
            if token == "":
                token = self._token(word)
            if token is not None:
                reduced.append(token)
        return tuple(reduced)

    def _token(self, word: str) -> str | None:
        if word in STOPWORDS:
            token = None
        else:
            stemmed = stem(word)
            token = stemmed if stemmed in self._query else OTHER
        self._words[word] = token
        return token
