"""The link plan: sized to the entry gap, ranked by a likelihood a reader can work out on paper."""

from __future__ import annotations

import pytest

from bot.gap.analysis import analyse
from bot.gap.link_fit import LinkFits
from bot.gap.linked_pages import linking_page_fit
from bot.gap.models import GapInput, LinkedPage, Prospect, ReferringDomain
from bot.gap.plan import build_plan, likelihood, page_fits, pitch_link, plan_size, reason
from bot.gap.settings import GapSettings
from tests.gap.factories import serp

# Five comparable pages. Score = 0.35 x share + 0.15 x followed + 0.20 x fit (0.5 unknown)
# + 0.10 x warm + 0.10 x rating band + 0.10 x traffic band:
#   a.com 5/5 followed, DR 45 (band 1), traffic unknown (0.5):
#         0.35 + 0.15 + 0.10 + 0 + 0.10 + 0.05            = 0.75
#   c.com 3/5 nofollow only, DR 20 (0.5), no traffic (0):
#         0.21 + 0 + 0.10 + 0 + 0.05 + 0                   = 0.36
#   b.com 2/5 followed, warm, DR 75 (0.75), 5,000 visits (1):
#         0.14 + 0.15 + 0.10 + 0.10 + 0.075 + 0.10          = 0.665
#   d.com 2/5 followed, unrated (0.5), traffic unknown (0.5):
#         0.14 + 0.15 + 0.10 + 0 + 0.05 + 0.05              = 0.49
PROSPECTS = [
    Prospect("a.com", 5, 45.0, False, True, None),
    Prospect("c.com", 3, 20.0, False, False, 0.0),
    Prospect("b.com", 2, 75.0, True, True, 5000.0),
    Prospect("d.com", 2, None, False, True, None),
]


def test_scores_are_the_weighted_parts_worked_out_above() -> None:
    assert [likelihood(p, 5, None) for p in PROSPECTS] == [0.75, 0.36, 0.665, 0.49]
    # A known fit replaces the 0.5: a.com with fit 0.9 gains 0.20 x 0.4 = 0.08.
    assert likelihood(PROSPECTS[0], 5, 0.9) == 0.83


def test_the_plan_takes_as_many_as_the_gap_best_first_with_half_as_many_in_reserve() -> None:
    plan = build_plan(PROSPECTS, entry_gap=2, comparable_pages=5, eta_days=40)
    assert [(e.domain, e.score) for e in plan.prospects] == [("a.com", 0.75), ("b.com", 0.665)]
    assert [(e.domain, e.score) for e in plan.reserve] == [("d.com", 0.49)]
    assert plan.eta_days == 40


@pytest.mark.parametrize(
    ("gap", "eligible", "expected"),
    [(2, 4, (2, 1)), (3, 4, (3, 1)), (10, 4, (4, 0)), (7, 20, (7, 3)), (1, 5, (1, 0)),
     (0, 4, (0, 0)), (None, 4, (0, 0))],
)  # fmt: skip
def test_plan_size_never_exceeds_the_gap_or_the_prospects(
    gap: int | None, eligible: int, expected: tuple[int, int]
) -> None:
    assert plan_size(gap, eligible) == expected


def test_no_gap_means_no_plan_and_no_eta() -> None:
    for gap in (0, None):
        plan = build_plan(PROSPECTS, entry_gap=gap, comparable_pages=5, eta_days=12)
        assert plan.prospects == ()
        assert plan.reserve == ()
        assert plan.eta_days is None


def test_a_gap_larger_than_the_prospects_plans_every_prospect() -> None:
    plan = build_plan(PROSPECTS, entry_gap=9, comparable_pages=5)
    assert [e.domain for e in plan.prospects] == ["a.com", "b.com", "d.com", "c.com"]
    assert plan.reserve == ()


def test_the_reason_says_where_the_link_comes_from_in_one_line() -> None:
    pages = [
        LinkedPage(4, "https://c4.com/x", "https://blog.run.com/gear", None, False),
        LinkedPage(
            2, "https://c2.com/x", "https://run.com/best-trail-shoes-2026", "trail shoes", True
        ),
        LinkedPage(1, "https://c1.com/x", None, None, True),
    ]  # fmt: skip
    best = pitch_link(pages)
    assert best is pages[1]  # followed and known by its page, before a better-placed unknown one
    prospect = Prospect("run.com", 4, 54.0, True, True, 12000.0)
    assert reason(prospect, 7, best, 0.81) == (
        "links to 4 of 7 comparable pages from /best-trail-shoes-2026, anchor ‘trail shoes’, "
        "followed, already links to your site, DR 54, 12,000 visits/month, topical fit 0.81"
    )
    assert reason(Prospect("x.com", 2, None, False, False, None), 3, None, None) == (
        "links to 2 of 3 comparable pages, nofollow only"
    )


def test_the_pitch_link_is_the_best_fitting_followed_page_before_the_best_placed() -> None:
    pages = [
        LinkedPage(1, "https://c1.com/x", "https://run.com/wool-socks", "socks", True),
        LinkedPage(3, "https://c3.com/x", "https://run.com/trail-running-shoes", None, True),
        LinkedPage(2, "https://c2.com/x", "https://run.com/trail-shoes-nofollow", None, False),
    ]  # fmt: skip
    (fits,) = page_fits([pages], LinkFits("trail running shoes"))
    assert fits == [
        linking_page_fit(page.linking_url, page.title, page.anchor, "trail running shoes") or 0.0
        for page in pages
    ]
    assert fits[1] > fits[0]
    assert pitch_link(pages, fits) is pages[1]
    assert pitch_link(pages) is pages[0]  # without fits: the best-placed followed page
    assert page_fits([pages], None) == [[0.0, 0.0, 0.0]]


def test_topical_fit_lifts_an_on_topic_prospect_over_a_stronger_off_topic_one() -> None:
    # Two comparable pages; the target has 1 quality domain, the entry target is 2: gap 1.
    # Both link to 2 of 2 pages, followed, traffic unknown (0.05):
    # wool.com, DR 45: 0.35 + 0.15 + 0.20 x fit + 0.10 + 0.05 = 0.65 + 0.20 x fit
    # run.com,  DR 20: 0.35 + 0.15 + 0.20 x fit + 0.05 + 0.05 = 0.60 + 0.20 x fit
    # wool.com's links are about wool (fit 0: 0.65), run.com's about trail running shoes
    # (a fit above 0.25 is enough to pass 0.65).
    pages = ["https://c1.com/trail-running-shoes", "https://c2.com/trail-running-shoes"]
    wool = ReferringDomain("wool.com", 45.0, linking_url="https://wool.com/socks", anchor="wool")
    run = ReferringDomain(
        "run.com", 20.0, linking_url="https://run.com/trail-running-shoes",
        anchor="trail running shoes",
    )  # fmt: skip
    target = "https://example.com/trail-shoes"
    report = analyse(
        GapInput(
            "trail running shoes",
            target,
            serp(*pages),
            {
                pages[0]: [wool, run],
                pages[1]: [wool, run],
                target: [ReferringDomain("z.com", 30.0)],
            },
        ),
        GapSettings(),
    )
    assert report.entry_gap == 1
    assert report.plan is not None
    assert [e.domain for e in report.plan.prospects] == ["run.com"]
    entry = report.plan.prospects[0]
    assert entry.topical_fit is not None
    assert entry.topical_fit > 0.25
    assert entry.score == round(0.60 + 0.20 * entry.topical_fit, 3)
    assert entry.linking_url == "https://run.com/trail-running-shoes"
    assert report.plan.reserve == ()
