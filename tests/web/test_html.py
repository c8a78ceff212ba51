"""HTML extraction on fixture pages: what a reader sees, not the site chrome."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.web.html import Link, count_words, decode_html, parse_html

ARTICLE_PAGE = """<!doctype html>
<html><head>
  <title>  Best Trail Running Shoes   of 2025 </title>
  <meta property="og:type" content="Article">
  <script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "BlogPosting", "author": {"@type": "Person", "name": "Ana"}},
      {"@type": ["BreadcrumbList"]}]}
  </script>
  <style>.x { color: red }</style>
</head><body>
  <header><a href="/">Home</a><nav><a href="/shop">Shop</a> <a href="/blog">Blog</a></nav></header>
  <main>
    <h1>Best trail-running shoes</h1>
    <p>Grip matters on <b>wet</b> rock.</p><p>Cushion matters on long runs.</p>
    <h2>How we tested</h2><h3>Grip</h3>
    <script>var tracking = "not content words here";</script>
    <aside>Related: ten other posts nobody reads</aside>
    <p>See <a href="/reviews/hoka#specs" rel="NoFollow UGC">our Hoka review</a>
       and <a href="https://partner.example/deal">a partner deal</a>.</p>
  </main>
  <footer>© 2025 Shoe Blog <a href="mailto:hi@shoeblog.example">mail</a></footer>
</body></html>"""


def test_title_and_headings_are_extracted_with_whitespace_collapsed() -> None:
    content = parse_html(ARTICLE_PAGE, "https://shoeblog.example/blog/best-trail-shoes")
    assert content.title == "Best Trail Running Shoes of 2025"
    assert content.h1 == ("Best trail-running shoes",)
    assert content.headings == ("How we tested", "Grip")


def test_main_text_drops_scripts_styles_nav_header_footer_and_aside() -> None:
    content = parse_html(ARTICLE_PAGE, "https://shoeblog.example/blog/best-trail-shoes")
    assert "Grip matters on wet rock." in content.main_text
    assert "Cushion matters" in content.main_text
    for chrome in ("tracking", "Related", "Shop", "2025 Shoe Blog", "color"):
        assert chrome not in content.main_text


def test_word_count_counts_main_content_words_only() -> None:
    content = parse_html(ARTICLE_PAGE, "https://shoeblog.example/blog/best-trail-shoes")
    # Best trail-running shoes (3) / Grip matters on wet rock (5) / Cushion matters
    # on long runs (5) / How we tested (3) / Grip (1) / See our Hoka review and a
    # partner deal (8)
    assert content.word_count == 25


def test_paragraphs_are_separate_words_and_inline_tags_are_not() -> None:
    content = parse_html(
        "<body><p>one</p><p>two</p><p>thr<b>ee</b></p></body>", "https://a.example/"
    )
    assert content.main_text == "one two three"
    assert content.word_count == 3


def test_article_is_preferred_when_there_is_no_main() -> None:
    html = "<body><div>menu words</div><article><p>real story</p></article></body>"
    assert parse_html(html, "https://a.example/x").main_text == "real story"


def test_body_is_used_when_there_is_no_main_or_article() -> None:
    html = "<body><nav>menu</nav><div><p>plain page text</p></div></body>"
    assert parse_html(html, "https://a.example/x").main_text == "plain page text"


def test_nested_articles_are_counted_once() -> None:
    html = "<article><p>story</p><article><p>comment</p></article></article>"
    assert parse_html(html, "https://a.example/x").word_count == 2


def test_links_are_absolute_with_anchor_text_and_rel() -> None:
    content = parse_html(ARTICLE_PAGE, "https://shoeblog.example/blog/best-trail-shoes")
    assert Link("https://shoeblog.example/", "Home") in content.links
    assert (
        Link("https://shoeblog.example/reviews/hoka", "our Hoka review", ("nofollow", "ugc"))
        in content.links
    )
    assert Link("https://partner.example/deal", "a partner deal") in content.links
    assert all(not link.url.startswith("mailto:") for link in content.links)


def test_links_resolve_against_base_href_and_skip_non_web_schemes() -> None:
    html = """<head><base href="https://cdn.example/docs/"></head><body>
      <a href="guide">Guide</a><a href="javascript:void(0)">js</a><a href="#top">top</a>
      <a href="tel:123">call</a><a href="//other.example/x"><img alt="Other site"></a>
      <a href="http://[bad">broken</a></body>"""
    links = parse_html(html, "https://site.example/page").links
    assert links == (
        Link("https://cdn.example/docs/guide", "Guide"),
        Link("https://other.example/x", "Other site"),
    )


def test_page_type_hints_come_from_json_ld_microdata_and_og_type() -> None:
    content = parse_html(ARTICLE_PAGE, "https://shoeblog.example/blog/best-trail-shoes")
    assert content.og_type == "article"
    assert content.schema_types == ("BlogPosting", "BreadcrumbList")
    micro = (
        '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">X</span></div>'
    )
    assert parse_html(micro, "https://a.example/x").schema_types == ("Product",)


def test_broken_json_ld_is_ignored() -> None:
    html = '<script type="application/ld+json">{"@type": "Product",</script><p>text</p>'
    assert parse_html(html, "https://a.example/x").schema_types == ()


def test_decode_html_prefers_bom_then_header_then_meta_then_utf8() -> None:
    assert decode_html("é".encode("utf-8-sig"), "text/html; charset=latin-1") == "é"
    assert decode_html("é".encode("latin-1"), "text/html; charset=ISO-8859-1") == "é"
    meta = '<meta charset="windows-1252"><p>€</p>'.encode("cp1252")
    assert "€" in decode_html(meta, "text/html")
    assert decode_html("é".encode(), "text/html; charset=no-such-charset") == "é"


@given(st.text())
def test_parser_never_raises_on_any_text(html: str) -> None:
    content = parse_html(html, "https://a.example/")
    assert content.word_count == count_words(content.main_text)


def test_paragraphs_are_the_main_content_s_prose_blocks_without_chrome() -> None:
    from bot.web.html import paragraphs

    html = (
        "<nav><p>Menu</p></nav><header><p>Banner</p></header>"
        "<main><h1>Trail shoes</h1><p>One. <a href='/x'>Two</a> words.</p>"
        "<ul><li>Plain item</li><li><p>Item paragraph</p></li></ul>"
        "<p>One. <a href='/x'>Two</a> words.</p><script>var p = 1;</script></main>"
        "<footer><p>Footer</p></footer>"
    )
    # Headings are not prose; a list item holding a paragraph is read as that paragraph;
    # a block repeated word for word is kept once.
    assert paragraphs(html) == ("One. Two words.", "Plain item", "Item paragraph")
