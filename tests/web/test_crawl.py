"""The crawl of your own site against a real HTTP server on loopback.

The site is served by a server thread on 127.0.0.1 under the fake public name
``public.example`` (``FakeResolver``); the fetcher is the real ``SafeFetcher`` with
the loopback allowance only tests use, and ``ConnectionSpy`` proves nothing else
was reached.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from bot.gap.internal_support import internal_support
from bot.web.crawl import CrawlRefused, HostRateLimit, SiteCrawler
from bot.web.fetcher import SafeFetcher

from . import ConnectionSpy, FakeResolver, LocalServer, Route, send, serving

TARGET = "/trail-running-shoes"


def fetcher(server: LocalServer) -> SafeFetcher:
    return SafeFetcher(
        resolver=FakeResolver({"public.example": ["127.0.0.1"]}),
        allow_loopback=True,
        allowed_ports=frozenset({server.port}),
    )


def html(body: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, f"<html><body><main>{body}</main></body></html>".encode())

    return route


def text(body: str, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, status, body.encode(), content_type)

    return route


def gzipped(body: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, gzip.compress(body.encode()), "application/gzip")

    return route


def urlset(server: LocalServer, *paths: str) -> str:
    locs = "".join(f"<url><loc>{server.url(path)}</loc></url>" for path in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


def shoe_site(server: LocalServer) -> dict[str, Route]:
    """robots.txt naming a sitemap index, a gzip sitemap in it, and pages in the topic."""
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/sitemap-posts.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{server.url('/sitemap-pages.xml')}</loc></sitemap></sitemapindex>"
    )
    return {
        "/robots.txt": text(
            f"User-agent: *\nDisallow: /private/\nSitemap: {server.url('/sitemap_index.xml')}\n"
        ),
        "/sitemap_index.xml": text(index, "application/xml"),
        "/sitemap-posts.xml.gz": gzipped(
            urlset(server, "/blog/care", "/blog/races", "/private/drafts")
        ),
        "/sitemap-pages.xml": text(urlset(server, "/about"), "text/xml"),
        "/": html(
            '<a href="/blog/care">Care</a> <a href="/hidden">Hidden</a>'
            '<a href="https://elsewhere.example/">Elsewhere</a><p>Welcome.</p>'
        ),
        "/blog/care": html(
            f'<p>Clean your <a href="{TARGET}/">trail running shoes</a> after every run.</p>'
        ),
        "/blog/races": html(
            "<h2>Race notes</h2><p>We ran three races this spring. "
            "Choosing trail running shoes for mud took us weeks. The rest was easy.</p>"
        ),
        "/hidden": html(f'<p>See <a href="{TARGET}">our shoes</a>.</p>'),
        "/about": html("<p>We are a small team.</p>"),
        "/private/drafts": html("<p>never fetched</p>"),
        TARGET: html("<p>Trail running shoes we tested.</p>"),
        TARGET + "/": html("<p>Trail running shoes we tested.</p>"),
    }


def serve_site(build: Callable[[LocalServer], dict[str, Route]]) -> LocalServer:
    server = LocalServer({})
    server.routes.update(build(server))
    return server


def test_the_crawl_reads_robots_sitemap_index_gzip_sitemap_then_homepage_links(
    spy: ConnectionSpy,
) -> None:
    with serve_site(shoe_site) as server:
        crawl = SiteCrawler(fetcher(server), server.url(TARGET)).crawl()
    requested = [path for path, _ in server.requests]
    assert requested[:4] == [
        "/robots.txt",
        "/sitemap_index.xml",
        "/sitemap-posts.xml.gz",
        "/sitemap-pages.xml",
    ]
    assert "/private/drafts" not in requested  # robots.txt disallows it
    crawled = sorted(page.url.removeprefix(server.url("")).rstrip("/") for page in crawl.pages)
    # /hidden is in no sitemap: found through the homepage; the target through the links to it,
    # fetched once although written with and without a trailing slash.
    assert crawled == ["", "/about", "/blog/care", "/blog/races", "/hidden", TARGET]
    assert crawl.sitemap_pages == 4  # /private/drafts is listed, so it counts as listed
    assert crawl.failed == 0
    assert crawl.stopped is None
    assert set(spy.attempts) == {"127.0.0.1"}

    support = internal_support(crawl.pages, server.url(TARGET), "trail running shoes")
    linking = {
        page.url.removeprefix(server.url("")): page.anchors for page in support.linking_pages
    }
    assert linking == {"/blog/care": ("trail running shoes",), "/hidden": ("our shoes",)}
    assert [(o.url.removeprefix(server.url("")), o.sentence) for o in support.opportunities] == [
        ("/blog/races", "Choosing trail running shoes for mud took us weeks.")
    ]
    assert support.weak  # 2 pages link here, fewer than 3


def test_the_page_limit_stops_the_crawl_and_says_so(spy: ConnectionSpy) -> None:
    with serve_site(shoe_site) as server:
        crawl = SiteCrawler(fetcher(server), server.url(TARGET), max_pages=3).crawl()
    pages = [path for path, _ in server.requests if "sitemap" not in path and "robots" not in path]
    assert len(pages) == 3
    assert len(crawl.pages) + crawl.failed == 3
    assert crawl.stopped == "stopped at the 3-page limit"


def test_without_sitemap_lines_the_crawl_tries_sitemap_xml(spy: ConnectionSpy) -> None:
    def site(server: LocalServer) -> dict[str, Route]:
        return {
            "/robots.txt": text("User-agent: *\nAllow: /\n"),
            "/sitemap.xml": text(urlset(server, "/a"), "application/xml"),
            "/": html("<p>Home.</p>"),
            "/a": html("<p>A.</p>"),
        }

    with serve_site(site) as server:
        crawl = SiteCrawler(fetcher(server), server.url("/a")).crawl()
    assert [path for path, _ in server.requests][:2] == ["/robots.txt", "/sitemap.xml"]
    assert sorted(p.url for p in crawl.pages) == [server.url("/"), server.url("/a")]


def test_no_robots_txt_allows_everything_and_a_missing_sitemap_falls_back_to_links(
    spy: ConnectionSpy,
) -> None:
    def site(server: LocalServer) -> dict[str, Route]:
        return {"/": html('<p><a href="/b">B</a></p>'), "/b": html("<p>B.</p>")}

    with serve_site(site) as server:
        crawl = SiteCrawler(fetcher(server), server.url("/b")).crawl()
    assert sorted(p.url for p in crawl.pages) == [server.url("/"), server.url("/b")]


@pytest.mark.parametrize(
    ("robots", "reason"),
    [
        (text("User-agent: *\nDisallow: /\n"), "does not allow crawling the site"),
        (text("User-agent: linkgap\nDisallow: /\n"), "does not allow crawling the site"),
        (text("oops", status=503), "could not be read (The page answered HTTP 503.)"),
    ],
)
def test_a_site_that_forbids_crawling_or_hides_its_rules_is_not_crawled(
    spy: ConnectionSpy, robots: Route, reason: str
) -> None:
    with (
        serving({"/robots.txt": robots, "/": html("<p>Home.</p>")}) as server,
        pytest.raises(CrawlRefused) as refused,
    ):
        SiteCrawler(fetcher(server), server.url("/")).crawl()
    assert reason in refused.value.message
    assert [path for path, _ in server.requests] == ["/robots.txt"]


def test_at_most_four_pages_are_fetched_at_a_time(spy: ConnectionSpy) -> None:
    lock = threading.Lock()
    in_flight = [0, 0]  # now, most

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight[1], in_flight[0])
        time.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        send(handler, 200, b"<p>page</p>")

    def site(server: LocalServer) -> dict[str, Route]:
        paths = [f"/p{n}" for n in range(16)]
        routes: dict[str, Route] = dict.fromkeys(["/", *paths], slow)
        routes["/sitemap.xml"] = text(urlset(server, *paths), "application/xml")
        return routes

    with serve_site(site) as server:
        crawl = SiteCrawler(fetcher(server), server.url("/"), per_second=1000).crawl()
    assert len(crawl.pages) == 17
    assert 2 <= in_flight[1] <= 4


def test_crawl_delay_in_robots_txt_spaces_the_requests(spy: ConnectionSpy) -> None:
    def site(server: LocalServer) -> dict[str, Route]:
        return {
            "/robots.txt": text("User-agent: *\nCrawl-delay: 0.2\n"),
            "/sitemap.xml": text(urlset(server, "/a", "/b"), "application/xml"),
            "/": html("<p>Home.</p>"),
            "/a": html("<p>A.</p>"),
            "/b": html("<p>B.</p>"),
        }

    with serve_site(site) as server:
        started = time.monotonic()
        SiteCrawler(fetcher(server), server.url("/"), per_second=1000).crawl()
        elapsed = time.monotonic() - started
    # robots.txt, sitemap.xml, /, /a, /b: five starts 0.2 s apart, the first at once.
    assert elapsed >= 0.8


def test_the_host_rate_limit_gives_each_request_the_next_free_slot() -> None:
    now = [10.0]
    slept: list[float] = []
    limit = HostRateLimit(0.5, clock=lambda: now[0], sleep=slept.append)
    limit.wait()
    limit.wait()
    limit.wait()
    now[0] = 12.0  # long after: no wait
    limit.wait()
    assert slept == [0.5, 1.0]
