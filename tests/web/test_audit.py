"""The own-page audit on fixture pages, through a fake fetcher (no network)."""

from __future__ import annotations

import pytest

from bot.errors import FetchRefused
from bot.gap.models import PageAudit
from bot.web.audit import audit_page, classify_page, contains_keyword, count_internal_links
from bot.web.fetcher import FetchedPage, FetchTimedOut, SafeFetcher
from bot.web.html import Link, parse_html

from . import send, serving


class FakeFetcher:
    """Serves fixture HTML for any URL, or raises what it was given."""

    def __init__(self, html: str = "", error: Exception | None = None, final_url: str = "") -> None:
        self.html = html
        self.error = error
        self.final_url = final_url
        self.urls: list[str] = []

    def fetch(self, url: str) -> FetchedPage:
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        return FetchedPage(
            url=self.final_url or url,
            status=200,
            content_type="text/html",
            text=self.html,
            elapsed=0.1,
        )


PRODUCT_PAGE = """<html><head><title>Speedgoat 5 | Trail Running Shoes | Shoe Shop</title>
<script type="application/ld+json">{"@type": "Product", "name": "Speedgoat 5"}</script></head>
<body><nav><a href="https://www.shoeshop.com/">Home</a>
<a href="https://shoeshop.com/trail/">Trail</a><a href="/trail">Trail again</a></nav>
<main><h1>Speedgoat 5 trail shoe</h1><p>A cushioned shoe for long trail runs.</p>
<a href="https://blog.shoeshop.com/fit-guide">Fit guide</a>
<a href="https://elsewhere.com/review">Review</a>
<a href="/products/speedgoat-5">this page</a></main></body></html>"""


def test_audit_reports_keyword_placement_words_type_and_internal_links() -> None:
    audit = audit_page(
        "https://shoeshop.com/products/speedgoat-5",
        "Trail running shoes",
        FakeFetcher(PRODUCT_PAGE),
    )
    assert audit == PageAudit(
        fetched=True,
        keyword_in_title=True,
        keyword_in_h1=False,  # "trail shoe": "running" and "shoes" are missing
        # main only: Speedgoat 5 trail shoe (4) / A cushioned shoe for long trail
        # runs (7) / Fit guide (2) / Review (1) / this page (2)
        word_count=16,
        page_type="product",
        internal_links=3,  # home, /trail (twice, one page), the blog guide; itself excluded
        error=None,
    )


@pytest.mark.parametrize(
    ("text", "keyword", "expected"),
    [
        ("Best Trail-Running Shoes!", "trail running shoes", True),
        ("SHOES for trail running", "Trail running shoes", True),
        ("Straße guide", "STRASSE guide", True),  # case-folded
        ("Trail shoes", "trail running shoes", False),
        ("Trail running shoe", "trail running shoes", False),
        ("anything", "   ", False),
        ("", "trail", False),
    ],
)
def test_keyword_match_is_casefolded_punctuation_blind_and_needs_every_token(
    text: str, keyword: str, expected: bool
) -> None:
    assert contains_keyword(text, keyword) is expected


def test_keyword_in_any_h1_counts() -> None:
    html = "<title>Shop</title><h1>Welcome</h1><h1>Trail running shoes</h1>"
    audit = audit_page("https://a.example/x", "trail running shoes", FakeFetcher(html))
    assert audit.keyword_in_h1 is True
    assert audit.keyword_in_title is False


@pytest.mark.parametrize(
    ("url", "html", "expected"),
    [
        ("https://a.example/", PRODUCT_PAGE, "homepage"),
        ("https://a.example", "<p>x</p>", "homepage"),
        ("https://a.example/x", PRODUCT_PAGE, "product"),
        (
            "https://a.example/x",
            '<script type="application/ld+json">[{"@type": "NewsArticle"}]</script>',
            "article",
        ),
        (
            "https://a.example/x",
            '<script type="application/ld+json">{"@type": "CollectionPage"}</script>',
            "category",
        ),
        ("https://a.example/x", '<meta property="og:type" content="product">', "product"),
        ("https://a.example/x", '<meta property="og:type" content="article">', "article"),
        ("https://a.example/x", '<meta property="og:type" content="website">', "other"),
        ("https://a.example/products/speedgoat", "<p>x</p>", "product"),
        ("https://a.example/collections/trail/products/speedgoat", "<p>x</p>", "product"),
        ("https://a.example/blog/best-trail-shoes", "<p>x</p>", "article"),
        ("https://a.example/guides/fit", "<p>x</p>", "article"),
        ("https://a.example/category/trail", "<p>x</p>", "category"),
        ("https://a.example/blog/category/trail", "<p>x</p>", "category"),
        ("https://a.example/collections/trail", "<p>x</p>", "category"),
        ("https://a.example/products", "<p>x</p>", "category"),
        ("https://a.example/blog/", "<p>x</p>", "category"),
        ("https://a.example/about-us", "<p>x</p>", "other"),
    ],
)
def test_page_type_classifier(url: str, html: str, expected: str) -> None:
    assert classify_page(url, parse_html(html, url)) == expected


def test_page_type_uses_the_final_url_after_redirects() -> None:
    fetcher = FakeFetcher("<p>moved</p>", final_url="https://a.example/")
    assert audit_page("https://a.example/old-page", "x", fetcher).page_type == "homepage"


def test_internal_links_use_the_registrable_domain_not_string_splitting() -> None:
    links = [
        Link("https://example.co.uk/a", ""),
        Link("https://blog.example.co.uk/b", ""),  # a subdomain is the same site
        Link("https://other.co.uk/c", ""),  # co.uk is a public suffix, not a site
        Link("http://www.example.co.uk/a/", ""),  # the same page as the first
    ]
    assert count_internal_links("https://www.example.co.uk/page", links) == 2


def test_unfetchable_page_is_a_flag_with_the_reason_not_an_exception() -> None:
    fetcher = FakeFetcher(error=FetchTimedOut("The page took longer than 10 s to load."))
    audit = audit_page("https://slow.example/page", "trail shoes", fetcher)
    assert audit == PageAudit(fetched=False, error="The page took longer than 10 s to load.")


def test_refused_page_reason_is_passed_through() -> None:
    fetcher = FakeFetcher(error=FetchRefused("intranet.example points to a private address."))
    audit = audit_page("http://intranet.example/", "x", fetcher)
    assert audit.fetched is False
    assert audit.error == "intranet.example points to a private address."


def test_unexpected_fetcher_crash_is_still_a_flag_and_leaks_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fetcher = FakeFetcher(error=RuntimeError("secret token=abc in a stack trace"))
    audit = audit_page("https://a.example/x", "x", fetcher)
    assert audit.fetched is False
    assert audit.error == "The page could not be fetched or read."
    assert "secret" not in (audit.error or "")


def test_audit_through_the_safe_fetcher_flags_a_private_address_without_fetching_it() -> None:
    fetcher = SafeFetcher(resolver=lambda host, port: ["10.0.0.8"])
    audit = audit_page("https://intranet.example/page", "trail shoes", fetcher)
    assert audit.fetched is False
    assert audit.error is not None
    assert "private" in audit.error


def test_audit_through_the_safe_fetcher_on_a_local_page() -> None:
    html = PRODUCT_PAGE.encode()
    with serving({"/products/speedgoat-5": lambda h: send(h, 200, html)}) as server:
        fetcher = SafeFetcher(
            resolver=lambda host, port: ["127.0.0.1"],
            allow_loopback=True,
            allowed_ports=frozenset({server.port}),
        )
        audit = audit_page(
            server.url("/products/speedgoat-5", host="shoeshop.com"), "trail running shoes", fetcher
        )
    assert audit.fetched is True
    assert audit.keyword_in_title is True
    assert audit.page_type == "product"
