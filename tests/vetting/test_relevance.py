"""Topical fit on realistic fixture pages: the calibration behind the 0.25 / 0.10 thresholds.

The pages in ``fixtures/`` are fictional sites written for these tests, with
their navigation, sidebars and footers. Scores are pinned by band, not value:
a change to the scorer that moves a page across a threshold must be a decision.
The table of scores is in docs/vetting.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import _stem_word, stem
from bot.vetting.models import PageEvidence
from bot.vetting.relevance import has_text, relevance
from bot.web.html import parse_html

FIXTURES = Path(__file__).parent / "fixtures"

TOPICS = {
    "trail": (
        "trail running shoes",
        ("trail running", "grip", "lugs", "cushioning", "heel drop", "rock plate",
         "waterproof", "ultramarathon"),
    ),
    "crm": (
        "crm software",
        ("customer relationship management", "sales pipeline", "contact management",
         "leads", "deals", "sales team", "automation"),
    ),
}  # fmt: skip
PAGES = sorted(path.stem for path in FIXTURES.glob("*.html"))


def page(name: str) -> PageEvidence:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return PageEvidence.from_page(parse_html(html, f"https://fixture.example/{name}"))


def expected_band(name: str, topic: str) -> str:
    """trail-relevant-* pass for trail, trail-borderline-* warn, everything else fails."""
    if name.startswith(f"{topic}-relevant"):
        return "pass"
    if name.startswith(f"{topic}-borderline"):
        return "warn"
    return "fail"


def band(score: float) -> str:
    return "pass" if score >= 0.25 else "warn" if score >= 0.10 else "fail"


def test_the_fixture_set_is_big_enough_to_calibrate_on() -> None:
    relevant = [p for p in PAGES if "-relevant-" in p]
    borderline = [p for p in PAGES if "-borderline-" in p]
    offtopic = [p for p in PAGES if p.startswith("offtopic-")]
    assert len(relevant) >= 6
    assert len(offtopic) >= 6
    assert len(borderline) >= 4


@pytest.mark.parametrize("topic", sorted(TOPICS))
@pytest.mark.parametrize("name", PAGES)
def test_calibration_with_the_campaign_topic_terms(name: str, topic: str) -> None:
    keyword, terms = TOPICS[topic]
    score = relevance(page(name), keyword, terms)
    assert band(score) == expected_band(name, topic), f"{name} for {topic}: {score:.3f}"


@pytest.mark.parametrize("topic", sorted(TOPICS))
@pytest.mark.parametrize("name", PAGES)
def test_keyword_only_still_passes_relevant_and_fails_off_topic_pages(
    name: str, topic: str
) -> None:
    """Without topic terms the score knows only the keyword: tangential pages may fall to fail."""
    keyword, _ = TOPICS[topic]
    score = relevance(page(name), keyword)
    expected = expected_band(name, topic)
    if expected == "warn":
        assert band(score) in ("warn", "fail")
    else:
        assert band(score) == expected, f"{name} for {topic}: {score:.3f}"


def test_relevant_pages_clear_the_pass_bar_by_a_wide_margin() -> None:
    for topic, (keyword, terms) in TOPICS.items():
        for name in PAGES:
            if name.startswith(f"{topic}-relevant"):
                assert relevance(page(name), keyword, terms) >= 0.4


def test_the_same_page_always_scores_the_same() -> None:
    evidence = page("trail-relevant-roundup")
    keyword, terms = TOPICS["trail"]
    assert len({relevance(evidence, keyword, terms) for _ in range(5)}) == 1


def test_a_page_does_not_win_by_length() -> None:
    """Repeating a page's text ten times changes its score only a little."""
    evidence = page("trail-relevant-shoe-review")
    long = PageEvidence(True, evidence.title, evidence.headings, evidence.main_text * 10)
    keyword, terms = TOPICS["trail"]
    assert abs(relevance(long, keyword, terms) - relevance(evidence, keyword, terms)) < 0.1


def test_keyword_stuffing_saturates() -> None:
    stuffed = PageEvidence(True, "trail running shoes", (), "trail running shoes " * 500)
    assert relevance(stuffed, "trail running shoes") < 1.0


def test_the_title_and_headings_weigh_more_than_the_body() -> None:
    body = "An article about gear. " * 20
    in_title = PageEvidence(True, "Trail running shoes", (), body)
    in_body = PageEvidence(True, "Gear", (), body + " trail running shoes")
    assert relevance(in_title, "trail running shoes") > relevance(in_body, "trail running shoes")


def test_words_match_by_stem() -> None:
    evidence = PageEvidence(True, "A trail runner's shoe", ("Trails and shoes",), "")
    assert relevance(evidence, "trail running shoes") > 0.1


@given(st.integers(min_value=0, max_value=10**12).map(str))
def test_a_number_is_its_own_stem_as_the_stemmer_would_say(number: str) -> None:
    # Numbers skip the stemmer (URL ids and years are most of a linking page's odd words);
    # what the stemmer itself says of them is the same.
    assert stem(number) == number == _stem_word(number)


def test_unfetched_and_empty_pages_score_zero() -> None:
    assert relevance(PageEvidence.not_fetched("timeout"), "crm software") == 0.0
    assert relevance(PageEvidence(True), "crm software") == 0.0
    assert relevance(PageEvidence(True, "CRM"), "") == 0.0
    assert not has_text(PageEvidence(True, "the", ("of",), "and a"))
    assert has_text(PageEvidence(True, "", (), "software"))


def test_topic_terms_alone_score_a_keyword_of_stopwords() -> None:
    evidence = PageEvidence(True, "Grip and lugs", (), "grip lugs grip")
    assert relevance(evidence, "the", ("grip", "lugs")) > 0.25


@given(
    st.text(max_size=80),
    st.lists(st.text(max_size=40), max_size=4),
    st.text(max_size=2000),
    st.text(max_size=40),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_relevance_stays_between_zero_and_one(
    title: str, headings: list[str], body: str, keyword: str, terms: list[str]
) -> None:
    evidence = PageEvidence(True, title, tuple(headings), body)
    assert 0.0 <= relevance(evidence, keyword, terms) <= 1.0


@given(st.integers(min_value=1, max_value=60))
def test_relevance_of_a_page_full_of_the_keyword_stays_in_range(repeat: int) -> None:
    text = "trail running shoes grip lugs " * repeat
    assert 0.0 <= relevance(PageEvidence(True, text, (text,), text), "trail running shoes") <= 1.0
