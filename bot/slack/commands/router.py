"""The ``/linkgap`` grammar: each subcommand plugs in by name, and nothing else runs.

Every command line is either a registered subcommand with its arguments or
refused with what was not understood and the right usage. A first word close
to a subcommand name (a typo) is never read as part of a keyword: the answer
is the corrected command and nothing runs, because a mistyped ``gap`` costs a
paid analysis. ``/linkgap "<keyword>" <url>`` (no subcommand, last token a
URL) is the ``gap`` shorthand. ``--help`` after any subcommand, and ``help
<subcommand>``, show that subcommand's usage; ``--`` options a subcommand does
not declare are refused here, before its parser could absorb them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.errors import BadInput
from bot.slack.commands.parsing import Token, command_line, scheme_suggestion

if TYPE_CHECKING:
    from bot.slack.commands.call import CommandCall

#: How far (insertions, deletions, substitutions, swaps) a typed word may be from a name.
TYPO_DISTANCE = 2
HELP_FLAGS = frozenset({"--help", "-h"})


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Callable[[CommandCall], None]
    #: A command line that works, shown by ``/linkgap help <name>``.
    example: str = ""
    #: The ``--`` options it takes; any other ``--word`` is refused before it runs.
    options: tuple[str, ...] = ()
    #: Words people use for it that are not its name: suggested, never run.
    synonyms: tuple[str, ...] = ()


class UsageError(BadInput):
    """Bad input to one subcommand: the reply shows that subcommand's usage.

    ``suggestion`` is a corrected command line to copy, when one can be guessed.
    """

    def __init__(self, message: str, usage: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage
        self.suggestion = suggestion


def closest_name(word: str, names: Iterable[str]) -> str | None:
    """The name within ``TYPO_DISTANCE`` edits of ``word`` (the nearest), or ``None``."""
    found = process.extractOne(
        word.lower(), list(names), scorer=DamerauLevenshtein.distance, score_cutoff=TYPO_DISTANCE
    )
    return None if found is None else str(found[0])


def _is_command_word(token: Token) -> bool:
    """An unquoted word of letters: the only kind of first word that can name a subcommand."""
    return token.kind == "word" and not token.quoted and token.value.replace("-", "").isalpha()


class Router:
    def __init__(self) -> None:
        self._subcommands: dict[str, Subcommand] = {}

    def add(self, subcommand: Subcommand) -> None:
        if subcommand.name in self._subcommands:
            raise ValueError(f"subcommand {subcommand.name!r} registered twice")
        self._subcommands[subcommand.name] = subcommand

    @property
    def subcommands(self) -> Sequence[Subcommand]:
        return tuple(self._subcommands.values())

    def get(self, name: str) -> Subcommand | None:
        return self._subcommands.get(name)

    def route(self, tokens: Sequence[Token]) -> tuple[Subcommand, list[Token]]:
        """Which subcommand a command line asks for, and its arguments; or ``UsageError``."""
        if not tokens:
            return self._required("help"), []
        first, rest = tokens[0], list(tokens[1:])
        if _is_help_flag(first):
            return self._required("help"), rest
        if _is_command_word(first) and first.value.lower() in self._subcommands:
            subcommand = self._subcommands[first.value.lower()]
            if any(_is_help_flag(token) for token in rest):
                return self._required("help"), [Token("word", subcommand.name)]
            self._refuse_unknown_options(subcommand, rest)
            return subcommand, rest
        if _is_command_word(first):
            self._refuse_near_miss(first, rest)
        if tokens[-1].kind == "url" and "gap" in self._subcommands and self._is_keyword(tokens):
            gap = self._subcommands["gap"]
            self._refuse_unknown_options(gap, list(tokens))
            return gap, list(tokens)
        if first.quoted and "gap" in self._subcommands:
            # The keyword shorthand with its address typed without https://.
            fixed = scheme_suggestion(None, tokens)
            if fixed is not None:
                raise UsageError(fixed[0], self._subcommands["gap"].usage, suggestion=fixed[1])
        raise UsageError(
            f"I don't know the command “{first.text[:60]}”. Commands: {self._known()}.",
            "/linkgap help",
        )

    def suggest(self, word: str) -> Subcommand | None:
        """The subcommand a mistyped or synonymous word most likely meant."""
        lowered = word.lower()
        for subcommand in self._subcommands.values():
            if lowered in subcommand.synonyms:
                return subcommand
        name = closest_name(lowered, self._subcommands)
        return None if name is None else self._subcommands[name]

    def _refuse_near_miss(self, first: Token, rest: list[Token]) -> None:
        meant = self.suggest(first.value)
        if meant is None:
            return
        keyword = [token for token in [first, *rest] if token.kind != "url"]
        hint = ""
        if meant.name != "gap" and rest and rest[-1].kind == "url" and "gap" in self._subcommands:
            phrase = " ".join(token.text for token in keyword)
            hint = (
                f" If “{phrase[:80]}” is the keyword, put it in quotes: "
                f"`{command_line(None, [Token('word', phrase, quoted=True), rest[-1]])}`."
            )
        raise UsageError(
            f"Did you mean `{command_line(meant.name, rest)}`? Nothing was run.{hint}",
            meant.usage,
            suggestion=command_line(meant.name, rest),
        )

    def _is_keyword(self, tokens: Sequence[Token]) -> bool:
        """Shorthand: a quoted keyword first, or plain words only (no quoted phrase after
        an unquoted first word, which reads as a command name nobody registered)."""
        if tokens[0].quoted:
            return True
        return not any(token.quoted for token in tokens[1:])

    def _refuse_unknown_options(self, subcommand: Subcommand, args: Sequence[Token]) -> None:
        for token in args:
            if token.kind == "word" and not token.quoted and token.value.startswith("--"):
                option = token.value.lower().split("=", 1)[0]
                if option not in subcommand.options:
                    takes = (
                        "Its options: " + ", ".join(f"`{name}`" for name in subcommand.options)
                        if subcommand.options
                        else "It takes no `--` options"
                    )
                    raise UsageError(
                        f"`{subcommand.name}` has no option “{token.value[:40]}”. {takes}.",
                        subcommand.usage,
                    )

    def _known(self) -> str:
        return ", ".join(f"`{name}`" for name in self._subcommands)

    def _required(self, name: str) -> Subcommand:
        found = self._subcommands.get(name)
        if found is None:  # pragma: no cover - help is always registered
            raise LookupError(name)
        return found


def refuse_arguments(call: CommandCall, usage: str) -> None:
    """For subcommands that take nothing: quote what was typed instead of ignoring it."""
    if call.args:
        typed = " ".join(token.text for token in call.args)
        raise UsageError(
            f"This command takes nothing after it; I don't understand “{typed[:60]}”.", usage
        )


def _is_help_flag(token: Token) -> bool:
    return token.kind == "word" and not token.quoted and token.value.lower() in HELP_FLAGS
