"""Prospects carry the links behind them: which comparable pages, from which page, how."""

from __future__ import annotations

from datetime import date

from bot.gap.analysis import analyse
from bot.gap.domain_table import DomainTable
from bot.gap.linked_pages import linking_page_fit
from bot.gap.models import GapInput, LinkDetail, LinkedPage, ReferringDomain
from bot.gap.settings import GapSettings
from bot.providers.serialise import domain_table_from_json, domain_table_to_json
from tests.gap.factories import serp

TARGET = "https://www.example.com/trail-shoes"
PAGES = [f"https://www.c{i}.com/trail-running-shoes" for i in range(1, 4)]


def link(domain: str, url: str | None, anchor: str | None, *, followed: bool = True,
         title: str | None = None) -> ReferringDomain:  # fmt: skip
    return ReferringDomain(
        domain, 40.0, linking_url=url, anchor=anchor, linking_title=title, followed=followed,
        first_seen=date(2025, 3, 1), traffic=2500.0,
    )  # fmt: skip


def test_a_domain_is_known_by_its_first_followed_link() -> None:
    table = DomainTable.from_links(
        [
            link("www.runblog.com", "https://www.runblog.com/a", "a", followed=False),
            link("runblog.com", "https://runblog.com/b", "b"),
            link("runblog.com", "https://runblog.com/c", "c"),
            link("other.com", "https://other.com/x", None, followed=False),
        ]
    )
    assert table.domains == ("runblog.com", "other.com")
    assert table.followed == (True, False)
    assert [d.linking_url for d in table.details] == [
        "https://runblog.com/b",
        "https://other.com/x",
    ]
    assert table.traffic_values.tolist() == [2500.0, 2500.0]


def test_link_details_survive_the_cache_and_old_entries_read_without_them() -> None:
    table = DomainTable.from_links([link("runblog.com", "https://runblog.com/b", "trail shoes")])
    assert domain_table_from_json(domain_table_to_json(table)).details == (
        LinkDetail("https://runblog.com/b", "trail shoes", None, date(2025, 3, 1), 2500.0),
    )
    old = domain_table_to_json(DomainTable.from_links([ReferringDomain("a.com", 20.0)]))
    assert "linking_urls" not in old
    assert domain_table_from_json(old).details == ()


def test_prospects_name_the_competitor_pages_and_the_links_they_link_with() -> None:
    data = GapInput(
        "trail running shoes",
        TARGET,
        serp(*PAGES),
        {
            PAGES[0]: [link("runblog.com", "https://runblog.com/best-trail-shoes", "trail shoes")],
            PAGES[1]: [link("runblog.com", "https://runblog.com/gear", None, followed=False)],
            PAGES[2]: [link("knitting.com", "https://knitting.com/wool", "wool")],
            TARGET: [],
        },
    )
    report = analyse(data, GapSettings(prospect_min_competitors=2))
    assert [p.domain for p in report.prospects] == ["runblog.com"]
    assert report.prospect_links is not None
    assert report.prospect_links.linked_pages("runblog.com") == (
        LinkedPage(1, PAGES[0], "https://runblog.com/best-trail-shoes", "trail shoes", True,
                   date(2025, 3, 1)),
        LinkedPage(2, PAGES[1], "https://runblog.com/gear", None, False, date(2025, 3, 1)),
    )  # fmt: skip
    assert report.prospects[0].followed is True
    assert report.prospects[0].traffic == 2500.0
    fit = report.prospect_links.topical_fit("runblog.com")
    # The best linking page counts: its path and anchor name the keyword's words.
    assert fit == linking_page_fit(
        "https://runblog.com/best-trail-shoes", None, "trail shoes", "trail running shoes"
    )
    gear = linking_page_fit("https://runblog.com/gear", None, None, "trail running shoes")
    assert fit is not None
    assert gear is not None
    assert fit > gear
    # Many at once, as the plan asks: the same fits, None for a domain it does not know.
    links = report.prospect_links
    assert links.topical_fits(["runblog.com", "nowhere.org"]) == [fit, None]


def test_a_linking_page_s_path_words_are_read_from_any_url_shape() -> None:
    keyword = "trail running shoes"
    same = linking_page_fit("https://a.com/trail-running_shoes/?utm=x#top", None, None, keyword)
    assert same == linking_page_fit("https://a.com/trail/running/shoes", None, None, keyword)
    assert same == linking_page_fit("//a.com:8080/trail%20running-shoes", None, None, keyword)
    assert same is not None
    assert same > 0.5
    # The host, the query and the fragment are not the page's words.
    assert linking_page_fit("https://trail-running-shoes.com/?q=trail+running+shoes#shoes",
                            None, None, keyword) is None  # fmt: skip


def test_topical_fit_is_unknown_without_link_text_and_low_off_topic() -> None:
    assert linking_page_fit(None, None, None, "trail running shoes") is None
    on_topic = linking_page_fit(
        "https://runblog.com/trail-running-shoes-tested", "Trail running shoes tested",
        "trail running shoes", "trail running shoes",
    )  # fmt: skip
    off_topic = linking_page_fit(
        "https://knitting.com/wool-socks", "Knitting wool socks", "wool", "trail running shoes"
    )
    assert on_topic is not None
    assert off_topic is not None
    assert on_topic > 0.5 > off_topic
    assert off_topic == 0.0
