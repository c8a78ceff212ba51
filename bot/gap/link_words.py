"""The words of a table's linking pages, read once when the provider's answer arrives.

A link plan reads the topical fit of the linking pages of every prospect that
could make its cut: on the largest pages some 150,000 links, most with a URL
and a title of their own. Tokenising those texts is most of that work, and
none of it depends on the keyword, so it is done once per table, here, and
kept with the table; what a plan does per keyword is then array work over the
words that could be the keyword's (``link_fit``).

What is kept is an index of the content words (stopwords dropped) of each
distinct text: the URL's path words, the title and the anchor, read exactly
as ``bot.text.words`` reads them. Each occurrence keeps its text and its place
among the text's content words; occurrences are grouped by word and words
numbered in the order of their first four bytes, so the words that begin like
a query stem are one range of the index to look up, whatever the query, and
only the distinct words' bytes are kept (a plan stems a few of them).

Texts that are plain printable ASCII (no apostrophe or backquote; for URLs no
``%`` either) are split in bulk, on the bytes of all of them at once: their
words are the runs of letters and digits, lower-cased, which is what the
normaliser gives them, and a URL's scheme, host, query and fragment are found
the same way. Any other text goes through the normaliser itself, and its words
are indexed alike. ``tests/gap/test_link_words.py`` holds the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from urllib.parse import unquote

import numpy as np
import numpy.typing as npt

from bot.collector import collector_paused
from bot.gap.domain_ids import Ids
from bot.gap.records import LinkDetail
from bot.text import STOPWORDS, normalise

#: A URL's path: after the scheme and host, up to the query or fragment. ``urlsplit``
#: does the same and much more (netloc checks, IPv6, caching), five times slower.
_PATH = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*([^?#]*)|^([^?#]*)")
_PATH_BREAKS = re.compile(r"[/\-_\s]+")
#: Bytes of a word compared at once: enough for every stopword and most words.
WIDTH = 16
_SEPARATOR = "\n"

Array = npt.NDArray[np.int64]


def path_words(url: str) -> str:
    """The words of a URL's path: ``/blog/trail-shoes-2026`` reads ``blog trail shoes 2026``."""
    return " ".join(word for word in _PATH_BREAKS.split(unquote(_path(url))) if word)


def _path(url: str) -> str:
    match = _PATH.match(url)
    return (match.group(1) if match.group(1) is not None else match.group(2)) if match else ""


def _byte_class(*groups: tuple[bytes, int]) -> npt.NDArray[np.uint8]:
    table = np.zeros(256, np.uint8)
    for members, bit in groups:
        table[np.frombuffer(members, np.uint8)] |= bit
    return table


_LOWER = b"abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()
_DIGITS = b"0123456789"
#: Each byte's classes, read in one pass over the texts (bits below).
_WORD, _BREAK, _SCHEME, _LETTER, _HOST_END, _QUERY = 1, 2, 4, 8, 16, 32
_CLASSES = _byte_class(
    # A word's bytes: ASCII letters and digits (lower-cased by then) and any byte of a
    # multi-byte UTF-8 character (the normaliser keeps only letters and digits).
    (_LOWER + _DIGITS + bytes(range(0x80, 0x100)), _WORD),
    # What a path's words are split on (``path_words``); a path of only these has no text.
    (b"/-_ \n", _BREAK),
    (_LOWER + _UPPER + _DIGITS + b"+.-", _SCHEME),
    (_LOWER + _UPPER, _LETTER),
    (b"/?#\n", _HOST_END),
    (b"?#\n", _QUERY),
)
#: Bytes that keep a text from the bulk reading (the normaliser reads it instead): any
#: byte outside printable ASCII, an apostrophe or a backquote; in a URL also ``%``.
_TEXT_BAD = np.ones(256, np.bool_)
_TEXT_BAD[0x20:0x7F] = False
_TEXT_BAD[[ord("'"), ord("`")]] = True
_URL_BAD = _TEXT_BAD.copy()
_URL_BAD[ord("%")] = True


def word_keys(blob: npt.NDArray[np.uint8], starts: Array, sizes: Array) -> Array:
    """The first ``WIDTH`` bytes of each word as two integers, zero after its end (n x 2).

    ``blob`` ends in ``WIDTH`` zero bytes, so eight bytes can be read from any start.
    """
    eights: npt.NDArray[np.uint64] = np.ndarray(
        (blob.size - 7,), dtype="<u8", buffer=blob, strides=(1,)
    )
    keys = np.empty((starts.size, 2), np.uint64)
    for half in (0, 1):
        left = np.clip(sizes - 8 * half, 0, 8).astype(np.uint64)
        # The bytes past the word's end are masked off (all eight kept for a long word).
        partial = (np.uint64(1) << (np.minimum(left, 7) * np.uint64(8))) - np.uint64(1)
        mask = np.where(left >= 8, np.uint64(0xFFFF_FFFF_FFFF_FFFF), partial)
        keys[:, half] = eights[starts + 8 * half] & mask
    result: Array = keys.view(np.int64)
    return result


def _stopword_keys() -> Array:
    words = sorted(STOPWORDS)
    data = np.frombuffer("\n".join(words).encode() + b"\0" * WIDTH, np.uint8)
    sizes = np.array([len(word) for word in words], np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes + 1)[:-1]))
    table = np.column_stack((word_keys(data, starts, sizes), sizes))
    ordered: Array = table[np.lexsort(table.T[::-1])]
    return ordered


_STOPWORDS = _stopword_keys()
assert int(_STOPWORDS[:, 2].max()) <= WIDTH, "a stopword is compared by its first bytes"
#: The most stopwords sharing their first eight bytes ("yourself", "yourselves").
_STOPWORD_RUN = int(np.unique(_STOPWORDS[:, 0], return_counts=True)[1].max())


def _stopwords(keys: Array, sizes: Array) -> npt.NDArray[np.bool_]:
    """Which words (``word_keys`` and sizes) are stopwords: exact, by a sorted search."""
    table = _STOPWORDS
    first = np.searchsorted(table[:, 0], keys[:, 0])
    found = np.zeros(sizes.size, np.bool_)
    for step in range(_STOPWORD_RUN):
        at = np.minimum(first + step, table.shape[0] - 1)
        found |= (
            (table[at, 0] == keys[:, 0]) & (table[at, 1] == keys[:, 1]) & (table[at, 2] == sizes)
        )
    return found


#: Multipliers of the hash ``unique_rows`` groups rows by (odd, fixed: runs repeat).
_MIXERS = np.random.default_rng(2026).integers(1, 2**63, 64, dtype=np.uint64) | np.uint64(1)


def unique_rows(rows: Array) -> tuple[Array, npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The distinct rows, the first row of each, and each row's distinct one (``np.unique``
    of rows, which sorts them whole and is ten times slower on tens of thousands).

    Rows are grouped by a hash and the grouping is then checked row by row; were two
    rows ever to share a hash, the exact sort decides.
    """
    if not rows.shape[0]:
        return rows, np.zeros(0, np.intp), np.zeros(0, np.intp)
    width = rows.shape[1]
    if width > _MIXERS.size:
        distinct, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        return distinct, first, inverse.reshape(-1)
    # A linear hash (the product wraps modulo 2**64): rows differing by small counts would
    # collide only when random odd multipliers cancel out, and the check below sees that.
    hashed = rows @ _MIXERS[:width].view(np.int64)
    _, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    distinct = rows[first]
    if not bool((distinct[inverse] == rows).all()):
        distinct, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    return distinct, first, inverse


@dataclass(frozen=True, eq=False)
class LinkWords:
    """The content words of a table's linking pages (URL path, title, anchor), indexed."""

    #: Per table row: the text of its linking URL, title and anchor (-1: none).
    url_text: Ids
    title_text: Ids
    anchor_text: Ids
    #: Per text: whether it counts as known (a URL only when its path has text).
    known: npt.NDArray[np.bool_]
    #: Per text: its number of content words.
    lengths: Ids
    #: Per occurrence of a content word, sorted by word: its text and its place among the
    #: text's content words.
    texts: Ids
    places: Ids
    #: Per distinct word, numbered by its first four bytes (big-endian, ``codes``): those
    #: bytes, where its occurrences begin (one more at the end), and where its bytes begin
    #: in ``vocabulary``, the distinct words' bytes end to end (one more at the end).
    codes: npt.NDArray[np.uint32]
    occurrence_offsets: Ids
    vocabulary: npt.NDArray[np.uint8]
    word_offsets: Ids

    @property
    def text_count(self) -> int:
        return int(self.lengths.size)

    def word_bytes(self, word: int) -> bytes:
        """A distinct word's bytes (UTF-8)."""
        return self.vocabulary[self.word_offsets[word] : self.word_offsets[word + 1]].tobytes()

    @classmethod
    def of(cls, details: Sequence[LinkDetail]) -> LinkWords:
        """Index the linking pages of ``details`` (one per table row).

        Read with the cyclic collector paused: the texts' lists and dictionaries
        hold no cycles.
        """
        with collector_paused():
            return cls._of(details)

    @classmethod
    def _of(cls, details: Sequence[LinkDetail]) -> LinkWords:
        urls = list(map(itemgetter(0), details))
        titles = list(map(itemgetter(2), details))
        anchors = list(map(itemgetter(1), details))
        url_index = _numbered(urls)
        text_index = _numbered(chain(titles, anchors))
        url_count = len(url_index)
        count = url_count + len(text_index)
        url_part, plain, read_known = _url_texts(list(url_index))
        parts = [
            *([url_part] if url_index else []),
            *([_texts(list(text_index))] if text_index else []),
        ]
        # Only ASCII letters change: the normalised texts are already case-folded.
        blob = np.frombuffer(_SEPARATOR.join(parts).encode().lower() + b"\0" * WIDTH, np.uint8)
        classes = _CLASSES[blob]
        breaks = np.flatnonzero(blob == ord(_SEPARATOR))
        assert breaks.size == max(count - 1, 0), "no text holds a line break"
        text_starts = np.concatenate(([0], breaks + 1))
        text_ends = np.append(breaks, blob.size - WIDTH)
        edges = np.diff((classes & _WORD).view(np.int8), prepend=np.int8(0))
        word_starts = np.flatnonzero(edges == _WORD)
        word_sizes = np.flatnonzero(edges == -_WORD) - word_starts
        word_texts = np.searchsorted(breaks, word_starts).astype(np.int32)
        known = np.ones(count, np.bool_)
        if url_count:
            # A URL's words are its path's: the host, query and fragment are left out.
            path_starts, path_ends = _paths(
                classes, blob, text_starts[:url_count], text_ends[:url_count], plain
            )
            owner = np.minimum(word_texts, url_count - 1)
            in_path = (word_texts >= url_count) | (
                (word_starts >= path_starts[owner]) & (word_starts < path_ends[owner])
            )
            word_starts, word_sizes = word_starts[in_path], word_sizes[in_path]
            word_texts = word_texts[in_path]
            known[:url_count] = np.where(
                plain,
                _has_text(classes, breaks, path_starts, path_ends, word_texts, url_count),
                read_known,
            )
        keys = word_keys(blob, word_starts, word_sizes)
        content = ~_stopwords(keys, word_sizes)
        word_starts, word_sizes, keys = word_starts[content], word_sizes[content], keys[content]
        word_texts = word_texts[content]
        first_of_text = np.searchsorted(word_texts, np.arange(count, dtype=np.int32))
        places = (np.arange(word_texts.size) - first_of_text[word_texts]).astype(np.int32)
        # The first four bytes, big-endian: the low half of the first key, byte-swapped.
        codes = (keys[:, 0] & 0xFFFFFFFF).astype(np.uint32).byteswap()
        # Occurrences sorted by code, then by a hash of the word: a word's occurrences sit
        # together, and each run of one word gets a number (a word met in two runs, on a
        # hash collision, gets two: it is then stemmed twice, never confused with another).
        mixed = (keys[:, 0] * _MIXERS[0].view(np.int64)) ^ (keys[:, 1] * _MIXERS[1].view(np.int64))
        order = np.argsort(
            (codes.astype(np.uint64) << np.uint64(32)) | (mixed.view(np.uint64) >> np.uint64(32))
        )
        ordered, sizes = keys[order], word_sizes[order]
        new_word = np.ones(order.size, np.bool_)
        new_word[1:] = (ordered[1:] != ordered[:-1]).any(axis=1) | (sizes[1:] != sizes[:-1])
        # A word longer than the bytes compared is a word of its own at each occurrence.
        new_word |= sizes > WIDTH
        firsts = order[new_word]
        # Only the distinct words' bytes are kept: a plan stems a few of them.
        distinct_starts, distinct_sizes = word_starts[firsts], word_sizes[firsts]
        offsets = np.concatenate(([0], np.cumsum(distinct_sizes)))
        shift = np.repeat(distinct_starts - offsets[:-1], distinct_sizes)
        vocabulary = blob[shift + np.arange(shift.size)]
        return cls(
            url_text=_ids(urls, url_index, 0),
            title_text=_ids(titles, text_index, url_count),
            anchor_text=_ids(anchors, text_index, url_count),
            known=known,
            lengths=np.bincount(word_texts, minlength=count).astype(np.int32),
            codes=codes[firsts],
            occurrence_offsets=np.append(np.flatnonzero(new_word), order.size).astype(np.int32),
            texts=word_texts[order],
            places=places[order],
            vocabulary=vocabulary,
            word_offsets=offsets.astype(np.int32),
        )


def _numbered(texts: Iterable[str | None]) -> dict[str, int]:
    """Each distinct text's number, in order of first appearance (``None`` and "" left out)."""
    distinct = dict.fromkeys(texts)
    distinct.pop(None, None)
    distinct.pop("", None)
    return dict(zip(distinct, range(len(distinct)), strict=True))  # type: ignore[arg-type]


def _ids(column: list[str | None], numbers: dict[str, int], offset: int) -> Ids:
    """The number of each row's text plus ``offset``; -1 for none."""
    found = np.fromiter(
        map(numbers.get, column, repeat(-1 - offset)),  # type: ignore[arg-type]
        np.int32,
        len(column),
    )
    result: Ids = found + np.int32(offset)
    return result


def _unplain(texts: list[str], bad: npt.NDArray[np.bool_]) -> list[int]:
    """Which of ``texts`` the bulk reading cannot take (``bad`` bytes)."""
    joined = _SEPARATOR.join(texts)
    # A lone surrogate (a provider's JSON may carry half an emoji) is a byte over 0x7f
    # here, so its text goes to the normaliser, which keeps no such character.
    data = np.frombuffer(joined.encode(errors="surrogatepass"), np.uint8)
    breaks = np.flatnonzero(data == ord(_SEPARATOR))
    if breaks.size != len(texts) - 1:
        # A text holds a line break itself: the texts are told apart one by one.
        return [
            at
            for at, text in enumerate(texts)
            if bool(bad[np.frombuffer(text.encode(errors="surrogatepass"), np.uint8)].any())
        ]
    flagged = np.flatnonzero(bad[data] & (data != ord(_SEPARATOR)))
    unplain: list[int] = np.unique(np.searchsorted(breaks, flagged)).tolist()
    return unplain


def _texts(texts: list[str]) -> str:
    """Titles and anchors joined by line breaks, each as the words ``normalise`` gives."""
    read = list(texts)
    for at in _unplain(texts, _TEXT_BAD):
        read[at] = normalise(texts[at])
    return _SEPARATOR.join(read)


def _url_texts(urls: list[str]) -> tuple[str, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The URLs joined by line breaks, which are plain, and whether each other one has text.

    A URL that is not plain is read one by one (``path_words``: percent-decoded, then
    normalised) and what it is replaced by is all path.
    """
    read = list(urls)
    plain = np.ones(len(urls), np.bool_)
    read_known = np.zeros(len(urls), np.bool_)
    for at in _unplain(urls, _URL_BAD):
        body = path_words(urls[at])
        read[at] = normalise(body)
        plain[at] = False
        read_known[at] = bool(body)
    return _SEPARATOR.join(read), plain, read_known


def _paths(
    classes: npt.NDArray[np.uint8],
    blob: npt.NDArray[np.uint8],
    starts: Array,
    ends: Array,
    plain: npt.NDArray[np.bool_],
) -> tuple[Array, Array]:
    """Where each URL's path is (byte offsets): ``_path`` for all the plain ones at once.

    After an optional scheme, ``//`` and the host, up to a query or fragment; a URL
    that is not plain was replaced by its words, all of them path.
    """
    size = int(ends[-1]) + 1
    data = blob[:size]
    kinds = classes[:size]
    doubled = np.append(np.flatnonzero((data[:-1] == ord("/")) & (data[1:] == ord("/"))), size)
    double = doubled[np.searchsorted(doubled, starts)]
    unscheme = np.append(np.flatnonzero((kinds & _SCHEME) == 0), size)
    colon = np.maximum(double - 1, 0)
    after_scheme = (
        (double > starts + 1)
        & (data[colon] == ord(":"))
        & ((kinds[np.minimum(starts, size - 1)] & _LETTER) > 0)
        # The first byte outside a scheme's alphabet is that colon.
        & (unscheme[np.searchsorted(unscheme, starts)] == colon)
    )
    host = plain & (double < ends - 1) & ((double == starts) | after_scheme)
    stops = np.append(np.flatnonzero(kinds & _HOST_END), size)
    path_starts = np.where(
        host, stops[np.searchsorted(stops, np.minimum(double + 2, size))], starts
    )
    queries = np.append(np.flatnonzero(kinds & _QUERY), size)
    path_ends = np.where(plain, queries[np.searchsorted(queries, path_starts)], ends)
    return path_starts, np.minimum(path_ends, ends)


def _has_text(
    classes: npt.NDArray[np.uint8],
    breaks: Array,
    starts: Array,
    ends: Array,
    word_texts: Ids,
    count: int,
) -> npt.NDArray[np.bool_]:
    """Whether each URL's path holds text: a word, or any byte that is not a path break
    (the dot of ``/.``)."""
    found = np.zeros(count, np.bool_)
    found[word_texts[word_texts < count]] = True
    size = int(ends[-1])
    others = np.flatnonzero((classes[:size] & (_WORD | _BREAK)) == 0)
    owners = np.searchsorted(breaks, others)
    inside = (others >= starts[owners]) & (others < ends[owners])
    found[owners[inside]] = True
    return found
