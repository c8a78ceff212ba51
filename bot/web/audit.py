"""The own-page audit: does the page the team wants to rank match the keyword's intent?

DESIGN section 2.5: more links won't fix a page that misses intent, so the
report flags a missing keyword in the title or H1, thin content and a page type
unlike the results. The audit never raises: a page that cannot be fetched is
reported as ``PageAudit(fetched=False, error=...)`` and the analysis goes on.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.errors import LinkgapError
from bot.gap.domains import registrable_domain
from bot.gap.models import PageAudit
from bot.gap.urls import is_homepage, normalise_url
from bot.web.fetcher import PageFetcher
from bot.web.html import Link, PageContent, parse_html

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W_]+")

#: schema.org types (JSON-LD ``@type`` or microdata) and what they say about the page.
_SCHEMA_TYPES = {
    **dict.fromkeys(("product", "productgroup", "individualproduct", "productmodel"), "product"),
    **dict.fromkeys(
        ("collectionpage", "itemlist", "offercatalog", "searchresultspage"), "category"
    ),
    **dict.fromkeys(
        (
            "article",
            "newsarticle",
            "blogposting",
            "techarticle",
            "scholarlyarticle",
            "report",
            "howto",
            "recipe",
            "liveblogposting",
        ),
        "article",
    ),
}
_OG_TYPES = {"product": "product", "product.item": "product", "article": "article"}
#: Path segments that mark an item when another segment follows them (``/products/x``),
#: and a listing when they end the path (``/products``, ``/blog``).
_ITEM_SEGMENTS = {
    **dict.fromkeys(("product", "products", "p", "item", "items", "dp"), "product"),
    **dict.fromkeys(
        ("blog", "news", "article", "articles", "post", "posts", "guide", "guides"), "article"
    ),
}
_LISTING_SEGMENTS = frozenset(
    ("category", "categories", "collection", "collections", "c", "tag", "tags", "shop")
)


def audit_page(url: str, keyword: str, fetcher: PageFetcher) -> PageAudit:
    """Fetch ``url`` through ``fetcher`` and audit it for ``keyword``; never raises."""
    try:
        page = fetcher.fetch(url)
        content = parse_html(page.text, page.url)
    except LinkgapError as exc:
        return PageAudit(fetched=False, error=exc.message)
    except Exception:  # a broken page must not break the analysis around it
        logger.exception("page audit failed unexpectedly")
        return PageAudit(fetched=False, error="The page could not be fetched or read.")
    return PageAudit(
        fetched=True,
        keyword_in_title=contains_keyword(content.title, keyword),
        keyword_in_h1=any(contains_keyword(h1, keyword) for h1 in content.h1),
        word_count=content.word_count,
        page_type=classify_page(page.url, content),
        internal_links=count_internal_links(page.url, content.links),
    )


def keyword_tokens(text: str) -> list[str]:
    """Case-folded word tokens with punctuation removed (``"Trail-Running Shoes!"`` → 3 tokens)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def contains_keyword(text: str, keyword: str) -> bool:
    """True when every token of ``keyword`` appears in ``text`` as a whole token, in any order."""
    wanted = set(keyword_tokens(keyword))
    return bool(wanted) and wanted <= set(keyword_tokens(text))


def classify_page(url: str, content: PageContent) -> str:
    """``homepage``, ``product``, ``category``, ``article`` or ``other``, first signal wins.

    1. ``homepage`` when the path is ``/`` or empty (DESIGN section 2.2);
    2. the first recognised schema.org type (JSON-LD or microdata), in document order;
    3. ``og:type`` (``product``, ``article``);
    4. the URL path: ``/products/x`` or ``/p/x`` → product, ``/blog/x`` or ``/guides/x``
       → article, ``/category/x``, ``/collections/x``, ``/tag/x`` or a bare ``/blog``
       or ``/products`` → category (product markers are checked first, so
       ``/collections/x/products/y`` is a product);
    5. otherwise ``other``.
    """
    if is_homepage(url):
        return "homepage"
    for schema_type in content.schema_types:
        if schema_type.lower() in _SCHEMA_TYPES:
            return _SCHEMA_TYPES[schema_type.lower()]
    if content.og_type in _OG_TYPES:
        return _OG_TYPES[content.og_type]
    return _type_from_path(urlsplit(url).path)


def _type_from_path(path: str) -> str:
    segments = [segment.lower() for segment in path.split("/") if segment]
    found = [_ITEM_SEGMENTS[segment] for segment in segments[:-1] if segment in _ITEM_SEGMENTS]
    if "product" in found:
        return "product"
    if any(segment in _LISTING_SEGMENTS for segment in segments) or (
        segments and segments[-1] in _ITEM_SEGMENTS
    ):
        return "category"
    return found[0] if found else "other"


def count_internal_links(url: str, links: Iterable[Link]) -> int:
    """Distinct pages on the same registrable domain that ``url`` links to, itself excluded.

    Distinct after normalisation (scheme, ``www.``, trailing slash ignored), so
    a menu and a footer linking the same page count once.
    """
    site = site_domain(url)
    own = normalise_url(url)
    targets = {normalise_url(link.url) for link in links if site and site_domain(link.url) == site}
    targets.discard(own)
    return len(targets)


def site_domain(url: str) -> str:
    """The registrable domain of ``url``'s host (``blog.shop.co.uk`` → ``shop.co.uk``), or ""."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return registrable_domain(host) if host else ""
