"""The report's internal-support section in Slack: escaped, cut to three, the rest counted."""

from __future__ import annotations

from bot.gap.internal_support import InternalSupport, LinkingPage, Opportunity
from bot.slack.blocks.messages import internal_support_text


def support(opportunities: int, linking: int = 1) -> InternalSupport:
    return InternalSupport(
        pages_crawled=1234,
        linking_pages=tuple(
            LinkingPage(f"https://shop.example/l{n}", ("a",)) for n in range(linking)
        ),
        opportunities=tuple(
            Opportunity(f"https://shop.example/o{n}", f"Sentence {n}.")
            for n in range(opportunities)
        ),
        weak=linking < 3,
    )


def test_a_page_never_crawled_has_no_section() -> None:
    assert internal_support_text(None) is None


def test_the_headline_counts_with_separators_and_says_weak() -> None:
    text = internal_support_text(support(0))
    assert text == "*Internal support*: 1 page links here (of 1,234 crawled) — weak"
    assert internal_support_text(support(0, linking=3)) == (
        "*Internal support*: 3 pages link here (of 1,234 crawled)"
    )


def test_three_opportunities_are_shown_and_the_rest_counted() -> None:
    text = internal_support_text(support(5, linking=4))
    assert text is not None
    lines = text.splitlines()
    assert lines[1] == (
        "• could link here: <https://shop.example/o0|shop.example/o0> — “Sentence 0.”"
    )
    assert len(lines) == 5
    assert lines[-1] == "…and 2 more pages that could link here (in the JSON)"
    one_more = internal_support_text(support(4, linking=4))
    assert one_more is not None
    assert one_more.splitlines()[-1] == "…and 1 more page that could link here (in the JSON)"


def test_outside_text_from_the_site_stays_inert() -> None:
    hostile = InternalSupport(
        pages_crawled=2,
        linking_pages=(),
        opportunities=(
            Opportunity(
                "https://shop.example/a?x=<!channel>|boom",
                "Trail shoes <!channel> & <https://evil.example|click> here.",
            ),
        ),
        weak=True,
    )
    text = internal_support_text(hostile)
    assert text is not None
    assert "<!channel>" not in text
    assert "<https://evil.example" not in text
    assert "Trail shoes &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; here." in text
    assert "<https://shop.example/a?x=&lt;!channel&gt;%7Cboom|" in text
