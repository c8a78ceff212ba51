"""Reading sitemaps: the page addresses a site lists, and the sitemaps a sitemap index names.

Pure functions over the fetched bytes, so the crawl's reading of the sitemaps protocol
(``<urlset>`` of ``<url><loc>``, ``<sitemapindex>`` of ``<sitemap><loc>``, gzip-compressed
files) is tested without a server. XML is parsed with defusedxml: a sitemap is outside text,
and entity expansion or external entities in it are refused rather than followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.web.fetcher import gunzip_capped

#: The sitemaps protocol caps a sitemap at 50 MB uncompressed.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What one sitemap file lists: page addresses, or (an index) more sitemaps."""

    pages: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()


def read_sitemap(body: bytes) -> Sitemap:
    """The ``<loc>`` entries of a sitemap or sitemap index, gzip or plain; empty when unreadable.

    Namespaces are ignored (sites publish with and without the sitemaps.org namespace),
    and so is everything but ``<loc>``: the crawl needs addresses, not priorities.
    """
    data = gunzip_capped(body, MAX_SITEMAP_BYTES) if body.startswith(_GZIP_MAGIC) else body
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return Sitemap()
    kind = _local(root.tag)
    entry = {"urlset": "url", "sitemapindex": "sitemap"}.get(kind)
    if entry is None:
        return Sitemap()
    locs = tuple(
        loc for child in root if _local(child.tag) == entry for loc in [_loc(child)] if loc
    )
    return Sitemap(pages=locs) if kind == "urlset" else Sitemap(sitemaps=locs)


def _local(tag: str) -> str:
    """A tag without its ``{namespace}`` prefix."""
    return tag.rsplit("}", 1)[-1]


def _loc(entry: Element) -> str:
    for child in entry:
        if _local(child.tag) == "loc":
            return (child.text or "").strip()
    return ""
