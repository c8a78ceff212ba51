"""What a fetched HTML page says: title, headings, main text, links and type hints.

Pure functions over a string (selectolax's lexbor parser), so the own-page
audit and the topical-fit check can be tested on fixture HTML without a
network. Main text is the reader's content, not the site chrome: script,
style, nav, header, footer and aside are dropped, and ``<main>`` or
``<article>`` is preferred over the whole body when the page has one.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Removed before main text is taken: code, and the chrome around the content.
_NOT_CONTENT = "script, style, noscript, template, svg, iframe, object, nav, header, footer, aside"
#: Elements that break words apart; text inside inline elements (b, a, span) runs on.
_BLOCKS = frozenset(
    (  # noqa: SIM905 - a word list reads better than 37 quoted strings
        "address article aside blockquote br dd details div dl dt figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul"
    ).split()
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_PROSE = "p, li, dd, blockquote, td, figcaption"
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


@dataclass(frozen=True, slots=True)
class Link:
    """One ``<a href>``: absolute URL (fragment dropped), anchor text, rel tokens."""

    url: str
    text: str
    rel: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageContent:
    """Everything the audit and the topical-fit check read from one page."""

    title: str
    h1: tuple[str, ...]
    #: ``<h2>`` and ``<h3>`` texts in document order.
    headings: tuple[str, ...]
    main_text: str
    word_count: int
    links: tuple[Link, ...]
    #: ``og:type`` lower-cased, when the page declares one.
    og_type: str | None = None
    #: schema.org types of the page's top-level JSON-LD items and microdata scopes.
    schema_types: tuple[str, ...] = ()


def count_words(text: str) -> int:
    """Words as a reader counts them: letters/digits, joined by inner apostrophes or hyphens."""
    return len(_WORD.findall(text))


def parse_html(html: str, url: str) -> PageContent:
    """Extract a page's content; ``url`` is where it was fetched (links resolve against it)."""
    tree = LexborHTMLParser(html)
    base = _base_url(tree, url)
    title_node = tree.css_first("title")
    content = PageContent(
        title=_clean(title_node.text()) if title_node else "",
        h1=_texts(tree, "h1"),
        headings=_texts(tree, "h2, h3"),
        main_text="",
        word_count=0,
        links=tuple(_links(tree, base)),
        og_type=_og_type(tree),
        schema_types=tuple(dict.fromkeys(_schema_types(tree))),
    )
    main_text = _main_text(tree)  # destructive: runs after everything else is read
    return PageContent(
        title=content.title,
        h1=content.h1,
        headings=content.headings,
        main_text=main_text,
        word_count=count_words(main_text),
        links=content.links,
        og_type=content.og_type,
        schema_types=content.schema_types,
    )


def paragraphs(html: str) -> tuple[str, ...]:
    """The prose blocks of a page's main content (``<p>``, ``<li>``, ``<dd>``, ``<blockquote>``,
    ``<td>``, ``<figcaption>``), each as one line of text, chrome dropped as for ``main_text``.

    Sentences are looked for inside one block, so a heading never runs into the
    paragraph under it the way it does in the flattened main text.
    """
    tree = LexborHTMLParser(html)
    for node in tree.css(_NOT_CONTENT):
        node.decompose()
    roots = tree.css("main") or tree.css("article")
    if not roots:
        roots = [tree.body] if tree.body is not None else []
    found: dict[str, None] = {}
    for root in roots:
        for node in root.css(_PROSE):
            if any(inner.mem_id != node.mem_id for inner in node.css(_PROSE)):
                continue  # a list item holding paragraphs: its paragraphs are read instead
            text = _clean(_block_text(node))
            if text:
                found.setdefault(text)
    return tuple(found)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Bytes to text: a BOM, then the header's charset, then ``<meta charset>``, then UTF-8."""
    if body.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8-sig", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    candidates = re.findall(r"charset\s*=\s*\"?([\w.:-]+)", content_type, flags=re.I)
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return body.decode(codecs.lookup(name).name, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _texts(tree: LexborHTMLParser, selector: str) -> tuple[str, ...]:
    found = (_clean(node.text(separator=" ")) for node in tree.css(selector))
    return tuple(text for text in found if text)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    """The page URL, or its ``<base href>`` when that is an http(s) URL (links resolve to it)."""
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node else ""
    if not href:
        return url
    try:
        base = urljoin(url, href)
    except ValueError:
        return url
    return base if urlsplit(base).scheme in ("http", "https") else url


def _links(tree: LexborHTMLParser, base: str) -> Iterator[Link]:
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIPPED_SCHEMES):
            continue
        try:
            absolute = urldefrag(urljoin(base, href)).url
            scheme = urlsplit(absolute).scheme
        except ValueError:
            continue
        if scheme not in ("http", "https"):
            continue
        text = _clean(node.text(separator=" "))
        if not text:
            image = node.css_first("img[alt]")
            text = _clean(image.attributes.get("alt")) if image else ""
        rel = tuple((node.attributes.get("rel") or "").lower().split())
        yield Link(url=absolute, text=text, rel=rel)


def _og_type(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first('meta[property="og:type"]')
    value = _clean(node.attributes.get("content")).lower() if node else ""
    return value or None


def _schema_types(tree: LexborHTMLParser) -> Iterator[str]:
    """Top-level JSON-LD ``@type`` values (and ``@graph`` members), then microdata scopes."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(), strict=False)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            for entry in [item, *(graph if isinstance(graph, list) else [])]:
                if isinstance(entry, dict):
                    yield from _type_names(entry.get("@type"))
    for node in tree.css("[itemscope][itemtype]"):
        if "itemprop" not in node.attributes:
            yield from _type_names((node.attributes.get("itemtype") or "").split())


def _type_names(value: object) -> Iterator[str]:
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, str) and item.strip():
            yield item.strip().rstrip("/").rsplit("/", 1)[-1]


def _main_text(tree: LexborHTMLParser) -> str:
    for node in tree.css(_NOT_CONTENT):
        node.decompose()
    roots = tree.css("main") or tree.css("article")
    if not roots:
        roots = [tree.body] if tree.body is not None else []
    ids = {root.mem_id for root in roots}
    outermost = [root for root in roots if not _has_ancestor(root, ids)]
    return _clean(" ".join(_block_text(root) for root in outermost))


def _has_ancestor(node: LexborNode, ids: set[int]) -> bool:
    """True when a parent of ``node`` is one of ``ids`` (nested <article>s count once)."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _block_text(root: LexborNode) -> str:
    """Text with a space at every block boundary, so ``<p>a</p><p>b</p>`` is two words."""
    parts: list[str] = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            parts.append(node.text_content or "")
        elif node.tag in _BLOCKS:
            parts.append(" ")
    return "".join(parts)
