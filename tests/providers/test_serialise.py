"""Cached answers come back value for value: None, booleans, dates and floats exactly."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from bot.gap.models import ReferringDomain, SerpResult
from bot.providers.serialise import (
    rating_from_json,
    rating_to_json,
    referring_domains_from_json,
    referring_domains_to_json,
    serp_results_from_json,
    serp_results_to_json,
)
from bot.store.repositories import cache_get, cache_put, get_or_create_workspace

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

ratings = st.none() | st.floats(allow_nan=False)
referring_domains = st.builds(
    ReferringDomain,
    domain=st.text(),
    domain_rating=ratings,
    is_spam=st.booleans(),
    spam_score=ratings,
    first_seen=st.none() | st.dates(),
)
serp_results = st.builds(
    SerpResult,
    position=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    url=st.text(),
    title=st.text(),
    domain_rating=ratings,
    page_type=st.none() | st.text(),
)


def through_json(document: Any) -> Any:
    """What a JSON column hands back: the document printed and parsed again."""
    return json.loads(json.dumps(document, allow_nan=False))


@given(st.lists(referring_domains, max_size=20))
def test_referring_domains_round_trip_exactly(domains: list[ReferringDomain]) -> None:
    back = referring_domains_from_json(through_json(referring_domains_to_json(domains)))

    assert back == domains
    assert [type(d.domain_rating) for d in back] == [type(d.domain_rating) for d in domains]
    assert [type(d.spam_score) for d in back] == [type(d.spam_score) for d in domains]


@given(st.lists(serp_results, max_size=20))
def test_serp_results_round_trip_exactly(results: list[SerpResult]) -> None:
    back = serp_results_from_json(through_json(serp_results_to_json(results)))

    assert back == results
    assert [type(r.position) for r in back] == [int] * len(results)


@given(ratings)
def test_a_rating_round_trips_none_included(rating: float | None) -> None:
    assert rating_from_json(through_json(rating_to_json(rating))) == rating


def test_nan_and_infinities_travel_as_text_because_json_has_none() -> None:
    domains = [
        ReferringDomain("a.com", math.inf, spam_score=-math.inf),
        ReferringDomain("b.com", math.nan),
    ]
    document = through_json(referring_domains_to_json(domains))
    back = referring_domains_from_json(document)

    assert document[0]["domain_rating"] == "Infinity"
    assert back[0] == domains[0]
    assert math.isnan(back[1].domain_rating or 0.0)


def test_numbers_printed_as_integers_come_back_as_floats() -> None:
    # PostgreSQL's jsonb prints 1e16 as 10000000000000000 and 78.0 may come back as 78.
    document = [{"domain": "a.com", "domain_rating": 78, "is_spam": False,
                 "spam_score": 10000000000000000, "first_seen": "2021-04-12"}]  # fmt: skip
    [domain] = referring_domains_from_json(document)

    assert domain == ReferringDomain("a.com", 78.0, False, 1e16, date(2021, 4, 12))
    assert isinstance(domain.domain_rating, float)
    assert isinstance(domain.spam_score, float)


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"domain": "a.com"},
        [None],
        [{"domain": "a.com", "domain_rating": None, "is_spam": 0, "spam_score": None,
          "first_seen": None}],
        [{"domain": "a.com", "domain_rating": True, "is_spam": False, "spam_score": None,
          "first_seen": None}],
        [{"domain": "a.com", "domain_rating": "78", "is_spam": False, "spam_score": None,
          "first_seen": None}],
        [{"domain": "a.com", "domain_rating": None, "is_spam": False, "spam_score": None,
          "first_seen": "12 April 2021"}],
        [{"domain": "a.com", "domain_rating": None, "is_spam": False, "spam_score": None}],
    ],
)  # fmt: skip
def test_a_document_of_the_wrong_shape_is_refused(document: Any) -> None:
    with pytest.raises(ValueError):
        referring_domains_from_json(document)


@pytest.mark.parametrize(
    "document",
    [
        [{"position": 1.0, "url": "https://a.com", "title": "", "domain_rating": None,
          "page_type": None}],
        [{"position": True, "url": "https://a.com", "title": "", "domain_rating": None,
          "page_type": None}],
        [{"position": 1, "url": None, "title": "", "domain_rating": None, "page_type": None}],
    ],
)  # fmt: skip
def test_a_serp_document_of_the_wrong_shape_is_refused(document: Any) -> None:
    with pytest.raises(ValueError):
        serp_results_from_json(document)


def test_a_rating_must_be_wrapped() -> None:
    with pytest.raises(ValueError):
        rating_from_json(None)


def test_awkward_values_survive_the_json_column(session: Session) -> None:
    """The same values through the real column, on SQLite and PostgreSQL."""
    domains = [
        ReferringDomain("a.com", 0.1, True, 5e-324, date(1, 1, 1)),
        ReferringDomain("b.com", 1e16, False, 1.7976931348623157e308, date(9999, 12, 31)),
        ReferringDomain("ünïcode.example", None, False, None, None),
        ReferringDomain("c.com", math.inf, False, -math.inf, date(2024, 2, 29)),
        ReferringDomain("d.com", 78.0, False, 2.0000000000000004, None),
    ]
    results = [SerpResult(1, "https://a.com/?q=1#x", "“Quoted” title", 33.3, "article")]
    workspace = get_or_create_workspace(session, "T1").id
    for key, payload in [
        ("rd", {"referring_domains": referring_domains_to_json(domains)}),
        ("serp", {"results": serp_results_to_json(results)}),
        ("rating", rating_to_json(None)),
    ]:
        cache_put(session, workspace, "dataforseo", key, query={}, payload=payload, now=NOW)
    session.commit()
    session.expunge_all()

    stored_rd: Any = cache_get(session, workspace, "dataforseo", "rd", NOW)
    stored_serp: Any = cache_get(session, workspace, "dataforseo", "serp", NOW)
    stored_rating = cache_get(session, workspace, "dataforseo", "rating", NOW)

    assert referring_domains_from_json(stored_rd["referring_domains"]) == domains
    assert serp_results_from_json(stored_serp["results"]) == results
    assert rating_from_json(stored_rating) is None
