"""The command tokenizer: Slack's escaped references, quotes, apostrophes and the input limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadInput
from bot.slack.commands.parsing import (
    MAX_COMMAND_LENGTH,
    Token,
    command_line,
    looks_like_address,
    tokenize,
)


def test_quoted_phrases_and_references_become_single_tokens() -> None:
    tokens = tokenize(
        'gap "trail running shoes" <https://www.example.com/a?x=1&amp;y=2|example.com/a> '
        "<#C0SEO|seo> <@U0BEN|ben> <!subteam^S0TEAM|@seo-team>"
    )
    assert tokens == [
        Token("word", "gap"),
        Token("word", "trail running shoes", quoted=True),
        Token("url", "https://www.example.com/a?x=1&y=2", "example.com/a"),
        Token("channel", "C0SEO", "seo"),
        Token("user", "U0BEN", "ben"),
        Token("usergroup", "S0TEAM", "seo-team"),
    ]


def test_curly_quotes_and_apostrophes() -> None:
    assert [token.value for token in tokenize("“women’s trail shoes” men's 'a b'")] == [
        "women's trail shoes",
        "men's",
        "a b",
    ]


def test_a_reference_inside_quotes_keeps_the_text_a_person_sees() -> None:
    assert tokenize('"ask <@U0ANA|ana> first"') == [Token("word", "ask ana first", quoted=True)]


def test_a_label_with_a_quote_or_bar_cannot_split_a_phrase() -> None:
    tokens = tokenize('<https://example.com/x|a "b | c> next')
    assert tokens == [Token("url", "https://example.com/x", 'a "b | c'), Token("word", "next")]


def test_an_unclosed_quote_is_refused() -> None:
    with pytest.raises(BadInput, match="quote is not closed"):
        tokenize('gap "trail running https://example.com/a')


def test_text_over_the_limit_is_refused_before_it_is_split() -> None:
    tokenize("k" * MAX_COMMAND_LENGTH)
    with pytest.raises(BadInput, match="4,001 characters long; the limit is 4,000"):
        tokenize("k" * (MAX_COMMAND_LENGTH + 1))


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_their_code(control: str) -> None:
    with pytest.raises(BadInput, match=f"control character \\(U\\+{ord(control):04X}\\)"):
        tokenize(f'gap "trail{control}shoes" https://example.com/a')


def test_tabs_and_line_breaks_are_whitespace() -> None:
    assert [t.value for t in tokenize("gap\tshoes\r\nhttps://example.com/a")] == [
        "gap",
        "shoes",
        "https://example.com/a",
    ]


@given(st.text(max_size=300))
def test_any_text_is_tokens_or_a_clear_refusal(text: str) -> None:
    refusal: BadInput | None = None
    try:
        tokens = tokenize(text)
    except BadInput as error:
        refusal = error
        tokens = []
    if refusal is not None:
        assert "quote" in refusal.message or "control character" in refusal.message
    assert all(token.value == token.value.strip() or token.quoted for token in tokens)


@pytest.mark.parametrize(
    ("word", "address"),
    [
        ("www.example.com/trail-shoes", True),
        ("example.co.uk", True),
        ("shop.example.com?x=1", True),
        ("node.js", False),
        ("co.uk", False),
        ("shoes", False),
        ("#seo", False),
        ("https://example.com", False),
    ],
)
def test_addresses_typed_without_a_scheme(word: str, address: bool) -> None:
    assert looks_like_address(word) is address


def test_command_line_quotes_phrases_and_names_references() -> None:
    tokens = [
        Token("word", "trail shoes", quoted=True),
        Token("url", "https://example.com/a"),
        Token("channel", "C0SEO", "seo"),
        Token("user", "U0BEN"),
    ]
    assert command_line("track", tokens) == (
        '/linkgap track "trail shoes" https://example.com/a #seo @U0BEN'
    )
