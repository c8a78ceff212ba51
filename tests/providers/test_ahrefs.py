"""Ahrefs API v3 against documented-shape answers: SERP overview, all-backlinks (one link per
domain), refdomains, batch analysis."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.errors import ConfigError, ProviderAuthError, ProviderBadResponse, ProviderUnavailable
from bot.gap.models import ReferringDomain
from bot.providers.ahrefs import AhrefsProvider
from bot.providers.base import SerpQuery
from bot.providers.registry import make_provider

FIXTURES = Path(__file__).parent / "fixtures" / "ahrefs"
DOCS = Path(__file__).parents[2] / "docs" / "providers.md"
KEY = "ahrefs-key-0a1b2c3d4e5f"
PAGE = "https://www.rei.com/learn/expert-advice/trail-running-shoes.html"
Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return body


def provider(handler: Handler, sleeps: list[float] | None = None, **kwargs: Any) -> AhrefsProvider:
    waits = sleeps if sleeps is not None else []
    return AhrefsProvider(KEY, transport=httpx.MockTransport(handler), sleep=waits.append, **kwargs)


def test_serp_keeps_organic_results_numbers_them_and_passes_page_type_through() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("serp_overview.json"))

    results = provider(handler).serp(SerpQuery("trail running shoes"))

    assert [(r.position, r.url, r.page_type, r.domain_rating) for r in results] == [
        (1, "https://www.runnersworld.com/gear/a19663621/best-trail-running-shoes/",
         "/Article/Listicle", 89.0),
        (2, PAGE, "/Article/How_to", 86.0),
        (3, "https://www.shoeshop.example/", "/Homepage", 23.0),
    ]  # fmt: skip
    request = seen[0]
    assert request.url.path == "/v3/serp-overview/serp-overview"
    params = request.url.params
    assert params["keyword"] == "trail running shoes"
    assert params["country"] == "us"
    assert set(params["select"].split(",")) >= {"position", "url", "title", "type", "page_type"}
    assert params["top_positions"] == "10"
    assert request.headers["Authorization"] == f"Bearer {KEY}"


def test_page_domains_come_one_link_per_domain_with_the_page_it_is_on() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json=fixture("all_backlinks.json"), headers={"x-api-units-cost-total-actual": "50"}
        )

    ahrefs = provider(handler, usd_per_unit=0.001)
    answer = ahrefs.page_referring_domains([PAGE])

    assert answer == {
        PAGE: [
            ReferringDomain(
                "blog.trailhub.example",
                domain_rating=41.0,
                first_seen=date(2021, 4, 12),
                linking_url="https://blog.trailhub.example/reviews/best-trail-running-shoes/",
                anchor="REI's guide to trail running shoes",
                linking_title="The best trail running shoes of 2026, tested",
            ),
            ReferringDomain(
                "forum.runclub.example",
                domain_rating=4.9,
                first_seen=date(2024, 3, 13),
                followed=False,
                linking_url="https://forum.runclub.example/t/which-shoes-for-mud/812",
                anchor=None,  # an empty anchor is no anchor
                linking_title="Which shoes for mud? - Run Club forum",
            ),
            ReferringDomain(
                "cheap-seo-links.xyz",
                domain_rating=0.0,
                is_spam=True,
                first_seen=date(2023, 1, 2),
                linking_url="https://cheap-seo-links.xyz/p/9",
                anchor="shoes",
                linking_title="Links",
            ),
        ]
    }
    request = seen[0]
    assert request.url.path == "/v3/site-explorer/all-backlinks"
    params = request.url.params
    assert params["target"] == PAGE
    assert params["mode"] == "exact"
    assert params["history"] == "live"
    assert params["aggregation"] == "1_per_domain"
    assert params["order_by"] == "name_source:asc"
    assert set(params["select"].split(",")) == {
        "name_source", "domain_rating_source", "is_spam", "first_seen_link", "is_dofollow",
        "url_from", "title", "anchor",
    }  # fmt: skip
    assert "where" not in params
    assert ahrefs.units_used == 50
    assert ahrefs.usage.estimated_cost_usd == pytest.approx(0.05)


def test_a_page_answer_is_priced_per_selected_field_and_row_without_the_header() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        rows = fixture("all_backlinks.json")["backlinks"][0]
        names = [f"d{n}.example" for n in range(10)]
        return httpx.Response(200, json={"backlinks": [{**rows, "name_source": n} for n in names]})

    ahrefs = provider(handler)
    ahrefs.page_referring_domains([PAGE])

    assert ahrefs.units_used == 10 * 8  # 10 rows x 8 selected fields, over the 50 minimum


def test_long_lists_are_paged_by_key_because_v3_has_no_offset() -> None:
    wheres: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        where = request.url.params.get("where")
        wheres.append((request.url.path, where))
        names = ["a.example", "b.example"] if where is None else ["c.example"]
        if request.url.path.endswith("/all-backlinks"):
            rows = [{"name_source": n, "domain_rating_source": 20.0, "is_spam": False,
                     "first_seen_link": None, "is_dofollow": True, "url_from": f"https://{n}/",
                     "title": "", "anchor": ""} for n in names]  # fmt: skip
            return httpx.Response(200, json={"backlinks": rows})
        rows = [{"domain": n, "domain_rating": 20.0, "is_spam": False, "first_seen": None}
                for n in names]  # fmt: skip
        return httpx.Response(200, json={"refdomains": rows})

    ahrefs = provider(handler, page_size=2)
    pages = ahrefs.page_referring_domains([PAGE])
    site = ahrefs.site_referring_domains(PAGE)

    assert [rd.domain for rd in pages[PAGE]] == ["a.example", "b.example", "c.example"]
    assert [rd.domain for rd in site] == ["a.example", "b.example", "c.example"]
    assert [(path, json.loads(where) if where else None) for path, where in wheres] == [
        ("/v3/site-explorer/all-backlinks", None),
        ("/v3/site-explorer/all-backlinks", {"field": "name_source", "is": ["gt", "b.example"]}),
        ("/v3/site-explorer/refdomains", None),
        ("/v3/site-explorer/refdomains", {"field": "domain", "is": ["gt", "b.example"]}),
    ]


def test_a_page_row_without_a_domain_name_is_a_bad_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"backlinks": [{"url_from": "https://a.example/"}]})

    with pytest.raises(ProviderBadResponse):
        provider(handler).page_referring_domains([PAGE])


def test_a_plan_without_site_explorer_refuses_the_page_call_naming_the_plan() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json=fixture("error_403_insufficient_plan.json"))

    with pytest.raises(ProviderAuthError) as caught:
        provider(handler).page_referring_domains([PAGE])

    assert "plan" in str(caught.value)


def test_domain_ratings_for_many_sites_take_one_batch_analysis_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("batch_analysis.json"))

    ratings = provider(handler).domain_ratings([PAGE, "https://www.runnersworld.com/gear/"])

    assert ratings == {PAGE: 86.0, "https://www.runnersworld.com/gear/": 89.0}
    assert len(seen) == 1
    body = json.loads(seen[0].content)
    assert seen[0].method == "POST"
    assert seen[0].url.path == "/v3/batch-analysis/batch-analysis"
    assert [t["url"] for t in body["targets"]] == ["rei.com", "runnersworld.com"]


def test_insufficient_plan_says_the_plan_lacks_api_access_and_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(403, json=fixture("error_403_insufficient_plan.json"))

    with pytest.raises(ProviderAuthError) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert "plan" in str(caught.value)
    assert "AHREFS_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)
    assert len(calls) == 1


def test_a_rejected_key_names_the_variable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json=fixture("error_401.json"))

    with pytest.raises(ProviderAuthError) as caught:
        provider(handler).page_referring_domains([PAGE])

    assert str(caught.value) == "Ahrefs rejected the API key. Check AHREFS_API_KEY."


def test_persistent_server_errors_become_unavailable_after_the_budget() -> None:
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": "Internal error"})

    with pytest.raises(ProviderUnavailable) as caught:
        provider(handler, sleeps).page_referring_domains([PAGE])

    assert sleeps == [1.0, 2.0, 4.0]
    assert "Ahrefs" in str(caught.value)
    assert "4 tries" in str(caught.value)


@pytest.mark.parametrize("body", ["not json", '{"positions": 3}', "[]"])
def test_malformed_answers_are_a_clear_bad_response(body: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body)

    with pytest.raises(ProviderBadResponse):
        provider(handler).serp(SerpQuery("shoes"))


def test_one_analysis_costs_one_serp_plus_one_request_per_page_as_documented() -> None:
    positions = [{"position": i, "url": f"https://site{i}.example/guide", "title": f"R{i}",
                  "type": ["organic"], "domain_rating": 50.0, "page_type": None}
                 for i in range(1, 11)]  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v3/serp-overview"):
            return httpx.Response(200, json={"positions": positions})
        return httpx.Response(200, json=fixture("all_backlinks.json"))

    ahrefs = provider(handler)
    pages = [r.url for r in ahrefs.serp(SerpQuery("x"))] + ["https://mysite.example/x"]
    answer = ahrefs.page_referring_domains(pages)

    assert set(answer) == set(pages)
    assert len(pages) == 11
    assert ahrefs.usage.requests == 12
    # SERP: 10 rows x 7 fields = 70 units; each small page answer: the 50-unit minimum.
    assert ahrefs.units_used == 70 + 11 * 50
    row = re.search(r"^\| ahrefs \| (\d+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert row is not None
    assert int(row.group(1)) == ahrefs.usage.requests


def test_registry_needs_the_ahrefs_key() -> None:
    with pytest.raises(ConfigError) as caught:
        make_provider("ahrefs", environ={"SEMRUSH_API_KEY": "x"})
    assert "AHREFS_API_KEY" in str(caught.value)
    assert "SEMRUSH" not in str(caught.value)

    built = make_provider("ahrefs", environ={"AHREFS_API_KEY": KEY})
    assert isinstance(built, AhrefsProvider)


# -- organic traffic (Site Explorer metrics) --------------------------------------------------


def test_organic_traffic_is_org_traffic_of_the_whole_site_in_every_country() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("site_explorer_metrics.json"))

    ahrefs = provider(handler, usd_per_unit=0.001)
    assert ahrefs.organic_traffic("https://blog.rei.com/camping") == 2031455.0

    request = seen[0]
    assert request.method == "GET"
    assert request.url.path == "/v3/site-explorer/metrics"
    params = request.url.params
    assert params["target"] == "rei.com"
    assert params["mode"] == "subdomains"
    assert "country" not in params  # all countries together
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", params["date"])
    assert ahrefs.usage.requests == 1
    assert ahrefs.units_used == 50  # one row: the per-request minimum
    assert ahrefs.usage.estimated_cost_usd == pytest.approx(0.05)


def test_organic_traffic_missing_from_the_metrics_is_unknown_and_zero_is_zero() -> None:
    bodies = iter(
        [
            {"metrics": {**fixture("site_explorer_metrics.json")["metrics"], "org_traffic": None}},
            {"metrics": {"org_keywords": 0}},
            {"metrics": {**fixture("site_explorer_metrics.json")["metrics"], "org_traffic": 0}},
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(bodies))

    ahrefs = provider(handler)
    assert ahrefs.organic_traffic("https://a.example/") is None
    assert ahrefs.organic_traffic("https://b.example/") is None
    assert ahrefs.organic_traffic("https://c.example/") == 0.0


def test_an_answer_without_the_metrics_object_is_a_bad_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"domain_rating": {"domain_rating": 70}})

    with pytest.raises(ProviderBadResponse, match="metrics"):
        provider(handler).organic_traffic(PAGE)


def test_insufficient_plan_makes_traffic_unknown_with_a_warning_not_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(403, json=fixture("error_403_insufficient_plan.json"))

    with caplog.at_level("WARNING", logger="bot.providers.ahrefs"):
        assert provider(handler).organic_traffic(PAGE) is None

    assert len(calls) == 1
    assert "Insufficient plan" in caplog.text
    assert KEY not in caplog.text


def test_a_rejected_key_still_fails_the_traffic_call() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json=fixture("error_401.json"))

    with pytest.raises(ProviderAuthError, match="AHREFS_API_KEY"):
        provider(handler).organic_traffic(PAGE)
