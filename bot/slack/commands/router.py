"""The ``/linkgap`` subcommand registry: each subcommand plugs in by name.

``help`` lists exactly what is registered, so a subcommand that is not built
yet is never advertised. ``/linkgap <keyword> <url>`` (no subcommand, last
token a URL) is the ``gap`` shorthand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import BadInput
from bot.slack.commands.parsing import Token

if TYPE_CHECKING:
    from bot.slack.commands.call import CommandCall


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Callable[[CommandCall], None]


class UsageError(BadInput):
    """Bad input to one subcommand: the reply shows that subcommand's usage."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


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
        """Which subcommand a command line asks for, and its arguments."""
        if not tokens:
            return self._required("help"), []
        first = tokens[0]
        if first.kind == "word" and first.value.lower() in self._subcommands:
            return self._subcommands[first.value.lower()], list(tokens[1:])
        if tokens[-1].kind == "url" and "gap" in self._subcommands:
            return self._subcommands["gap"], list(tokens)
        known = ", ".join(f"`{name}`" for name in self._subcommands)
        raise UsageError(
            f"I don't know the command “{first.text[:60]}”. Commands: {known}.",
            "/linkgap help",
        )

    def _required(self, name: str) -> Subcommand:
        found = self._subcommands.get(name)
        if found is None:  # pragma: no cover - help is always registered
            raise LookupError(name)
        return found
