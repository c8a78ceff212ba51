"""The grammar's routing: exact names, typos, synonyms, the shorthand, ``--help`` and options."""

from __future__ import annotations

import pytest

from bot.slack.commands import all_subcommands
from bot.slack.commands.parsing import tokenize
from bot.slack.commands.router import Router, UsageError, closest_name


@pytest.fixture
def router() -> Router:
    built = Router()
    for subcommand in all_subcommands():
        built.add(subcommand)
    return built


def route(router: Router, text: str) -> tuple[str, list[str]]:
    subcommand, args = router.route(tokenize(text))
    return subcommand.name, [token.value for token in args]


@pytest.mark.parametrize(
    ("word", "meant"),
    [("gpa", "gap"), ("gapp", "gap"), ("hlep", "help"), ("trakc", "track"), ("vte", "vet")],
)
def test_words_within_two_edits_name_the_subcommand(word: str, meant: str) -> None:
    assert closest_name(word, [s.name for s in all_subcommands()]) == meant


def test_a_word_far_from_every_name_names_nothing() -> None:
    assert closest_name("frobnicate", [s.name for s in all_subcommands()]) is None


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        (
            'gpa "trail running shoes" https://www.example.com/trail-shoes',
            '/linkgap gap "trail running shoes" https://www.example.com/trail-shoes',
        ),
        (
            'analyse "trail running shoes" https://www.example.com/trail-shoes',
            '/linkgap gap "trail running shoes" https://www.example.com/trail-shoes',
        ),
        ("hlep", "/linkgap help"),
        ("campains", "/linkgap campaigns"),
    ],
)
def test_a_typo_is_answered_with_the_corrected_command(
    router: Router, text: str, corrected: str
) -> None:
    with pytest.raises(UsageError) as raised:
        router.route(tokenize(text))
    assert raised.value.suggestion == corrected
    assert f"Did you mean `{corrected}`?" in raised.value.message


def test_an_unquoted_keyword_starting_like_a_command_is_not_run(router: Router) -> None:
    # "trail" is two edits from "track": the keyword must be quoted to be one.
    with pytest.raises(UsageError) as raised:
        router.route(tokenize("trail running shoes https://www.example.com/trail-shoes"))
    assert (
        'put it in quotes: `/linkgap "trail running shoes" https://www.example.com/trail-shoes`'
        in raised.value.message
    )


def test_the_shorthand_takes_a_quoted_keyword(router: Router) -> None:
    assert route(router, '"trail running shoes" https://www.example.com/a') == (
        "gap",
        ["trail running shoes", "https://www.example.com/a"],
    )


def test_help_flag_and_help_subcommand_show_that_subcommand(router: Router) -> None:
    assert route(router, 'gap --help "trail" https://example.com/a') == ("help", ["gap"])
    assert route(router, "track -h") == ("help", ["track"])
    assert route(router, "help vet") == ("help", ["vet"])
    assert route(router, "--help") == ("help", [])


def test_unknown_options_are_refused_not_absorbed(router: Router) -> None:
    with pytest.raises(UsageError, match="`gap` has no option “--contry”"):
        router.route(tokenize('gap "trail" --contry gb https://example.com/a'))
    with pytest.raises(UsageError, match=r"`campaigns` has no option “--all”\. It takes no"):
        router.route(tokenize("campaigns --all"))


def test_an_unknown_command_lists_the_known_ones(router: Router) -> None:
    with pytest.raises(UsageError, match=r"I don't know the command “frobnicate”\. Commands: "):
        router.route(tokenize("frobnicate the thing"))
