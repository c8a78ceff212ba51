"""Junk judged by the words of a domain's name, never by letters buried in another word.

A link farm or SEO-tool mirror says what it is in its name (``best-seo-links``,
``seo-backlinks-directory``) or is one of a short list of known tool and
directory names (``statshow``, ``websiteworth``). Searching the name for
substrings also catches every *museo* site, ``visitseoul.net`` and
``seobythesea.com``, so the name is cut into words first: its labels, split on
dots and hyphens. A pattern then has to be a whole word:

- a plain pattern (``seo``) matches a word equal to it;
- ``*`` stands for any letters inside the word, for stems no ordinary word
  contains (``*backlink*`` matches ``freebacklinks4u``, ``webstat*`` matches
  ``webstatsdomain``, ``*directory`` matches ``jasminedirectory``).

Patterns are compared without case; a pattern with a dot names a whole domain
and belongs on the blocklist instead, so it is ignored here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import translate

_WORD_BREAKS = re.compile(r"[.\-_]+")


def name_words(name: str) -> list[str]:
    """The words of a domain name (without its public suffix): labels split on dots and
    hyphens."""
    return [word for word in _WORD_BREAKS.split(name.casefold()) if word]


class JunkNames:
    """A compiled list of junk patterns; ``match`` names the pattern a domain name hits."""

    def __init__(self, patterns: Iterable[str]) -> None:
        cleaned = [p.strip().casefold() for p in patterns]
        usable = [p for p in cleaned if p and "." not in p and p.strip("*")]
        self._words = frozenset(p for p in usable if "*" not in p)
        # Every glob in one regex, a named group each: one scan per word instead of one per
        # pattern (the quality filter runs this on every referring domain of every page).
        self._globs = [p for p in usable if "*" in p]
        self._glob_regex = (
            re.compile("|".join(f"(?P<g{i}>{translate(p)})" for i, p in enumerate(self._globs)))
            if self._globs
            else None
        )

    def match(self, name: str) -> str | None:
        """The first pattern one of ``name``'s words matches, or ``None``.

        ``name`` is a registrable domain without its public suffix
        (``museodelprado`` for ``museodelprado.es``).
        """
        globs = self._glob_regex
        for word in name_words(name):
            if word in self._words:
                return word
            if globs is not None and (found := globs.match(word)) is not None:
                return self._globs[int(str(found.lastgroup)[1:])]
        return None
