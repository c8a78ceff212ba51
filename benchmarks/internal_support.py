"""Benchmark: the crawl of your own site for internal support, 500 pages at 50 ms each.

A local test site runs on loopback (a real HTTP server thread answering every page
after ``LATENCY`` seconds, like a slow shared host): robots.txt naming a sitemap index,
two gzip sitemaps listing 600 pages, each page linking to a few others, every fifth one
to the target. The crawl is the product's (``SiteCrawler`` through ``SafeFetcher`` with
the loopback allowance only tests and this benchmark use), with its default limits:
500 pages, 4 at a time, 20 requests a second to the host. Target: 500 pages in at most
60 s. Prints JSON; exits 1 (``TARGET MISSED``) when the crawl is slower or reads fewer
pages than asked.

    python -m benchmarks.internal_support
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.gap.internal_support import internal_support
from bot.web.crawl import DEFAULT_MAX_PAGES, SiteCrawler
from bot.web.fetcher import SafeFetcher

TARGET_SECONDS = 60.0
LATENCY = 0.05
SITE_PAGES = 600
HOST = "shop.example"
KEYWORD = "trail running shoes"
TARGET_PATH = "/trail-running-shoes"
_PARAGRAPH = (
    "<p>We tested trail running shoes on wet rock and dry dirt for six weeks. "
    "Grip, drop and cushioning matter more than the colour, whatever the adverts say. "
    "Our team ran every pair at least eighty kilometres before writing a word.</p>"
)


class _Site(ThreadingHTTPServer):
    daemon_threads = True
    latency: float
    pages: int
    served: int


def _page(number: int, pages: int) -> bytes:
    links = "".join(
        f'<a href="/page/{(number + step) % pages}">page {(number + step) % pages}</a> '
        for step in (1, 2, 3, 7, 11)
    )
    target = f'<a href="{TARGET_PATH}">trail running shoes</a>' if number % 5 == 0 else ""
    return (
        f"<!doctype html><html><head><title>Page {number}</title></head><body>"
        f"<nav>{links}</nav><main><h1>Notes {number}</h1>{_PARAGRAPH * 6}"
        f"<p>More: {target}</p></main></body></html>"
    ).encode()


def _urlset(port: int, numbers: range) -> bytes:
    locs = "".join(f"<url><loc>http://{HOST}:{port}/page/{n}</loc></url>" for n in numbers)
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    return gzip.compress(body.encode())


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:
        site = self.server
        port = site.server_address[1]
        half = site.pages // 2
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            body = f"User-agent: *\nAllow: /\nSitemap: http://{HOST}:{port}/sitemap_index.xml\n"
            self._send(body.encode(), "text/plain; charset=utf-8")
        elif path == "/sitemap_index.xml":
            entries = "".join(
                f"<sitemap><loc>http://{HOST}:{port}/sitemap-{n}.xml.gz</loc></sitemap>"
                for n in (1, 2)
            )
            index = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            self._send((index + "</sitemapindex>").encode(), "application/xml")
        elif path in ("/sitemap-1.xml.gz", "/sitemap-2.xml.gz"):
            numbers = range(half) if path == "/sitemap-1.xml.gz" else range(half, site.pages)
            self._send(_urlset(port, numbers), "application/gzip")
        else:
            time.sleep(site.latency)
            site.served += 1
            number = int(path.rsplit("/", 1)[-1]) if path.startswith("/page/") else 0
            self._send(_page(number, site.pages), "text/html; charset=utf-8")

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def local_site(pages: int = SITE_PAGES, latency: float = LATENCY) -> Iterator[_Site]:
    """The test site on 127.0.0.1, on a free port, for the length of the block."""
    site = _Site(("127.0.0.1", 0), _Handler)
    site.latency, site.pages, site.served = latency, pages, 0
    thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
        thread.join(timeout=5)


def measure(
    pages: int = SITE_PAGES, latency: float = LATENCY, max_pages: int = DEFAULT_MAX_PAGES
) -> dict[str, Any]:
    """Crawl the local site once; the figures, with the load average before and after."""
    load_before = os.getloadavg()
    with local_site(pages, latency) as site:
        port = int(site.server_address[1])
        fetcher = SafeFetcher(
            resolver=lambda host, _port: ["127.0.0.1"] if host == HOST else [],
            allow_loopback=True,
            allowed_ports=frozenset({port}),
        )
        target = f"http://{HOST}:{port}{TARGET_PATH}"
        started = time.perf_counter()
        crawl = SiteCrawler(fetcher, target, max_pages=max_pages).crawl()
        crawl_seconds = time.perf_counter() - started
        started = time.perf_counter()
        support = internal_support(crawl.pages, target, KEYWORD)
        support_seconds = time.perf_counter() - started
    return {
        "site_pages": pages,
        "latency_seconds": latency,
        "max_pages": max_pages,
        "pages_read": len(crawl.pages),
        "pages_failed": crawl.failed,
        "stopped": crawl.stopped,
        "crawl_seconds": round(crawl_seconds, 2),
        "pages_per_second": round(len(crawl.pages) / crawl_seconds, 1),
        "internal_support_seconds": round(support_seconds, 3),
        "linking_pages": len(support.linking_pages),
        "opportunities": len(support.opportunities),
        "target_seconds": TARGET_SECONDS,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }


def missed(result: dict[str, Any]) -> list[str]:
    """What the run failed to do, in words (empty when every target holds)."""
    problems = []
    if result["crawl_seconds"] > result["target_seconds"]:
        problems.append(
            f"the crawl took {result['crawl_seconds']} s (target {result['target_seconds']:g} s)"
        )
    wanted = min(result["max_pages"], result["site_pages"])
    if result["pages_read"] < wanted:
        problems.append(f"{result['pages_read']} pages read of {wanted}")
    return problems


def main(pages: int = SITE_PAGES, latency: float = LATENCY) -> int:
    """Print the figures as JSON; exit 1 when the crawl misses its target."""
    result = measure(pages, latency)
    print(json.dumps(result, indent=2))
    problems = missed(result)
    print("checks: all hold" if not problems else "TARGET MISSED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
