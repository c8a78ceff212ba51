"""Reading ``/linkgap`` command text the way Slack delivers it, and as people type it.

The manifest sets ``should_escape: true``, so Slack sends channels, users and
user groups as ``<#C123|name>``, ``<@U123|name>`` and ``<!subteam^S123|@team>``
and links as ``<https://…>`` or ``<https://…|label>``; the parser reads IDs,
never display names. Raw text, as typed in the local shell, works too. Quotes
may be straight or curly (Slack clients and phones turn ``"`` into “ ”).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.errors import BadInput
from bot.gap.domains import split_domain

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
    #: Typed inside quotes: a phrase, never a subcommand, option or reference.
    quoted: bool = False

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
    return Token("word", _unescape(word))


def _unescape(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


MAX_COMMAND_LENGTH = 4000
#: Whitespace Slack clients send inside command text; every other control character is refused.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_QUOTES = frozenset("\"'")


def check_command_text(text: str) -> str:
    """Refuse text no person typed: over the length limit, or carrying control characters.

    Runs before any splitting, so the cost of a hostile text is one linear scan.
    """
    if len(text) > MAX_COMMAND_LENGTH:
        raise BadInput(
            f"That command is {len(text):,} characters long; the limit is "
            f"{MAX_COMMAND_LENGTH:,}. Send the keyword and the URLs, not a document."
        )
    for index, char in enumerate(text):
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            raise BadInput(
                f"The command contains a control character (U+{ord(char):04X}) at position "
                f"{index + 1}. Type the command again without it."
            )
    return text


def tokenize(text: str) -> list[Token]:
    """Split command text into tokens in one pass; quoted phrases stay one word.

    Slack's ``<…>`` references are found first (one regex scan) and become
    tokens of their own, so a ``|`` or a quote inside a label cannot break a
    phrase apart; inside a quoted phrase they keep the text a person sees. A
    quote opens a phrase only at the start of a word, so apostrophes
    (``women's``) are letters. No ``shlex``: its cost grows with the square
    of a long word, and the limits above are checked first anyway.
    """
    text = check_command_text(text).translate(_CURLY)
    references = {match.start(): match for match in _ESCAPED.finditer(text)}
    tokens: list[Token] = []
    word: list[str] = []
    quote: str | None = None
    quoted = False
    index = 0

    def finish() -> None:
        nonlocal quoted
        if word or quoted:
            joined = "".join(word)
            tokens.append(
                Token("word", _unescape(joined).strip(), quoted=True)
                if quoted
                else _classify(joined)
            )
        word.clear()
        quoted = False

    while index < len(text):
        char = text[index]
        reference = references.get(index)
        if reference is not None:
            token = _unwrap(reference.group(1))
            if quote is not None:
                word.append(token.text)
            else:
                finish()
                tokens.append(token)
            index = reference.end()
            continue
        if quote is not None:
            if char == quote and (quote == '"' or not _continues(text, index + 1)):
                quote = None
            else:
                word.append(char)
        elif char.isspace():
            finish()
        elif char in _QUOTES and not word and not quoted:
            quote, quoted = char, True
        else:
            word.append(char)
        index += 1
    if quote is not None:
        raise BadInput('A quote is not closed. Put the keyword in "double quotes".')
    finish()
    return tokens


def _continues(text: str, index: int) -> bool:
    """Whether a single quote before ``text[index]`` is an apostrophe inside a word."""
    return index < len(text) and text[index].isalnum()


def command_line(subcommand: str | None, tokens: Sequence[Token]) -> str:
    """A ``/linkgap`` command as a person would type it, for suggestions to copy."""
    words = ["/linkgap"] if subcommand is None else ["/linkgap", subcommand]
    for token in tokens:
        if token.quoted or (token.kind == "word" and " " in token.value):
            words.append(f'"{token.value}"')
        elif token.kind == "channel":
            words.append(f"#{token.label or token.value}")
        elif token.kind in {"user", "usergroup"}:
            words.append(f"@{token.label or token.value}")
        else:
            words.append(token.value)
    return " ".join(words)


def looks_like_address(word: str) -> bool:
    """A web address typed without ``https://``: a host under a public suffix, maybe a path.

    Read with the Public Suffix List, so ``example.co.uk/page`` is an address and
    ``node.js`` is not.
    """
    if " " in word or "://" in word or word.startswith(("-", "#", "@")):
        return False
    host = word.split("/", 1)[0].split("?", 1)[0].lower()
    domain, suffix = split_domain(host)
    return bool(suffix) and domain != suffix and "." in host


def scheme_suggestion(
    command: str | None, tokens: Sequence[Token], *, within: int | None = None
) -> tuple[str, str] | None:
    """For the first address typed without ``https://`` (among the first ``within`` tokens):
    what to tell the user, and the whole command corrected; ``None`` when there is none.
    ``command`` ``None`` is the keyword shorthand (no subcommand word)."""
    for index, token in enumerate(tokens[:within]):
        if token.kind == "word" and not token.quoted and looks_like_address(token.value):
            fixed = list(tokens)
            fixed[index] = Token("url", "https://" + token.value)
            shown = token.value[:80]
            message = f"“{shown}” needs its scheme: did you mean `https://{shown}`?"
            return message, command_line(command, fixed)
    return None
