"""Validation of what a user types, shared by every surface (CLI, Slack, shell)."""

from __future__ import annotations

from bot.errors import BadInput

MAX_KEYWORD_LENGTH = 200


def validate_keyword(keyword: str) -> str:
    """Return the keyword with whitespace collapsed, or refuse it with the rule it broke."""
    clean = " ".join(keyword.split())
    if not clean:
        raise BadInput(
            'The keyword is empty. Give the search phrase in quotes, e.g. "trail running shoes".'
        )
    if len(clean) > MAX_KEYWORD_LENGTH:
        raise BadInput(
            f"The keyword is {len(clean)} characters long; the limit is {MAX_KEYWORD_LENGTH}. "
            "Use the phrase people actually search for."
        )
    if "\x00" in clean:
        raise BadInput("The keyword contains a NUL character; type it as plain text.")
    return clean
