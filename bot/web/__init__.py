"""Fetching user-supplied pages safely, and reading what they say (DESIGN sections 2.5, 3, 10).

``SafeFetcher`` is the only way the product fetches a URL a user typed;
``parse_html`` turns the page into title, headings, main text and links;
``audit_page`` is the own-page audit behind the gap report's intent flags.
"""

from __future__ import annotations

from bot.web.audit import audit_page
from bot.web.fetcher import FetchedPage, PageFetcher, SafeFetcher
from bot.web.html import Link, PageContent, parse_html

__all__ = [
    "FetchedPage",
    "Link",
    "PageContent",
    "PageFetcher",
    "SafeFetcher",
    "audit_page",
    "parse_html",
]
