"""Cached answers come back value for value: None, booleans, dates and floats exactly."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from bot.gap.domain_table import DomainTable
from bot.gap.models import SerpResult
from bot.providers.serialise import (
    domain_table_from_json,
    domain_table_to_json,
    rating_from_json,
    rating_to_json,
    serp_results_from_json,
    serp_results_to_json,
)
from bot.store.repositories import cache_get, cache_put, get_or_create_workspace

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

ratings = st.none() | st.floats(allow_nan=False)
tables = st.dictionaries(
    st.text(), st.tuples(ratings, st.booleans(), ratings, st.booleans()), max_size=20
).map(
    lambda rows: DomainTable.from_columns(
        list(rows),
        [rating for rating, _, _, _ in rows.values()],
        [spam for _, spam, _, _ in rows.values()],
        [score for _, _, score, _ in rows.values()],
        [followed for _, _, _, followed in rows.values()],
    )
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


def table_document(**columns: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"domains": ["a.com"], "ratings": [None], "spam": [False],
                                "spam_scores": [None]}  # fmt: skip
    return {**document, **columns}


@given(tables)
def test_domain_tables_round_trip_exactly(table: DomainTable) -> None:
    back = domain_table_from_json(through_json(domain_table_to_json(table)))

    assert back == table
    assert [type(r) for r in back.ratings] == [type(r) for r in table.ratings]
    assert [type(s) for s in back.spam_scores] == [type(s) for s in table.spam_scores]


@given(st.lists(serp_results, max_size=20))
def test_serp_results_round_trip_exactly(results: list[SerpResult]) -> None:
    back = serp_results_from_json(through_json(serp_results_to_json(results)))

    assert back == results
    assert [type(r.position) for r in back] == [int] * len(results)


@given(ratings)
def test_a_rating_round_trips_none_included(rating: float | None) -> None:
    assert rating_from_json(through_json(rating_to_json(rating))) == rating


def test_a_table_cached_before_followed_links_reads_every_domain_followed() -> None:
    document = {"domains": ["a.com", "b.org"], "ratings": [1.0, None], "spam": [False, True]}
    table = domain_table_from_json({**document, "spam_scores": [None, None]})
    assert table.followed == (True, True)


def test_infinities_travel_as_text_and_nan_is_no_value() -> None:
    table = DomainTable.from_columns(
        ["a.com", "b.com"], [math.inf, math.nan], [False, False], [-math.inf, None]
    )
    document = through_json(domain_table_to_json(table))
    back = domain_table_from_json(document)

    assert document["ratings"] == ["Infinity", None]
    assert document["spam_scores"] == ["-Infinity", None]
    assert back == table
    assert back.ratings == (math.inf, None)


def test_numbers_printed_as_integers_come_back_as_floats() -> None:
    # PostgreSQL's jsonb prints 1e16 as 10000000000000000 and 78.0 may come back as 78.
    back = domain_table_from_json(table_document(ratings=[78], spam_scores=[10000000000000000]))

    assert back == DomainTable.from_columns(["a.com"], [78.0], [False], [1e16])
    assert isinstance(back.ratings[0], float)
    assert isinstance(back.spam_scores[0], float)


@pytest.mark.parametrize(
    "document",
    [
        None,
        [{"domain": "a.com"}],
        {"domains": ["a.com"]},
        table_document(domains="a.com"),
        table_document(domains=[None]),
        table_document(spam=[0]),
        table_document(ratings=[True]),
        table_document(ratings=["78"]),
        table_document(spam_scores=[None, None]),
        table_document(domains=["a.com", "a.com"], ratings=[1.0, 2.0], spam=[False, False],
                       spam_scores=[None, None]),
    ],
)  # fmt: skip
def test_a_document_of_the_wrong_shape_is_refused(document: Any) -> None:
    with pytest.raises(ValueError):
        domain_table_from_json(document)


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
    table = DomainTable.from_columns(
        ["a.com", "b.com", "ünïcode.example", "c.com", "d.com"],
        [0.1, 1e16, None, math.inf, 78.0],
        [True, False, False, False, False],
        [5e-324, 1.7976931348623157e308, None, -math.inf, 2.0000000000000004],
    )
    results = [SerpResult(1, "https://a.com/?q=1#x", "“Quoted” title", 33.3, "article")]
    workspace = get_or_create_workspace(session, "T1").id
    for key, payload in [
        ("rd", {"referring_domains": domain_table_to_json(table)}),
        ("serp", {"results": serp_results_to_json(results)}),
        ("rating", rating_to_json(None)),
    ]:
        cache_put(session, workspace, "dataforseo", key, query={}, payload=payload, now=NOW)
    session.commit()
    session.expunge_all()

    stored_rd: Any = cache_get(session, workspace, "dataforseo", "rd", NOW)
    stored_serp: Any = cache_get(session, workspace, "dataforseo", "serp", NOW)
    stored_rating = cache_get(session, workspace, "dataforseo", "rating", NOW)

    assert domain_table_from_json(stored_rd["referring_domains"]) == table
    assert serp_results_from_json(stored_serp["results"]) == results
    assert rating_from_json(stored_rating) is None
