"""Words as linkgap compares them: one normalisation, one stopword list, one stemmer.

The anchor classifier, the relevance score of vetting and the internal-link
matching of the analysis must agree on what a word is, or a page could be
"about" a keyword whose anchor is not a partial match of it. All read their
tokens from here, below both ``gap`` and ``vetting``.

Normalisation (decided once, documented in docs/vetting.md): Unicode NFKC,
accents folded ("café" = "cafe"), case-folded, a possessive "'s" dropped and
other apostrophes (straight or curly) removed ("women’s" = "women's" =
"women"), "&" read as "and", and every other punctuation mark, hyphens
included, treated as a space ("trail-running" = "trail running").
"""

from __future__ import annotations

import importlib
import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_WORD = re.compile(r"[^\W_]+")

#: Function words that say nothing about a topic (a standard English list, kept short).
STOPWORDS: frozenset[str] = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "a about above after again against all am an and any are as at be because been before "
        "being below between both but by can could did do does doing down during each few for "
        "from further had has have having he her here hers herself him himself his how i if in "
        "into is it its itself just me more most my myself no nor not now of off on once only or "
        "other our ours ourselves out over own same she should so some such than that the their "
        "theirs them themselves then there these they this those through to too under until up "
        "very was we were what when where which while who whom why will with would you your "
        "yours yourself yourselves s t d ll m o re ve y dont doesnt isnt arent wasnt werent cant "
        "couldnt shouldnt wont wouldnt didnt hasnt havent hadnt also may might must shall us "
        "via vs versus"
    ).split()
)


def normalise(text: str) -> str:
    """The comparable form of a phrase: folded, de-punctuated, single-spaced."""
    if text.isascii():
        # ASCII is its own NFKC and NFKD form, has no combining marks, no apostrophe
        # to fold but "`" and casefolds to its lower case: the same result without the
        # per-character pass, which dominates the cost of short texts read in bulk (the
        # titles, anchors and URL words of a plan's linking pages).
        plain = text.replace("`", "'").lower()
    else:
        folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
        decomposed = unicodedata.normalize("NFKD", folded)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    lowered = _POSSESSIVE.sub("", plain).replace("'", "").replace("&", " and ")
    return " ".join(_WORD.findall(lowered))


def words(text: str) -> list[str]:
    """The normalised words of ``text``, stopwords kept."""
    return normalise(text).split()


def content_words(text: str) -> list[str]:
    """The normalised words of ``text`` without stopwords."""
    return [word for word in words(text) if word not in STOPWORDS]


# snowballstemmer ships no type information; importing it by name keeps mypy strict
# meaningful here whether or not the project later adds an override for it.
_snowball = importlib.import_module("snowballstemmer")
_english = _snowball.stemmer("english")
_stem_word: Callable[[str], str] = _english.stemWord
#: A snowball stemmer object keeps state between calls: one caller at a time.
_stem_lock = threading.Lock()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The English snowball stem of one normalised word ("shoes" -> "shoe", "running" -> "run").

    Snowball keeps the "s" of a word with no vowel before it, so acronyms keep their
    plural ("crms"); a last "s" (not "ss") is dropped after stemming so "CRMs" is "CRM".
    A number is its own stem (snowball leaves digits alone): the ids and years in
    URLs skip the stemmer.
    """
    if word.isascii() and word.isdigit():
        return word
    with _stem_lock:
        base: str = _stem_word(word)
    if len(base) > 2 and base.endswith("s") and not base.endswith("ss"):
        return base[:-1]
    return base


def stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (repeats kept: they are frequencies)."""
    return [stem(word) for word in content_words(text)]
