"""The gap chart: what each report's picture shows (hand-computed), and that it always draws."""

from __future__ import annotations

import pytest

from bot.gap.analysis import analyse
from bot.gap.models import GapInput, GapReport
from bot.gap.settings import GapSettings
from bot.report.gap_chart import ChartBar, GapChart, TargetLine, gap_chart, render_gap_chart
from tests.digest.test_chart import png_size
from tests.gap.factories import good, serp

TARGET = "https://www.example.com/trail-shoes"


def report_of(pages: dict[str, int], target: str = TARGET) -> GapReport:
    """The analysis of a results page in ``pages`` order, each page with that many quality RDs.

    The target may be among the pages or not; it always has 5 quality referring domains.
    """
    links = {url: good(f"p{i}-", count) for i, (url, count) in enumerate(pages.items())}
    links[target] = good("own-", 5)
    return analyse(GapInput("trail running shoes", target, serp(*pages), links), GapSettings())


def test_bars_follow_the_results_your_page_picked_out_and_every_exclusion_named() -> None:
    report = report_of(
        {
            "https://alpha.com/guide": 40,
            "https://delta.net/guide": 60,
            "https://beta.co.uk/guide": 20,
            "https://epsilon.io/guide": 30,
            TARGET: 5,
            "https://gamma.org/guide": 10,
            "https://www.example.com/other": 7,
            "https://www.amazon.com/s?k=trail+running+shoes": 50,
        }
    )
    chart = gap_chart(report)

    assert chart.bars == (
        ChartBar(1, "alpha.com", 40, "comparable"),
        ChartBar(2, "delta.net", 60, "comparable"),
        ChartBar(3, "beta.co.uk", 20, "comparable"),
        ChartBar(4, "epsilon.io", 30, "comparable"),
        ChartBar(5, "example.com", 5, "yours"),
        ChartBar(6, "gamma.org", 10, "comparable"),
        ChartBar(7, "example.com", 7, "excluded", "your site"),
        ChartBar(8, "amazon.com", 50, "excluded", "platform"),
    )
    # Entry: the 3 weakest comparable pages above #5 are #3 (20), #4 (30), #1 (40): median 30,
    # gap 30 - 5 = 25. Stretch: #1-#3 have 40, 60, 20: median 40, gap 35.
    assert chart.targets == (TargetLine("entry", 30, 25), TargetLine("stretch", 40, 35))
    assert chart.note is None
    assert chart.title == "Quality referring domains of the top 10: trail running shoes"
    assert chart.alt_text == (
        "Bar chart of the quality referring domains of the top 10 results for "
        "“trail running shoes”; your page (#5) has 5; comparable pages 10 to 60 (5); "
        "excluded results 2; entry target 30 (gap 25); stretch target 40 (gap 35)."
    )


def test_your_page_not_ranking_comes_last_with_no_position() -> None:
    report = report_of(
        {"https://alpha.com/a": 40, "https://beta.com/b": 20, "https://gamma.com/c": 10}
    )
    chart = gap_chart(report)

    assert [bar.position for bar in chart.bars] == [1, 2, 3, None]
    assert chart.bars[-1] == ChartBar(None, "example.com", 5, "yours")
    # Off page one every comparable result outranks it: median of 40, 20, 10 is 20, gap 15.
    assert chart.targets[0] == TargetLine("entry", 20, 15)


def test_only_the_top_ten_are_drawn_and_your_page_below_them_keeps_its_position() -> None:
    pages = {f"https://site{i}.com/guide": 100 - i for i in range(11)}
    report = report_of({**pages, TARGET: 5})  # your page at #12

    chart = gap_chart(report)

    assert [bar.position for bar in chart.bars] == [*range(1, 11), 12]
    assert chart.bars[-1].kind == "yours"
    assert all(bar.kind == "comparable" for bar in chart.bars[:10])


def test_a_results_page_without_comparable_pages_draws_no_target_and_says_why() -> None:
    report = report_of(
        {"https://www.amazon.com/s?k=shoes": 50, "https://www.reddit.com/r/running/": 30}
    )
    chart = gap_chart(report)

    assert chart.targets == ()
    assert chart.note == "No targets: fewer than 2 comparable pages on page one."
    assert chart.alt_text.endswith(
        "your page (not in the top 10) has 5; excluded results 2; "
        "no targets: fewer than 2 comparable pages on page one."
    )
    assert [bar.reason for bar in chart.bars] == ["platform", "platform", None]


def test_your_page_first_has_the_stretch_line_only_and_a_gap_of_zero() -> None:
    report = report_of({TARGET: 5, "https://alpha.com/a": 4, "https://beta.com/b": 3})
    chart = gap_chart(report)

    # No comparable page above #1: no entry target. Stretch: median of 4 and 3 rounded up is 4,
    # which your 5 already pass: gap 0.
    assert chart.targets == (TargetLine("stretch", 4, 0),)
    assert chart.note == "No entry target: your page already outranks every comparable page."
    assert chart.bars[0] == ChartBar(1, "example.com", 5, "yours")


def test_a_long_keyword_is_cut_in_the_title() -> None:
    chart = GapChart("shoes " * 30, (), ())
    assert chart.title.endswith("…")
    assert len(chart.title) < 120


def bars(*values: int, first: int = 1) -> tuple[ChartBar, ...]:
    """Comparable results from position ``first`` on, one for each of ``values``."""
    return tuple(
        ChartBar(first + i, f"site{i}.com", value, "comparable") for i, value in enumerate(values)
    )


EDGE_CASES = {
    "demo-like": GapChart(
        "trail running shoes",
        (
            ChartBar(1, "closetinsider.com", 185, "excluded", "page type"),
            *bars(130, 125, 74, first=2),
            ChartBar(5, "example.com", 14, "yours"),
            ChartBar(6, "a-very-long-domain-name-for-a-shop.co.uk", 2, "comparable"),
        ),
        (TargetLine("entry", 95, 81), TargetLine("stretch", 128, 114)),
    ),
    "no comparable pages": GapChart(
        "shoes",
        (
            ChartBar(1, "amazon.com", 50, "excluded", "platform"),
            ChartBar(None, "example.com", 5, "yours"),
        ),
        (),
        "No targets: fewer than 2 comparable pages on page one.",
    ),
    "only your page, no data": GapChart("shoes", (ChartBar(None, "example.com", 0, "yours"),), ()),
    "a result with no data": GapChart(
        "shoes", (*bars(0, 0, 12), ChartBar(None, "example.com", 0, "yours")), ()
    ),
    "huge counts": GapChart(
        "shoes",
        (*bars(2_000_000_000, 1_500_000, 3), ChartBar(4, "example.com", 999_999_999, "yours")),
        (
            TargetLine("entry", 1_500_000_000, 500_000_001),
            TargetLine("stretch", 2_000_000_000, None),
        ),
    ),
    "gap 0, targets equal": GapChart(
        "shoes $5 and $10",
        (*bars(10, 10), ChartBar(3, "ex$ample.com", 12, "yours")),
        (TargetLine("entry", 10, 0), TargetLine("stretch", 10, 0)),
    ),
}


@pytest.mark.parametrize("chart", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_every_chart_is_an_800_by_400_png(chart: GapChart) -> None:
    png = render_gap_chart(chart)
    assert png_size(png) == (800, 400)
    assert len(png) < 150_000


def test_the_png_depends_on_the_data_only() -> None:
    chart = EDGE_CASES["demo-like"]
    first = render_gap_chart(chart)
    assert render_gap_chart(chart) == first
    assert b"Software" not in first  # no version stamp
    moved = GapChart(chart.keyword, chart.bars, (TargetLine("entry", 96, 82),))
    assert render_gap_chart(moved) != first
