"""Reading sitemaps as sites publish them: namespaced or not, indexes, gzip, hostile XML."""

from __future__ import annotations

import gzip

import pytest

from bot.web.fetcher import FetchTooLarge
from bot.web.sitemaps import Sitemap, read_sitemap

URLSET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://example.com/</loc><lastmod>2026-01-01</lastmod>"
    b"<changefreq>daily</changefreq><priority>1.0</priority></url>"
    b"<url><loc>\n  https://example.com/blog/a  \n</loc></url>"
    b"<url><lastmod>2026-01-01</lastmod></url>"
    b"</urlset>"
)
INDEX = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<sitemap><loc>https://example.com/sitemap-1.xml.gz</loc>"
    b"<lastmod>2026-01-01</lastmod></sitemap></sitemapindex>"
)


def test_a_urlset_lists_its_pages_trimmed_and_entries_without_loc_are_skipped() -> None:
    assert read_sitemap(URLSET) == Sitemap(
        pages=("https://example.com/", "https://example.com/blog/a")
    )


def test_an_index_lists_sitemaps_and_a_gzip_file_is_read_the_same() -> None:
    assert read_sitemap(INDEX) == Sitemap(sitemaps=("https://example.com/sitemap-1.xml.gz",))
    assert read_sitemap(gzip.compress(URLSET)) == read_sitemap(URLSET)
    assert read_sitemap(
        URLSET.replace(b' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"', b"")
    )


@pytest.mark.parametrize(
    "body",
    [
        b"not xml at all",
        b"<html><body>Not found</body></html>",
        b'<!DOCTYPE u [<!ENTITY a "aaaaaaaa">]><urlset><url><loc>&a;</loc></url></urlset>',
        b'<!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>',
    ],
)
def test_unreadable_or_hostile_xml_lists_nothing(body: bytes) -> None:
    assert read_sitemap(body) == Sitemap()


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(FetchTooLarge):
        read_sitemap(bomb)
