"""The word normaliser's shortcut for ASCII text gives what the full Unicode path gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import normalise

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _unicode_path(text: str) -> str:
    """``normalise`` as written before the ASCII shortcut, for every text."""
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = re.sub(r"(?<=\w)'s\b", "", plain.casefold()).replace("'", "").replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", lowered))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_normalise_equals_the_unicode_path(text: str) -> None:
    assert normalise(text) == _unicode_path(text)


def test_normalise_of_ascii_punctuation_and_possessives() -> None:
    text = "Women's TRAIL-running `shoes' & socks_2026 don't"
    assert normalise(text) == _unicode_path(text) == "women trail running shoes and socks 2026 dont"
