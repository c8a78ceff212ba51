"""The demo's numbers look like real ones over many keywords, not only the few the docs show.

Over 200 keywords spread across every niche: each results page's comparable pages and
the user's page have distinct quality counts, the entry and stretch targets differ
whenever they are computed from different pages, site ratings rise with referring
domains, and counts have a long right tail. Quality is counted with the test's own
restatement of the junk rules (``tests/providers/test_demo.py``).
"""

from __future__ import annotations

import math
import statistics
from functools import cache

from bot.gap.targets import RankedPage, compute_targets
from bot.providers import demo_data as data
from bot.providers.base import SerpQuery
from bot.providers.demo import DemoProvider
from tests.providers.test_demo import _comparable, _quality

MODIFIERS = ("best", "cheap", "how to choose", "reviews")


def _keywords() -> list[str]:
    """200 keywords: four niche hints per niche, each with four modifiers, then general ones."""
    keywords = [
        f"{modifier} {hint}"
        for niche in data.NICHES
        for hint in niche.hints[:4]
        for modifier in MODIFIERS
    ]
    general = ("quantum widgets", "origami cranes", "vintage typewriters", "beekeeping")
    keywords += [f"{modifier} {topic}" for topic in general for modifier in MODIFIERS]
    return keywords[:200]


KEYWORDS = _keywords()


@cache
def _page_one(keyword: str) -> tuple[list[tuple[int, float | None, int]], int | None, int]:
    """(position, rating, quality count) of each comparable result, the user's position
    (None when it does not rank) and the user's page's quality count."""
    target = f"https://www.mysite.com/guides/{keyword.replace(' ', '-')}"
    provider = DemoProvider(target_url=target)
    serp = provider.serp(SerpQuery(keyword))
    comparable = [r for r in serp if _comparable(r, target)]
    links = provider.page_referring_domains([r.url for r in comparable] + [target])
    own = next((r.position for r in serp if r.url == target), None)
    pages = [(r.position, r.domain_rating, len(_quality(links[r.url]))) for r in comparable]
    return pages, own, len(_quality(links[target]))


def test_two_hundred_keywords_cover_every_niche() -> None:
    assert len(KEYWORDS) == len(set(KEYWORDS)) == 200
    assert {niche.name for niche in data.NICHES} <= {
        next(n.name for n in data.NICHES if hint in n.hints)
        for keyword in KEYWORDS
        for hint in [keyword.split(" ", 1)[1].removeprefix("choose ")]
        if any(hint in n.hints for n in data.NICHES)
    }


def test_no_two_pages_of_a_results_page_share_a_count() -> None:
    for keyword in KEYWORDS:
        pages, own, own_count = _page_one(keyword)
        counts = [count for _, _, count in pages]
        if own is None:
            counts.append(own_count)
        assert len(counts) == len(set(counts)), (keyword, counts)


def test_entry_and_stretch_targets_differ_when_they_come_from_different_pages() -> None:
    checked = 0
    for keyword in KEYWORDS:
        pages, own, _ = _page_one(keyword)
        ranked = [RankedPage(position, count) for position, _, count in pages]
        targets = compute_targets(ranked, own, 10)
        if targets.entry_target is None or set(targets.entry_basis) & set(targets.stretch_basis):
            continue  # ranking 4th, say: the three pages above are the top three
        checked += 1
        assert targets.entry_target != targets.stretch_target, (keyword, targets)
    assert checked >= 100


def test_site_ratings_rise_with_referring_domains() -> None:
    pairs = [
        (rating, math.log10(count + 1))
        for keyword in KEYWORDS
        for _, rating, count in _page_one(keyword)[0]
        if rating is not None
    ]
    assert statistics.correlation([r for r, _ in pairs], [c for _, c in pairs]) > 0.6
    weak = [10**c - 1 for r, c in pairs if r < 20]
    strong = [10**c - 1 for r, c in pairs if r >= 60]
    assert statistics.median(strong) > 10 * statistics.median(weak)


def test_counts_have_a_long_right_tail_within_each_niche() -> None:
    by_niche: dict[str, list[int]] = {}
    for keyword in KEYWORDS:
        niche = next((n.name for n in data.NICHES if n.hints[0] in keyword), None)
        for _, _, count in _page_one(keyword)[0]:
            by_niche.setdefault(niche or "general", []).append(count)
    for counts in by_niche.values():
        ordered = sorted(counts)
        median = statistics.median(ordered)
        assert statistics.mean(ordered) > median  # skewed right
        assert ordered[int(len(ordered) * 0.95)] > 2 * median
