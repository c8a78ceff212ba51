"""The words of a table's linking pages, read in bulk, are the words the normaliser reads."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gap.domain_ids import DomainIds
from bot.gap.domain_table import DomainTable
from bot.gap.link_words import LinkWords, path_words, unique_rows
from bot.gap.models import LinkDetail, ReferringDomain
from bot.text import content_words
from tests.gap.test_link_fit import _ANY_TEXT, _links


def _words_of(words: LinkWords, text: int) -> list[str]:
    """The content words of one text, in order, as the index holds them."""
    word_of = np.repeat(np.arange(words.codes.size), np.diff(words.occurrence_offsets))
    at = np.flatnonzero(words.texts == text)
    ordered = at[np.argsort(words.places[at])]
    return [words.word_bytes(int(word_of[i])).decode() for i in ordered]


def _expected(link: LinkDetail) -> tuple[list[str], list[str], list[str]]:
    url = content_words(path_words(link.linking_url)) if link.linking_url else []
    return url, content_words(link.title or ""), content_words(link.anchor or "")


def _assert_read_alike(links: list[LinkDetail]) -> None:
    words = LinkWords.of(links)
    for row, link in enumerate(links):
        url, title, anchor = _expected(link)
        for text, expected, given_text in (
            (words.url_text[row], url, link.linking_url),
            (words.title_text[row], title, link.title),
            (words.anchor_text[row], anchor, link.anchor),
        ):
            assert (text >= 0) == bool(given_text), link
            if text >= 0:
                assert _words_of(words, int(text)) == expected, link
                assert words.lengths[text] == len(expected)
        if link.linking_url:
            assert words.known[words.url_text[row]] == bool(path_words(link.linking_url)), link


def test_every_text_reads_as_the_normaliser_reads_it() -> None:
    _assert_read_alike(_links(11, 2_000))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.none() | _ANY_TEXT, st.none() | _ANY_TEXT, st.none() | _ANY_TEXT),
        max_size=5,
    )
)
def test_any_text_reads_as_the_normaliser_reads_it(
    texts: list[tuple[str | None, str | None, str | None]],
) -> None:
    _assert_read_alike([LinkDetail(url, anchor, title, None, None) for url, anchor, title in texts])


@pytest.mark.parametrize(
    ("url", "path", "known"),
    [
        ("https://a.com/trail-shoes?id=2#top", ["trail", "shoes"], True),
        ("//a.com:8080/trail", ["trail"], True),
        ("a.com/trail", ["com", "trail"], True),
        ("https:/a.com/trail", ["https", "com", "trail"], True),
        ("mailto:someone//trail", ["mailto", "someone", "trail"], True),
        ("HTTPS://A.COM/Trail_Shoes", ["trail", "shoes"], True),
        ("https://a.com", [], False),
        ("https://a.com/-/_/", [], False),
        ("https://a.com/.", [], True),
        ("https://a.com/%74rail", ["trail"], True),
        ("https://a.com/caf%C3%A9-racer", ["cafe", "racer"], True),
        ("https://a.com/runner's-world", ["runner", "world"], True),
    ],
)
def test_a_url_is_read_by_its_path_alone(url: str, path: list[str], known: bool) -> None:
    words = LinkWords.of([LinkDetail(url, None, None, None, None)])
    assert _words_of(words, 0) == path == content_words(path_words(url))
    assert bool(words.known[0]) is known


def test_rows_without_text_point_at_no_text() -> None:
    words = LinkWords.of(
        [LinkDetail(None, "", None, None, None), LinkDetail("", None, "", None, None)]
    )
    assert words.url_text.tolist() == [-1, -1]
    assert words.title_text.tolist() == [-1, -1]
    assert words.anchor_text.tolist() == [-1, -1]
    assert words.text_count == 0


def test_distinct_rows_are_found_exactly_even_when_the_hash_meets_them_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 4, (500, 6))
    expected, _, expected_inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    for mixers in (None, np.zeros(64, np.uint64)):
        if mixers is not None:
            # Every row hashes alike: the check sees it and the exact sort decides.
            monkeypatch.setattr("bot.gap.link_words._MIXERS", mixers)
        distinct, first, inverse = unique_rows(rows)
        assert (distinct[inverse] == rows).all()
        assert (rows[first] == distinct).all()
        assert len(distinct) == len(expected)
        assert len(set(inverse.tolist())) == len(set(expected_inverse.reshape(-1).tolist()))


def test_a_table_keeps_its_words_when_moved_to_another_encoding() -> None:
    table = DomainTable.from_links(
        [ReferringDomain("a.com", 10.0, linking_url="https://a.com/trail-shoes", anchor="shoes")]
    )
    words = table.link_words()
    assert words is not None
    assert table.link_words() is words
    assert table.in_encoding(DomainIds()).link_words() is words
    assert DomainTable.from_links([ReferringDomain("b.com", 10.0)]).link_words() is None


def test_a_lone_surrogate_reads_as_the_normaliser_reads_it() -> None:
    # JSON may escape half an emoji ("\ud83d"); the text is read, never refused.
    links = [
        LinkDetail(
            "https://a.com/trail-\ud800shoes", "trail \ud83d running", "shoes\udc00", None, None
        ),
        LinkDetail("https://a.com/\ud83d", None, None, None, None),
    ]
    _assert_read_alike(links)
