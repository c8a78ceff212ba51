"""The bulk topical fit equals the one-link rule exactly, whatever the texts hold."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gap.analysis import analyse
from bot.gap.link_fit import LinkFits, needle
from bot.gap.linked_pages import linking_page_fit
from bot.gap.models import GapInput, LinkDetail, ReferringDomain
from bot.gap.plan import build_plan
from bot.gap.settings import GapSettings
from bot.text import normalise, stem
from tests.gap.factories import serp

#: Any text at all, lone surrogates included (JSON can carry half an emoji).
_ANY_TEXT = st.text(st.characters(exclude_categories=()))

TARGET = "https://www.example.com/trail-shoes"
FIXTURES = Path(__file__).parents[1] / "vetting" / "fixtures"
#: Words the snowball stemmer rewrites at the end, and their bases' many forms.
IRREGULAR = (
    "dying lying tying skies skis sky ugly early only singly gently idly news howe atlas "
    "happy happily possibly ability abilities mobility sensibility hoping hoped troubling "
    "relational national valency relevancy organization organizer activity activities "
    "allies cries tied proceeding exceeded succeeding inning outing canning herring earring "
    "biologist analogy analogies generously hopefulness carelessly 2026s crms 5ks"
)
SUFFIXES = (
    "", "s", "es", "ed", "ing", "ly", "y", "ies", "ied", "ity", "ities", "ness", "ation",
    "ization", "izer", "ional", "ational", "ful", "fully", "fulness", "able", "ably", "ability",
    "ible", "ibility", "ive", "iveness", "ivity", "ous", "ously", "ousness", "ism", "ist",
    "ogist", "ence", "ency", "ance", "ancy", "ent", "ently", "ment", "er", "ers", "al", "ally",
)  # fmt: skip
QUERIES = (
    ("trail running shoes", ("heel drop", "rock plate", "cushioning")),
    ("trail running shoes", ()),
    ("best crm 2026", ("sales pipeline",)),
    ("café au lait", ("espresso",)),
    ("the and of", ("heel drop",)),
    ("dying mobility skies", ("happy ability",)),
    ("", ()),
)
#: Words and marks the random texts are made of, separators and "None" among them.
VOCABULARY = [
    *(  # noqa: SIM905 - a word list reads better as text
        "trail trails trailing Trail's TRAIL trai-l running runs runner ran rerun brunch shoes "
        "shoe shoed shop show heel heels drop dropped drops rock rocks plate plated plates "
        "platform "
        "cushion cushioning cushioned best top guide review 2026 2025 the and of for a & "
        "crm crms CRMs sales pipeline pipelines café cafe CAFÉ lait espresso espressos dying die "
        "mobility mobile skies sky happy happily ability able ﬁt ｔｒａｉｌ Ｋ trail’s women‘s "
        "tr'ail run`ning %20 %C3%A9 %zz None none \x00 - _ / ? # . , ! click here"
    ).split(),
    "\n",
    "\t",
]


def _vocabulary() -> set[str]:
    found = set(IRREGULAR.split())
    for page in FIXTURES.glob("*.html"):
        found.update(normalise(re.sub(r"<[^>]+>", " ", page.read_text())).split())
    return found | {word + suffix for word in list(found)[:400] for suffix in SUFFIXES}


def test_every_word_begins_with_the_needle_of_its_stem() -> None:
    words = _vocabulary()
    assert len(words) > 5_000
    missed = [word for word in words if not word.startswith(needle(stem(word)))]
    assert missed == []


def _text(rng: random.Random) -> str | None:
    if rng.random() < 0.15:
        return None
    joiners = (" ", "-", "/", "_", "", "'", " & ")
    parts = [rng.choice(VOCABULARY) for _ in range(rng.randrange(0, 9))]
    text = "".join(part + rng.choice(joiners) for part in parts)
    return unicodedata.normalize("NFD", text) if rng.random() < 0.05 else text


def _url(rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    path = (_text(rng) or "").replace("?", "").replace("#", "")
    tail = rng.choice(("", "?q=trail+running+shoes", "#shoes", "/", "?p=12"))
    host = rng.choice(("https://trail-running.com", "//a.com:8080", "", "http://b.org"))
    return f"{host}/{path}{tail}"


def _links(seed: int, count: int) -> list[LinkDetail]:
    rng = random.Random(seed)
    return [LinkDetail(_url(rng), _text(rng), _text(rng), None, None) for _ in range(count)]


@pytest.mark.parametrize(("keyword", "topic_terms"), QUERIES)
def test_the_bulk_fits_are_the_one_link_fits(keyword: str, topic_terms: tuple[str, ...]) -> None:
    links = _links(hash((keyword, topic_terms)) % 1000, 3_000)
    fits = LinkFits(keyword, topic_terms)
    bulk = fits.fits(links).tolist()
    for link, found in zip(links, bulk, strict=True):
        expected = linking_page_fit(link.linking_url, link.title, link.anchor, keyword, topic_terms)
        assert (None if math.isnan(found) else found) == expected, link
    # Some links score and some do not: the test covers both the reading and the ruling out.
    if keyword.startswith("trail"):
        assert max(fit for fit in bulk if not math.isnan(fit)) > 0.0
        assert sum(math.isnan(fit) for fit in bulk) > 0


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(
        st.tuples(st.none() | _ANY_TEXT, st.none() | _ANY_TEXT, st.none() | _ANY_TEXT),
        max_size=6,
    ),
    query=st.sampled_from(QUERIES),
)
def test_the_bulk_fits_equal_the_one_link_fits_on_any_text(
    texts: list[tuple[str | None, str | None, str | None]],
    query: tuple[str, tuple[str, ...]],
) -> None:
    keyword, topic_terms = query
    links = [LinkDetail(url, anchor, title, None, None) for url, anchor, title in texts]
    bulk = LinkFits(keyword, topic_terms).fits(links).tolist()
    expected = [
        linking_page_fit(link.linking_url, link.title, link.anchor, keyword, topic_terms)
        for link in links
    ]
    assert [None if math.isnan(fit) else fit for fit in bulk] == expected


def test_a_text_with_the_separator_or_unicode_is_still_read() -> None:
    keyword = "trail running shoes"
    links = [
        LinkDetail("https://a.com/x", "ｓｈｏｅｓ", "Tráil \x00 running", None, None),
        LinkDetail("https://a.com/tr%61il-shoes", None, None, None, None),
        LinkDetail("https://a.com/", None, None, None, None),
    ]
    bulk = LinkFits(keyword).fits(links).tolist()
    title, anchor = "Tráil \x00 running", "ｓｈｏｅｓ"
    assert bulk[0] == linking_page_fit("https://a.com/x", title, anchor, keyword)
    assert bulk[0] > 0
    assert bulk[1] == linking_page_fit("https://a.com/tr%61il-shoes", None, None, keyword)
    assert bulk[1] > 0
    assert math.isnan(bulk[2])


def test_a_prospect_s_fit_is_its_best_linking_page_s_read_in_bulk() -> None:
    pages = [f"https://www.c{i}.com/trail-running-shoes" for i in range(1, 4)]
    rng = random.Random(3)
    page_links: dict[str, list[ReferringDomain]] = {}
    for page, links in zip(pages, (_links(n, 60) for n in range(3)), strict=True):
        page_links[page] = [
            ReferringDomain(
                f"site{rng.randrange(40)}.com",
                40.0,
                linking_url=link.linking_url,
                anchor=link.anchor,
                linking_title=link.title,
            )
            for link in links
        ]
    page_links[TARGET] = []
    data = GapInput(
        "trail running shoes", TARGET, serp(*pages), page_links, topic_terms=("heel drop",)
    )
    report = analyse(data, GapSettings(prospect_min_competitors=1))
    assert report.prospect_links is not None
    domains = [prospect.domain for prospect in report.prospects] + ["nowhere.org"]
    expected = [report.prospect_links.topical_fit(domain) for domain in domains]
    assert report.prospect_links.topical_fits(domains) == expected
    assert len({fit for fit in expected if fit}) > 3


def test_the_plan_ranks_the_analysis_s_prospects_as_columns_as_it_ranks_them_one_by_one() -> None:
    pages = [f"https://www.c{i}.com/trail-running-shoes" for i in range(1, 5)]
    rng = random.Random(8)
    page_links: dict[str, list[ReferringDomain]] = {
        page: [
            ReferringDomain(
                f"site{rng.randrange(60)}.com",
                rng.choice((None, 20.0, 50.0, 80.0)),
                linking_url=link.linking_url,
                anchor=link.anchor,
                linking_title=link.title,
                followed=rng.random() < 0.7,
            )
            for link in links
        ]
        for page, links in zip(pages, (_links(n, 80) for n in range(4)), strict=True)
    }
    page_links[TARGET] = []
    data = GapInput("trail running shoes", TARGET, serp(*pages), page_links, topic_terms=("drop",))
    report = analyse(data, GapSettings(prospect_min_competitors=1))
    assert report.prospect_links is not None
    assert report.plan is not None
    assert report.prospect_links.table_of(report.prospects) is not None
    one_by_one = build_plan(list(report.prospects), report.entry_gap, 4, report.prospect_links)

    assert report.prospect_links.table_of(list(report.prospects)) is None
    assert report.plan.ranked == one_by_one.ranked
    assert len(one_by_one.ranked) > 10


def test_a_lone_surrogate_is_read_like_any_other_character() -> None:
    link = LinkDetail(
        "https://a.com/trail-\ud800shoes", "trail \ud83d running", "x\udc00", None, None
    )
    expected = linking_page_fit(link.linking_url, link.title, link.anchor, "trail running shoes")
    assert LinkFits("trail running shoes").fits([link]).tolist() == [expected]
    assert expected is not None
    assert expected > 0
