"""Reading ``/linkgap`` command text the way Slack delivers it, and as people type it.

The manifest sets ``should_escape: true``, so Slack sends channels, users and
user groups as ``<#C123|name>``, ``<@U123|name>`` and ``<!subteam^S123|@team>``
and links as ``<https://…>`` or ``<https://…|label>``; the parser reads IDs,
never display names. Raw text, as typed in the local shell, works too. Quotes
may be straight or curly (Slack clients and phones turn ``"`` into “ ”).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Literal

from bot.errors import BadInput

TokenKind = Literal["word", "url", "channel", "user", "usergroup"]

_ESCAPED = re.compile(r"<([^<>]*)>")
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class Token:
    """One argument: a plain word or an ID-bearing Slack reference."""

    kind: TokenKind
    value: str
    label: str = ""

    @property
    def text(self) -> str:
        """The token as a human wrote it (for keywords and error messages)."""
        return self.label or self.value


def _unwrap(inner: str) -> Token:
    target, _, label = inner.partition("|")
    if target.startswith("#"):
        return Token("channel", target[1:], label)
    if target.startswith("@"):
        return Token("user", target[1:], label.lstrip("@"))
    if target.startswith("!subteam^"):
        return Token("usergroup", target[len("!subteam^") :], label.lstrip("@"))
    if target.startswith(("http://", "https://")):
        return Token("url", target.replace("&amp;", "&"), label)
    if target.startswith("mailto:"):
        return Token("word", label or target[len("mailto:") :])
    return Token("word", label or target)


def _classify(word: str) -> Token:
    if word.startswith(("http://", "https://")):
        return Token("url", word)
    if word.startswith("#") and _CHANNEL_ID.match(word[1:]):
        return Token("channel", word[1:])
    if word.startswith("@") and _USER_ID.match(word[1:]):
        return Token("user", word[1:])
    return Token("word", word.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def tokenize(text: str) -> list[Token]:
    """Split command text into tokens; quoted phrases stay one word.

    Slack's ``<…>`` references are swapped for placeholders before shlex
    splits the text, so a ``|`` or a quote inside a label cannot break a
    phrase apart, then swapped back.
    """
    references: list[Token] = []

    def stash(match: re.Match[str]) -> str:
        references.append(_unwrap(match.group(1)))
        return f" \x00{len(references) - 1}\x00 "

    prepared = _ESCAPED.sub(stash, text.translate(_CURLY))
    try:
        words = shlex.split(prepared, posix=True)
    except ValueError:
        raise BadInput('A quote is not closed. Put the keyword in "double quotes".') from None
    tokens: list[Token] = []
    for word in words:
        if word.startswith("\x00") and word.endswith("\x00") and word[1:-1].isdigit():
            tokens.append(references[int(word[1:-1])])
        elif "\x00" in word:  # a reference glued to text inside quotes: keep what was typed
            tokens.append(
                Token(
                    "word",
                    re.sub(
                        r"\x00(\d+)\x00", lambda m: references[int(m.group(1))].text, word
                    ).strip(),
                )
            )
        else:
            tokens.append(_classify(word))
    return tokens
