"""The anchor classifier on real-looking anchors at every class boundary; the share rule."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.vetting.anchors import anchor_mix, classify_anchor, exact_share, is_naked_url
from bot.vetting.models import ANCHOR_CLASSES, AnchorClass
from bot.vetting.settings import VettingSettings

TRAIL = "trail running shoes"
TRAIL_BRANDS = ("RidgeRunner", "Ridge Runner Co", "Acme")
CRM = "crm software"
CRM_BRANDS = ("PipeDeck",)

EMPTY = ["", " ", "   ", "\t", "\n", " \u00a0 ", "\u2003", "→", "»", "…", " - ", "|", "***", "•"]

NAKED_URL = [
    "https://ridgerunner.com",
    "http://ridgerunner.com/",
    "https://www.ridgerunner.com/trail-shoes",
    "www.ridgerunner.com",
    "ridgerunner.com",
    "RidgeRunner.com",
    "example.co.uk",
    "www.example.co.uk",
    "https://example.co.uk/blog/trail-running-shoes?ref=nav",
    "shop.example.com.au",
    "example.org/guides/",
    "HTTPS://EXAMPLE.COM",
    "example.io",
    "acme.com",
    "https://acme.com/#shoes",
    "trailrunningshoes.com",
    "trail-running-shoes.net",
    "https://trail-running-shoes.net/best",
    "example.com:8080/page",
    "https://192.168.1.10/page",
    "(example.com)",
    "example.com.",
    "<https://example.com>",
    "“example.com”",
    "blog.ridgerunner.co.uk",
    "ridgerunner.de",
    "ridgerunner.shop",
    "pipedeck.com",
    "https://pipedeck.com/crm-software",
    "münchen.de",
    "https://example.com/path/with-long_slug/and.html",
    "www.example.com/?q=trail+running+shoes",
]

BRAND = [
    ("RidgeRunner", TRAIL),
    ("ridgerunner", TRAIL),
    ("RIDGERUNNER", TRAIL),
    ("the RidgeRunner guide", TRAIL),
    ("RidgeRunner's trail running shoes", TRAIL),
    ("RidgeRunner’s guide", TRAIL),
    ("trail running shoes from RidgeRunner", TRAIL),
    ("RidgeRunner trail running shoes", TRAIL),
    ("Ridge Runner Co", TRAIL),
    ("ridge runner co.", TRAIL),
    ("Ridge-Runner Co", TRAIL),
    ("the Acme guide", TRAIL),
    ("Acme", TRAIL),
    ("acme trail shoes", TRAIL),
    ("shoes by Acme!", TRAIL),
    ("Acme (2025)", TRAIL),
    ("according to Acme", TRAIL),
    ("Acme: best trail running shoes", TRAIL),
    ("read more at Acme", TRAIL),
    ("an Acme review", TRAIL),
    ("ACME", TRAIL),
    ("Acme’s", TRAIL),
    ("PipeDeck", CRM),
    ("pipedeck crm software", CRM),
    ("PipeDeck's CRM", CRM),
    ("the PipeDeck blog", CRM),
    ("try PipeDeck free", CRM),
    ("PipeDeck – CRM software", CRM),
    ("PIPEDECK", CRM),
    ("via PipeDeck", CRM),
    ("PipeDeck pricing", CRM),
    ("this PipeDeck review", CRM),
]

NOT_BRAND = [  # a brand term inside a longer word is not the brand
    ("Acmeology", TRAIL, "other"),
    ("acmeish trail gear", TRAIL, "other"),
    ("RidgeRunners", TRAIL, "other"),
    ("ridge runner", TRAIL, "other"),
    ("PipeDecks", CRM, "other"),
    ("pipe deck crm", CRM, "partial"),
    ("Acmes shoes", TRAIL, "other"),
]

EXACT = [
    ("trail running shoes", TRAIL),
    ("Trail Running Shoes", TRAIL),
    ("TRAIL RUNNING SHOES", TRAIL),
    ("trail running shoes.", TRAIL),
    ("Trail running shoes!", TRAIL),
    ("  trail   running   shoes  ", TRAIL),
    ("trail-running shoes", TRAIL),
    ("trail–running–shoes", TRAIL),
    ("trail_running_shoes", TRAIL),
    ("“trail running shoes”", TRAIL),
    ('"Trail Running Shoes"', TRAIL),
    ("trail running shoes?", TRAIL),
    ("(trail running shoes)", TRAIL),
    ("Trail\u00a0running\u00a0shoes", TRAIL),
    ("trail\nrunning shoes", TRAIL),
    ("ｔｒａｉｌ ｒｕｎｎｉｎｇ ｓｈｏｅｓ", TRAIL),
    ("trail/running/shoes", TRAIL),
    ("trail running shoes »", TRAIL),
    ("CRM software", CRM),
    ("crm software", CRM),
    ("CRM Software", CRM),
    ("C.R.M. software", "c r m software"),
    ("CRM-software", CRM),
    ("crm software:", CRM),
    ("ＣＲＭ software", CRM),
    ("women’s running shoes", "women's running shoes"),
    ("Womens' running shoes", "womens running shoes"),
    ("café racer jackets", "cafe racer jackets"),
    ("Cafe Racer Jackets", "café racer jackets"),
    ("tips & tricks", "tips and tricks"),
    ("Tips and Tricks", "tips & tricks"),
    ("how to run", "how to run"),
]

PARTIAL = [
    ("best trail running shoes", TRAIL),
    ("trail shoes", TRAIL),
    ("running shoes", TRAIL),
    ("trail running", TRAIL),
    ("the best shoes for trail running", TRAIL),
    ("trail running shoe", TRAIL),
    ("trail shoe", TRAIL),
    ("a running shoe for trails", TRAIL),
    ("shoes for running on trails", TRAIL),
    ("trail runners' shoes", TRAIL),
    ("waterproof trail shoes", TRAIL),
    ("men's trail running shoes", TRAIL),
    ("trail running shoes for women", TRAIL),
    ("top 10 trail running shoes 2025", TRAIL),
    ("these trail shoes", TRAIL),
    ("shoes for the trail", TRAIL),
    ("good running shoes", TRAIL),
    ("trail-running gear and shoes", TRAIL),
    ("CRM", CRM),
    ("crm", CRM),
    ("software", CRM),
    ("best CRM software", CRM),
    ("CRM tools", CRM),
    ("a CRM for startups", CRM),
    ("free crm", CRM),
    ("CRM software for small business", CRM),
    ("sales software", CRM),
    ("the CRM", CRM),
    ("customer software", CRM),
    ("CRMs", "crm"),
    ("softwares", CRM),
    ("link", "link building"),
]

GENERIC = [
    "click here",
    "Click here",
    "CLICK HERE!",
    "here",
    "Here.",
    "read more",
    "Read more »",
    "Read More →",
    "this article",
    "this guide",
    "website",
    "Website",
    "source",
    "Source:",
    "learn more",
    "Learn More",
    "link",
    "this post",
    "more info",
    "visit site",
    "Visit website",
    "check it out",
    "this page",
    "this website",
    "the website",
    "their website",
    "official site",
    "more details",
    "find out more",
    "continue reading",
    "this study",
    "via",
    "see here",
    "go here",
    "download",
    "this",
]

OTHER = [
    ("my favourite pair", TRAIL),
    ("what to wear on muddy fells", TRAIL),
    ("footwear for ultramarathons", TRAIL),
    ("trainers", TRAIL),
    ("running", TRAIL),
    ("shoes", TRAIL),
    ("trails", TRAIL),
    ("gear list", TRAIL),
    ("this excellent resource on grip", TRAIL),
    ("Maren Olafsdottir", TRAIL),
    ("2025 buyer's checklist", TRAIL),
    ("node.js", TRAIL),
    ("e.g.", TRAIL),
    ("v2.0", TRAIL),
    ("3.5 stars", TRAIL),
    ("readme.txt", TRAIL),
    ("our test results", TRAIL),
    ("a great pick for fell runners", TRAIL),
    ("hiking boots", TRAIL),
    ("sales pipeline tips", CRM),
    ("customer relationship management", CRM),
    ("pipeline management", CRM),
    ("contact management tools", CRM),
    ("Priya Natarajan", CRM),
    ("sales team playbook", CRM),
    ("how we moved off spreadsheets", CRM),
    ("deal tracking", CRM),
    ("lead scoring", CRM),
    ("revops stack", CRM),
    ("this excellent CRM", "best crm software for startups"),
    ("click here for more", TRAIL),
    ("here is why", TRAIL),
]


@pytest.mark.parametrize("anchor", EMPTY)
def test_whitespace_and_symbol_only_anchors_are_empty(anchor: str) -> None:
    assert classify_anchor(anchor, TRAIL, TRAIL_BRANDS) == "empty"


@pytest.mark.parametrize("anchor", NAKED_URL)
def test_urls_and_bare_domains_are_naked_urls(anchor: str) -> None:
    assert is_naked_url(anchor)
    # naked-url is tried before brand: a brand's own domain is still a naked URL
    assert classify_anchor(anchor, TRAIL, (*TRAIL_BRANDS, *CRM_BRANDS)) == "naked-url"


@pytest.mark.parametrize(("anchor", "keyword"), BRAND)
def test_a_brand_term_as_whole_words_is_brand(anchor: str, keyword: str) -> None:
    assert classify_anchor(anchor, keyword, (*TRAIL_BRANDS, *CRM_BRANDS)) == "brand"


@pytest.mark.parametrize(("anchor", "keyword", "expected"), NOT_BRAND)
def test_a_brand_term_inside_a_longer_word_is_not_brand(
    anchor: str, keyword: str, expected: AnchorClass
) -> None:
    assert classify_anchor(anchor, keyword, (*TRAIL_BRANDS, *CRM_BRANDS)) == expected


@pytest.mark.parametrize(("anchor", "keyword"), EXACT)
def test_the_keyword_after_case_punctuation_and_spacing_is_exact(anchor: str, keyword: str) -> None:
    assert classify_anchor(anchor, keyword, TRAIL_BRANDS) == "exact"


@pytest.mark.parametrize(("anchor", "keyword"), PARTIAL)
def test_half_the_keywords_content_words_is_partial(anchor: str, keyword: str) -> None:
    assert classify_anchor(anchor, keyword, TRAIL_BRANDS) == "partial"


@pytest.mark.parametrize("anchor", GENERIC)
def test_generic_phrases_are_generic(anchor: str) -> None:
    assert classify_anchor(anchor, TRAIL, TRAIL_BRANDS) == "generic"


@pytest.mark.parametrize(("anchor", "keyword"), OTHER)
def test_anything_else_is_other(anchor: str, keyword: str) -> None:
    assert classify_anchor(anchor, keyword, TRAIL_BRANDS) == "other"


def test_the_table_covers_at_least_thirty_anchors_per_class() -> None:
    tables: list[Sequence[object]] = [EMPTY, NAKED_URL, BRAND, EXACT, PARTIAL, GENERIC, OTHER]
    assert all(len(table) >= 14 for table in tables)
    assert sum(map(len, tables)) + len(NOT_BRAND) >= 200
    assert min(len(t) for t in (NAKED_URL, BRAND, EXACT, PARTIAL, GENERIC, OTHER)) >= 30


def test_order_brand_beats_exact_and_exact_beats_generic() -> None:
    assert classify_anchor("Acme trail running shoes", TRAIL, ("acme",)) == "brand"
    assert classify_anchor("read more", "read more", ()) == "exact"
    assert classify_anchor("link", "link building", ()) == "partial"


def test_a_campaign_generic_list_replaces_the_default() -> None:
    assert classify_anchor("en savoir plus", TRAIL, (), ("en savoir plus",)) == "generic"
    assert classify_anchor("click here", TRAIL, (), ("en savoir plus",)) == "other"


def test_a_keyword_of_stopwords_only_is_compared_on_all_its_words() -> None:
    assert classify_anchor("how to", "how to", ()) == "exact"
    assert classify_anchor("how to do it", "how to", ()) == "partial"


def test_blank_brand_terms_never_match() -> None:
    assert classify_anchor("trail shoes", TRAIL, ("", "  ", "!!")) == "partial"


@given(st.text(max_size=400), st.text(max_size=60), st.lists(st.text(max_size=20), max_size=4))
def test_the_classifier_never_raises(anchor: str, keyword: str, brands: list[str]) -> None:
    assert classify_anchor(anchor, keyword, brands) in ANCHOR_CLASSES


@given(st.text(max_size=80))
def test_the_exact_class_is_symmetric_in_normalisation(keyword: str) -> None:
    result = classify_anchor(keyword, keyword, ())
    assert result in ("exact", "empty", "naked-url")


# --- anchor mix -------------------------------------------------------------------------


def test_anchor_mix_gives_every_class_its_share() -> None:
    mix = anchor_mix(["brand", "brand", "exact", "partial"])
    assert list(mix) == list(ANCHOR_CLASSES)
    assert mix["brand"] == 0.5
    assert mix["exact"] == 0.25
    assert mix["generic"] == 0.0
    assert sum(mix.values()) == pytest.approx(1.0)


def test_anchor_mix_of_nothing_is_all_zero() -> None:
    assert set(anchor_mix([]).values()) == {0.0}


# --- exact-match share ------------------------------------------------------------------


def history(total: int, exact: int) -> list[AnchorClass]:
    exact_ones: list[AnchorClass] = ["exact"] * exact
    brand_ones: list[AnchorClass] = ["brand"] * (total - exact)
    return exact_ones + brand_ones


@pytest.mark.parametrize(
    ("prior", "prior_exact", "allowed", "small"),
    [
        (0, 0, True, True),  # the first placement may be exact
        (1, 0, True, True),
        (1, 1, False, True),  # the second exact in a small campaign
        (9, 0, True, True),  # 1 of 10
        (9, 1, False, True),  # 2 of 10 = 20%
        (10, 0, True, False),  # 1 of 11
        (10, 1, False, False),  # 2 of 11 = 18%
        (11, 1, False, False),  # 2 of 12 = 17%
        (11, 0, True, False),
        (19, 1, True, False),  # 2 of 20 = exactly 10%: does not exceed
        (18, 1, False, False),  # 2 of 19 = 10.5%
        (20, 1, True, False),  # 2 of 21
        (20, 2, False, False),  # 3 of 21 = 14%
        (20, 0, True, False),
        (29, 2, True, False),  # 3 of 30 = exactly 10%
        (29, 3, False, False),
    ],
)
def test_exact_share_rule_across_the_campaign_history(
    prior: int, prior_exact: int, allowed: bool, small: bool
) -> None:
    share = exact_share(history(prior, prior_exact), VettingSettings())
    assert share.allowed is allowed
    assert share.small_campaign is small
    assert share.exact == prior_exact + 1
    assert share.total == prior + 1


def test_exact_share_follows_campaign_settings() -> None:
    loose = VettingSettings(
        exact_share_limit=0.25, small_campaign_size=4, small_campaign_max_exact=2
    )
    assert exact_share(history(3, 1), loose).allowed  # small: second exact of at most 2
    assert not exact_share(history(3, 2), loose).allowed
    assert exact_share(history(7, 1), loose).allowed  # 2 of 8 = 25%
    assert not exact_share(history(7, 2), loose).allowed  # 3 of 8
