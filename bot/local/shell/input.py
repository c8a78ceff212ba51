"""What a line typed into ``linkgap shell`` means, and how Slack would deliver the command text.

Pure functions, no stand-in and no app: the shell turns each line into one
small value (a slash command, a reaction, a switch of user or channel…) and a
reader can test the grammar on its own. ``escape_command_text`` does what
Slack does to slash-command text with ``should_escape: true`` so the bot's
parser sees in the shell exactly what it sees in production.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

COMMAND = "/linkgap"

#: ``+:white_check_mark: 3``, ``-:x: 12``, ``+eyes [3]``.
_REACTION = re.compile(r"^([+-])\s*:?([^:\s\[\]]+):?\s+\[?(\d+)\]?$")
#: ``3.1``, ``[3.1]``, ``home.2``: which button of which message (or of the Home tab).
_BUTTON = re.compile(r"^\[?((?:\d+|home)\.\d+)\]?$", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'“”]+")
_TRAILING_PUNCTUATION = ".,;:!?)"
#: ``#seo`` or ``@ben`` at the start of a word (not inside a URL or an e-mail address).
_REFERENCE = re.compile(r"(?<![^\s\"'“‘(])([#@])([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)")
_BROADCASTS = {"here", "channel", "everyone"}


@dataclass(frozen=True)
class SlashCommand:
    """``/linkgap …``: ``text`` is what follows the command, as typed."""

    text: str


@dataclass(frozen=True)
class Reaction:
    """``+:emoji: N`` adds a reaction to message N; ``-:emoji: N`` removes it."""

    name: str
    seq: int
    added: bool


@dataclass(frozen=True)
class OpenHome:
    """``home``: open the App Home tab as the acting user."""


@dataclass(frozen=True)
class ActAs:
    """``as ben``: later lines are typed by this user (a name or an ID)."""

    user: str


@dataclass(frozen=True)
class MoveTo:
    """``in #seo``: later commands are typed in this channel (a name or an ID)."""

    channel: str


@dataclass(frozen=True)
class Press:
    """``press 3.1``: click the first button of message 3 (``home.2``: the Home tab's second)."""

    label: str


@dataclass(frozen=True)
class ShowHelp:
    """``help``: the shell's own help (``/linkgap help`` is the bot's)."""


@dataclass(frozen=True)
class Quit:
    """``quit``, ``exit`` (EOF does the same)."""


@dataclass(frozen=True)
class Nothing:
    """A blank line or a ``# comment`` (handy in scripted sessions)."""


@dataclass(frozen=True)
class NotUnderstood:
    """Anything else, with the one-line reason the shell prints."""

    reason: str


ShellLine = (
    SlashCommand
    | Reaction
    | Press
    | OpenHome
    | ActAs
    | MoveTo
    | ShowHelp
    | Quit
    | Nothing
    | NotUnderstood
)


def parse_line(line: str) -> ShellLine:
    """One typed line → what to do; never raises, so a typo cannot end the session."""
    stripped = line.strip()
    if not stripped or stripped.startswith("# ") or stripped == "#":
        return Nothing()
    head, _, rest = stripped.partition(" ")
    word = head.lower()
    if word == COMMAND:
        return SlashCommand(rest.strip())
    if word.startswith("/"):
        return NotUnderstood(f"only {COMMAND} is installed in this workspace, not {head}")
    if stripped[0] in "+-":
        return _reaction(stripped)
    if word in {"quit", "exit", "q"} and not rest:
        return Quit()
    if word in {"help", "?"} and not rest:
        return ShowHelp()
    if word in {"press", "click"}:
        found = _BUTTON.match(rest.strip())
        if found is None:
            return NotUnderstood("press a button by its number, e.g. press 3.1 (shown as [3.1])")
        return Press(found.group(1).lower())
    if word == "home" and not rest:
        return OpenHome()
    if word == "as" and rest.strip():
        return ActAs(rest.strip().lstrip("@"))
    if word == "in" and rest.strip():
        return MoveTo(rest.strip().lstrip("#"))
    return NotUnderstood(
        f"I don't understand “{stripped[:60]}”; type help for what the shell understands"
    )


def _reaction(line: str) -> ShellLine:
    found = _REACTION.match(line)
    if found is None:
        return NotUnderstood("react with +:emoji: <message number>, e.g. +:white_check_mark: 3")
    sign, name, seq = found.groups()
    return Reaction(name=name.lower(), seq=int(seq), added=sign == "+")


def escape_command_text(
    text: str,
    *,
    channel_id: Callable[[str], str | None],
    user_id: Callable[[str], str | None],
) -> str:
    """Command text as Slack sends it with ``should_escape: true``.

    ``&``, ``<`` and ``>`` become entities; links are wrapped as ``<https://…>``;
    ``#seo`` and ``@ben`` become ``<#C0SEO|seo>`` and ``<@U0STANDIN2|ben>`` when
    the workspace knows them (unknown names stay as typed, as in Slack), and
    ``@here``/``@channel``/``@everyone`` become ``<!here>`` and friends.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    links: list[str] = []

    def wrap_link(match: re.Match[str]) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING_PUNCTUATION:
            url, tail = url[:-1], url[-1] + tail
        links.append(f"<{url}>")
        return f"\x00{len(links) - 1}\x00{tail}"

    def reference(match: re.Match[str]) -> str:
        sigil, name = match.groups()
        if sigil == "@" and name.lower() in _BROADCASTS:
            return f"<!{name.lower()}>"
        found = channel_id(name) if sigil == "#" else user_id(name)
        if found is None:
            return match.group(0)
        return f"<{sigil}{found}|{name}>"

    with_links = _URL.sub(wrap_link, escaped)
    with_references = _REFERENCE.sub(reference, with_links)
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], with_references)
