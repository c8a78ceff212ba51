"""Internal support from crawled pages: who links here, and where a link could go.

Every expected value is read off the pages below by hand.
"""

from __future__ import annotations

from bot.gap.internal_support import (
    InternalSupport,
    Opportunity,
    SiteLink,
    SitePage,
    internal_support,
    internal_support_flags,
    sentences,
)

TARGET = "https://www.shop.example/trail-running-shoes"


def page(path: str, *paragraphs: str, links: tuple[tuple[str, str], ...] = ()) -> SitePage:
    return SitePage(
        url=f"https://www.shop.example{path}",
        links=tuple(SiteLink(url, anchor) for url, anchor in links),
        paragraphs=paragraphs,
    )


def test_pages_linking_here_are_counted_with_their_anchors_in_any_spelling_of_the_url() -> None:
    pages = [
        # The target written without www., over http, with a trailing slash: the same page.
        page("/blog/care", links=(("http://shop.example/trail-running-shoes/", "our shoes"),)),
        page(
            "/",
            links=(
                (TARGET, "Trail shoes"),
                (TARGET + "#sizes", "sizes"),
                (TARGET, "Trail shoes"),  # a menu and a footer with one anchor: listed once
            ),
        ),
        page("/about", links=(("https://www.shop.example/trail-running-shoes?colour=red", "red"),)),
        # The target itself linking to itself is no support.
        page("/trail-running-shoes", links=((TARGET, "self"),)),
    ]
    support = internal_support(pages, TARGET, "trail running shoes")
    assert [(p.url, p.anchors) for p in support.linking_pages] == [
        ("https://www.shop.example/", ("Trail shoes", "sizes")),
        ("https://www.shop.example/blog/care", ("our shoes",)),
    ]
    # 4 pages, one of them the target; /about links to another page (a query is kept).
    assert support.pages_crawled == 3
    assert support.weak  # 2 < 3


def test_three_linking_pages_are_not_weak() -> None:
    pages = [page(f"/p{n}", links=((TARGET, "shoes"),)) for n in range(3)]
    assert not internal_support(pages, TARGET, "trail running shoes").weak


def test_opportunities_are_pages_that_mention_the_topic_without_linking() -> None:
    pages = [
        # Mentions the keyword (as "trail shoes ... running": every stem is there) twice.
        page(
            "/blog/races",
            "We ran three races. Trail shoes matter when running in mud! Socks matter too.",
            "Our running shoes for trail days are old.",
        ),
        # Mentions only a topic term, once.
        page("/blog/socks", "Good socks stop blisters. Heel drop is a number worth knowing."),
        # Mentions the keyword and links: support, not an opportunity.
        page("/blog/care", "Clean trail running shoes often.", links=((TARGET, "shoes"),)),
        # Mentions nothing of the topic.
        page("/about", "We are a small team in Leeds."),
        # Two sentences mention topic terms; the one naming both terms is offered.
        page(
            "/blog/fit",
            "Heel drop changes how a shoe feels. Cushioning and heel drop go together.",
        ),
    ]
    support = internal_support(
        pages, TARGET, "trail running shoes", topic_terms=["heel drop", "cushioning"]
    )
    assert support.opportunities == (
        Opportunity(
            "https://www.shop.example/blog/races", "Trail shoes matter when running in mud!"
        ),
        Opportunity("https://www.shop.example/blog/fit", "Cushioning and heel drop go together."),
        Opportunity("https://www.shop.example/blog/socks", "Heel drop is a number worth knowing."),
    )
    assert [p.url for p in support.linking_pages] == ["https://www.shop.example/blog/care"]


def test_the_opportunity_list_is_bounded_and_long_sentences_are_cut() -> None:
    long = "Trail running shoes " + "and more words " * 40 + "end."
    pages = [page(f"/p{n:02d}", long) for n in range(30)]
    support = internal_support(pages, TARGET, "trail running shoes", max_opportunities=5)
    assert [o.url for o in support.opportunities] == [
        f"https://www.shop.example/p{n:02d}" for n in range(5)
    ]
    sentence = support.opportunities[0].sentence
    assert len(sentence) <= 280
    assert sentence.endswith("…")
    assert sentence.startswith("Trail running shoes and more words")


def test_an_empty_crawl_has_no_support_and_no_opportunities() -> None:
    assert internal_support([], TARGET, "trail running shoes") == InternalSupport(
        pages_crawled=0, linking_pages=(), opportunities=(), weak=True
    )


def test_sentences_split_after_end_marks_and_closing_quotes() -> None:
    assert sentences('He said "go." Then we ran!  Why? Because… we could. e.g') == [
        'He said "go."',
        "Then we ran!",
        "Why?",
        "Because…",
        "we could.",
        "e.g",
    ]


def test_weak_support_is_flagged_with_the_opportunities_to_start_from() -> None:
    pages = [
        page("/blog/care", links=((TARGET, "shoes"),)),
        page("/blog/races", "Trail running shoes wear out."),
        page("/about", "We are a small team."),
    ]
    support = internal_support(pages, TARGET, "trail running shoes")
    assert [(flag.code, flag.message) for flag in internal_support_flags(support, None)] == [
        (
            "weak-internal-support",
            "Only 1 of the 3 crawled pages of your site links to your page; 1 of your pages "
            "mentions the topic without linking: start there. External links work better when "
            "your own pages support the page.",
        )
    ]
    none = internal_support(pages[1:], TARGET, "trail running shoes")
    assert internal_support_flags(none, None)[0].message.startswith(
        "None of the 2 crawled pages of your site links to your page; "
    )


def test_an_uncrawlable_site_is_flagged_and_a_site_never_crawled_is_not() -> None:
    assert internal_support_flags(None, None) == []
    (flag,) = internal_support_flags(None, "robots.txt does not allow crawling the site.")
    assert flag.code == "internal-support-unknown"
    assert "robots.txt does not allow crawling" in flag.message
