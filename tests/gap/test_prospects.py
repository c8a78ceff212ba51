from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gap.domain_ids import DomainIds
from bot.gap.domain_table import DomainTable
from bot.gap.models import Prospect, ReferringDomain
from bot.gap.prospects import find_prospects
from bot.gap.quality import JunkFilter, PageDomains
from bot.gap.settings import GapSettings

#: No junk by rating, so each test decides exactly which domains are quality.
KEEP_ALL = JunkFilter(GapSettings(min_domain_rating=0))


def page(ratings: dict[str, float | None]) -> PageDomains:
    return KEEP_ALL.page_domains([ReferringDomain(domain, r) for domain, r in ratings.items()])


NOBODY = page({})


def test_prospects_link_to_several_competitors_but_not_to_the_target() -> None:
    competitors = [
        page({"a.com": 20, "b.com": 70, "c.com": 70, "t.com": 50}),
        page({"a.com": 20, "b.com": 70, "t.com": 50, "d.com": 90}),
        page({"a.com": 20, "c.com": 70, "t.com": 50}),
    ]
    prospects = find_prospects(
        competitors, target=page({"t.com": 50}), site=page({"c.com": 70}), min_competitors=2
    )
    assert prospects == [
        Prospect("a.com", 3, 20.0, False),
        Prospect("b.com", 2, 70.0, False),  # ties on count: higher rating first, then name
        Prospect("c.com", 2, 70.0, True),
    ]


def test_unrated_prospects_rank_after_rated_ones_and_threshold_applies() -> None:
    competitors = [page({"x.com": None, "y.com": 5, "z.com": 9}), page({"x.com": None, "y.com": 5})]
    prospects = find_prospects(competitors, NOBODY, NOBODY, 2)
    assert [(p.domain, p.domain_rating) for p in prospects] == [("y.com", 5.0), ("x.com", None)]
    assert find_prospects(competitors, NOBODY, NOBODY, 3) == []
    assert [p.domain for p in find_prospects(competitors, NOBODY, NOBODY, 1)] == [
        "y.com",
        "x.com",
        "z.com",
    ]


def test_the_first_page_that_rates_a_domain_decides_its_rating() -> None:
    competitors = [page({"a.com": None}), page({"a.com": 30}), page({"a.com": 80})]
    assert find_prospects(competitors, NOBODY, NOBODY, 2) == [Prospect("a.com", 3, 30.0, False)]


def test_no_competitors_means_no_prospects() -> None:
    assert find_prospects([], NOBODY, NOBODY, 2) == []


def test_pages_in_different_encodings_are_refused() -> None:
    table = DomainTable.from_links([ReferringDomain("a.com", 50)])
    elsewhere = KEEP_ALL.page_domains(table.in_encoding(DomainIds()))
    with pytest.raises(ValueError, match="one encoding"):
        find_prospects([page({"a.com": 50}), elsewhere], NOBODY, NOBODY, 2)


def reference(
    pages: list[dict[str, float | None]], target: set[str], site: set[str], minimum: int
) -> list[Prospect]:
    """The method written the obvious way: count, filter, rate from the first page, sort."""
    counts = Counter(domain for ratings in pages for domain in ratings)
    rating: dict[str, float] = {}
    for ratings in pages:
        for domain, value in ratings.items():
            if value is not None:
                rating.setdefault(domain, value)
    chosen = [d for d, n in counts.items() if n >= minimum and d not in target]
    chosen.sort(key=lambda d: (-counts[d], -rating.get(d, -1.0), d))
    return [Prospect(d, counts[d], rating.get(d), d in site) for d in chosen]


NAMES = st.sampled_from([f"{name}.{tld}" for name in "abcdefghij" for tld in ("com", "co.uk")])
RATING = st.one_of(st.none(), st.integers(0, 100).map(float))


@settings(max_examples=150, deadline=None)
@given(
    pages=st.lists(st.dictionaries(NAMES, RATING, max_size=12), max_size=6),
    target=st.sets(NAMES, max_size=4),
    site=st.sets(NAMES, max_size=6),
    minimum=st.integers(1, 4),
)
def test_prospects_match_the_obvious_implementation(
    pages: list[dict[str, float | None]], target: set[str], site: set[str], minimum: int
) -> None:
    # A domain's rating is a property of the domain: the same on every page that rates it.
    same: dict[str, float | None] = {}
    pages = [{d: same.setdefault(d, r) for d, r in ratings.items()} for ratings in pages]
    found = find_prospects(
        [page(ratings) for ratings in pages],
        page(dict.fromkeys(target, 50.0)),
        page(dict.fromkeys(site, 50.0)),
        minimum,
    )
    assert found == reference(pages, target, site, minimum)
