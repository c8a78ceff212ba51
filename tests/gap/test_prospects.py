from __future__ import annotations

from bot.gap.prospects import find_prospects


def test_prospects_link_to_several_competitors_but_not_to_the_target() -> None:
    competitors = [
        frozenset({"a.com", "b.com", "c.com", "t.com"}),
        frozenset({"a.com", "b.com", "t.com", "d.com"}),
        frozenset({"a.com", "c.com", "t.com"}),
    ]
    prospects = find_prospects(
        competitors,
        target_domains=frozenset({"t.com"}),
        site_domains=frozenset({"c.com"}),
        ratings_by_page=[{"a.com": 20, "b.com": 70}, {"c.com": 70, "b.com": 70}],
        min_competitors=2,
    )
    assert [(p.domain, p.competitors_linked, p.warm) for p in prospects] == [
        ("a.com", 3, False),
        ("b.com", 2, False),  # ties on count: higher rating first, then name
        ("c.com", 2, True),
    ]


def test_unrated_prospects_rank_after_rated_ones_and_threshold_applies() -> None:
    competitors = [frozenset({"x.com", "y.com", "z.com"}), frozenset({"x.com", "y.com"})]
    prospects = find_prospects(competitors, frozenset(), frozenset(), [{}, {"y.com": 5}], 2)
    assert [p.domain for p in prospects] == ["y.com", "x.com"]
    assert find_prospects(competitors, frozenset(), frozenset(), [], 3) == []
