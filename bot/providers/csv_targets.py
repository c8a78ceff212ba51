"""Which page an Ahrefs referring-domains export belongs to.

That export has no target column: Ahrefs exports one file per target. The
target comes from ``targets.csv`` in the same folder (columns ``file`` and
``target``) when it lists the file, else from the file name: the part before
``-refdomains`` (Ahrefs' default name) or the whole name, compared as a token
with each requested URL written the same way (``example.com/blog/post`` ↔
``example.com_blog_post``), so a file saved as ``www.example.com_blog_post_-
refdomains-exact.csv`` or ``example.com_blog_post.csv`` both match.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import DataFileError
from bot.gap.urls import normalise_url
from bot.providers.csv_formats import header_key
from bot.providers.csv_reader import open_table

MAPPING_FILE = "targets.csv"
_FILE_COLUMNS = ("file", "file name", "filename")
_TARGET_COLUMNS = ("target", "target url", "url", "page")
_NOT_TOKEN = re.compile(r"[^a-z0-9.\-]+")
_REFDOMAINS_SUFFIX = re.compile(r"[-_.](?:backlinks[-_.])?ref-?domains.*$", re.IGNORECASE)
#: Ahrefs names exports ``<target>-backlinks-<mode>...`` / ``<target>-refdomains-<mode>_<date>``.
_AHREFS_MODE = re.compile(r"-(?:backlinks|refdomains)-(exact|prefix|domain|subdomains)(?:[-_.]|$)")
#: Semrush names a root domain's referring domains ``<target>-backlinks_refdomains...``.
_SEMRUSH_SITE = re.compile(r"-backlinks_refdomains(?:[-_.]|$)")


def url_token(url_or_name: str) -> str:
    """A URL or file stem reduced to letters, digits, dots and hyphens joined by ``_``."""
    text = _NOT_TOKEN.sub("_", url_or_name.casefold()).strip("_")
    for prefix in ("https_", "http_"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.removeprefix("www.")


def token_of_url(url: str) -> str:
    """The token a requested URL matches a referring-domains file name by."""
    return url_token(normalise_url(url))


def token_of_file(path: Path) -> str:
    """The target token of a referring-domains export named after its page."""
    return url_token(_REFDOMAINS_SUFFIX.sub("", path.stem))


def site_level(name: Path) -> bool:
    """Whether an export's file name says it covers a whole site or prefix, not one page.

    Ahrefs' modes ``domain``, ``subdomains`` and ``prefix`` are site-level,
    ``exact`` is one page; Semrush's ``-backlinks_refdomains`` covers a root
    domain. A name that says nothing is taken as one page (the documented way
    to name a page's export).
    """
    stem = name.name.casefold()
    mode = _AHREFS_MODE.search(stem)
    if mode is not None:
        return mode.group(1) != "exact"
    return _SEMRUSH_SITE.search(stem) is not None


def host_of_token(token: str) -> str:
    """The host part of a token (hosts contain no ``_``, paths become ``_``)."""
    return token.split("_", 1)[0]


def read_mapping(path: Path) -> dict[str, str]:
    """``targets.csv``: file name (case-insensitive) → target URL."""
    mapping: dict[str, str] = {}
    with open_table(path) as table:
        keys = [header_key(cell) for cell in table.header]
        file_col = next((keys.index(name) for name in _FILE_COLUMNS if name in keys), None)
        target_col = next((keys.index(name) for name in _TARGET_COLUMNS if name in keys), None)
        if file_col is None or target_col is None:
            raise DataFileError(
                f"{path.name} maps referring-domains exports to their pages and needs the "
                "columns file and target (for example: file,target / "
                "shoes-refdomains.csv,https://www.example.com/shoes)."
            )
        width = max(file_col, target_col) + 1
        for row in table.rows:
            if len(row) < width or not row[file_col].strip():
                continue
            target = row[target_col].strip()
            if not target:
                raise DataFileError(
                    f"{path.name} lists {row[file_col].strip()} without a target URL; "
                    "add the page's URL in the target column."
                )
            mapping[row[file_col].strip().casefold()] = target
    return mapping
