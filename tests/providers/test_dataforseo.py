"""DataForSEO against documented-shape answers: SERP, page-level referring domains, status codes."""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.errors import (
    BadInput,
    ConfigError,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderError,
    ProviderRateLimited,
)
from bot.gap.domain_table import DomainTable
from bot.gap.models import ReferringDomain
from bot.providers.base import Provider, SerpQuery
from bot.providers.dataforseo import DataForSeoProvider
from bot.providers.registry import make_provider

FIXTURES = Path(__file__).parent / "fixtures" / "dataforseo"
DOCS = Path(__file__).parents[2] / "docs" / "providers.md"
LOGIN, PASSWORD = "team@example.com", "pw-5b1c9e77aa"
PAGE = "https://www.rei.com/learn/expert-advice/trail-running-shoes.html"


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return body


Handler = Callable[[httpx.Request], httpx.Response]


def provider(handler: Handler, sleeps: list[float] | None = None) -> DataForSeoProvider:
    waits = sleeps if sleeps is not None else []
    return DataForSeoProvider(
        LOGIN, PASSWORD, transport=httpx.MockTransport(handler), sleep=waits.append
    )


def task_of(request: httpx.Request) -> dict[str, Any]:
    tasks = json.loads(request.content)
    assert isinstance(tasks, list)
    assert len(tasks) == 1, "live endpoints take one task per POST"
    task: dict[str, Any] = tasks[0]
    return task


def rd_page(target: str, count: int, start: int = 0) -> dict[str, Any]:
    """A one_per_domain backlinks answer holding ``count`` generated domains."""
    body = copy.deepcopy(fixture("backlinks_live.json"))
    template = body["tasks"][0]["result"][0]["items"][0]
    items = [
        {**template, "domain_from": f"site{start + i}.example", "domain_from_rank": 30}
        for i in range(count)
    ]
    body["tasks"][0]["result"][0].update(target=target, items=items, items_count=count)
    return body


# -- SERP -------------------------------------------------------------------------------------


def test_serp_keeps_only_organic_results_in_organic_order() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("serp_live_advanced.json"))

    results = provider(handler).serp(SerpQuery("trail running shoes"))

    assert [(r.position, r.url) for r in results] == [
        (1, "https://www.runnersworld.com/gear/a19663621/best-trail-running-shoes/"),
        (2, PAGE),
        (3, "https://www.outdoorgearlab.com/topics/shoes-and-boots/best-trail-running-shoes"),
    ]
    assert results[1].title == "How to Choose Trail-Running Shoes | REI Expert Advice"
    request = seen[0]
    assert request.url == "https://api.dataforseo.com/v3/serp/google/organic/live/advanced"
    assert task_of(request) == {
        "keyword": "trail running shoes",
        "location_code": 2840,
        "language_code": "en",
        "depth": 10,
    }
    credentials = base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {credentials}"


def test_serp_for_an_unsupported_country_is_refused_before_any_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    with pytest.raises(BadInput):
        provider(handler).serp(SerpQuery("shoes", country="zz"))


# -- referring domains ------------------------------------------------------------------------


def test_a_nofollow_backlink_marks_its_domain_not_followed() -> None:
    body = copy.deepcopy(fixture("backlinks_live.json"))
    item = body["tasks"][0]["result"][0]["items"][0]
    item.update(dofollow=False, attributes=["nofollow", "ugc"], anchor="  ", page_from_title=None)

    answer = provider(lambda _r: httpx.Response(200, json=body)).page_referring_domains([PAGE])

    first = answer[PAGE][0]
    assert first.followed is False
    assert (first.anchor, first.linking_title) == (None, None)  # blank reads as unknown


def test_page_referring_domains_are_page_level_and_mapped_to_the_model() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(task_of(request))
        assert request.url.path == "/v3/backlinks/backlinks/live"
        return httpx.Response(200, json=fixture("backlinks_live.json"))

    dfs = provider(handler)
    answer = dfs.page_referring_domains([PAGE])

    assert answer == {
        PAGE: [
            ReferringDomain(
                "blog.trailhub.example", domain_rating=41.0, spam_score=2.0,
                first_seen=date(2021, 4, 12),
                linking_url="https://blog.trailhub.example/reviews/trail-running-shoes-tested",
                anchor="REI's trail shoe guide",
                linking_title="Trail running shoes, tested on 300 miles",
            ),
            ReferringDomain(
                "cheap-seo-links.xyz", domain_rating=0.0, spam_score=87.0,
                first_seen=date(2023, 1, 2),
                linking_url="https://cheap-seo-links.xyz/links/page-4812",
                anchor="trail running shoes",
                linking_title="Free backlinks directory page 4812",
            ),
        ]
    }  # fmt: skip
    task = seen[0]
    assert task["target"] == PAGE  # the exact page, not its domain
    assert task["rank_scale"] == "one_hundred"
    assert task["limit"] == 1000
    assert task["offset"] == 0
    assert task["include_subdomains"] is False
    assert task["mode"] == "one_per_domain"  # one row per referring domain, as before
    assert dfs.usage.requests == 1
    assert dfs.usage.estimated_cost_usd == pytest.approx(0.02006)


def test_a_page_with_more_domains_than_one_answer_is_paged_by_offset() -> None:
    offsets: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        task = task_of(request)
        offsets.append(task["offset"])
        count = 1000 if task["offset"] == 0 else 5
        return httpx.Response(200, json=rd_page(task["target"], count, task["offset"]))

    answer = provider(handler).page_referring_domains([PAGE])

    assert offsets == [0, 1000]
    assert len(answer[PAGE]) == 1005
    assert len({rd.domain for rd in answer[PAGE]}) == 1005


def test_a_page_nobody_links_to_is_an_empty_list_and_every_url_is_a_key() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=fixture("backlinks_empty.json"))

    answer = provider(handler).page_referring_domains(["https://new.example/page", PAGE, PAGE])

    assert answer == {"https://new.example/page": [], PAGE: []}


def test_a_failure_on_a_later_page_raises_instead_of_returning_part_of_the_list() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        task = task_of(request)
        if task["offset"] == 0:
            return httpx.Response(200, json=rd_page(task["target"], 1000))
        return httpx.Response(200, json=fixture("task_40501_invalid_field.json"))

    with pytest.raises(ProviderError):
        provider(handler).page_referring_domains([PAGE])


def test_site_referring_domains_ask_for_the_registrable_domain_with_subdomains() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(task_of(request))
        return httpx.Response(200, json=fixture("referring_domains_live.json"))

    domains = provider(handler).site_referring_domains("https://blog.rei.com/some/post")

    assert [d.domain for d in domains] == ["blog.trailhub.example", "cheap-seo-links.xyz"]
    assert seen[0]["target"] == "rei.com"
    assert seen[0]["include_subdomains"] is True


def test_domain_rating_comes_from_bulk_ranks_on_the_0_to_100_scale() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("bulk_ranks_live.json"))

    assert provider(handler).domain_rating(PAGE) == 78.0
    assert seen[0].url.path == "/v3/backlinks/bulk_ranks/live"
    assert task_of(seen[0]) == {"targets": ["rei.com"], "rank_scale": "one_hundred"}


@pytest.mark.parametrize("rank", [302, 101, -1])
def test_a_referring_domain_rank_off_the_0_to_100_scale_is_refused(rank: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = rd_page(task_of(request)["target"], 3)
        # as if on the 0-1000 scale
        body["tasks"][0]["result"][0]["items"][1]["domain_from_rank"] = rank
        return httpx.Response(200, json=body)

    with pytest.raises(ProviderBadResponse) as caught:
        provider(handler).page_referring_domains([PAGE])

    assert f"rank of {rank}" in caught.value.message
    assert "site1.example" in caught.value.message
    assert "0-100" in caught.value.message


def test_a_site_rank_off_the_scale_is_never_a_domain_rating() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = copy.deepcopy(fixture("bulk_ranks_live.json"))
        body["tasks"][0]["result"][0]["items"][0]["rank"] = 302
        return httpx.Response(200, json=body)

    with pytest.raises(ProviderBadResponse, match="rank of 302"):
        provider(handler).domain_rating(PAGE)


def test_ranks_at_the_ends_of_the_scale_are_ratings() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = rd_page(task_of(request)["target"], 2)
        items = body["tasks"][0]["result"][0]["items"]
        items[0]["domain_from_rank"], items[1]["domain_from_rank"] = 0, 100
        return httpx.Response(200, json=body)

    answer = provider(handler).page_referring_domains([PAGE])[PAGE]

    assert [rd.domain_rating for rd in answer] == [0.0, 100.0]


# -- status codes in 200 answers --------------------------------------------------------------


def test_40202_in_a_200_answer_is_retried_like_a_429() -> None:
    answers = iter([fixture("error_40202_rate_limit.json"), fixture("backlinks_live.json")])
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(answers))

    answer = provider(handler, sleeps).page_referring_domains([PAGE])

    assert len(answer[PAGE]) == 2
    assert sleeps == [1.0]


def test_40202_past_the_budget_is_rate_limited() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=fixture("error_40202_rate_limit.json"))

    with pytest.raises(ProviderRateLimited):
        provider(handler).page_referring_domains([PAGE])


def test_task_level_50000_is_retried_then_succeeds() -> None:
    answers = iter([fixture("task_50000_internal.json"), fixture("backlinks_live.json")])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(answers))

    dfs = provider(handler)
    assert len(dfs.page_referring_domains([PAGE])[PAGE]) == 2
    assert dfs.usage.requests == 2


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("error_40100_unauthorized.json", ProviderAuthError, "DATAFORSEO_LOGIN"),
        ("error_40210_funds.json", ProviderAuthError, "top up the balance"),
        ("task_40501_invalid_field.json", ProviderError, "Invalid Field: 'rank_scale'"),
    ],
)
def test_error_codes_in_200_answers_map_to_clear_errors_without_retry(
    name: str, error: type[ProviderError], words: str
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=fixture(name))

    with pytest.raises(error) as caught:
        provider(handler).page_referring_domains([PAGE])

    assert words in str(caught.value)
    assert len(calls) == 1
    assert PASSWORD not in str(caught.value)
    assert LOGIN not in str(caught.value)


def test_http_401_names_the_variables_and_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(401, json=fixture("error_40100_unauthorized.json"))

    with pytest.raises(ProviderAuthError) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert "DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert len(calls) == 1


@pytest.mark.parametrize("body", ["<html>Bad gateway</html>", '{"tasks": ', "[1, 2]"])
def test_malformed_json_is_a_clear_bad_response(body: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body)

    with pytest.raises(ProviderBadResponse) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert "DataForSEO" in str(caught.value)


# -- budget and registry ----------------------------------------------------------------------


def test_one_analysis_costs_one_serp_plus_one_request_per_page_as_documented() -> None:
    serp = copy.deepcopy(fixture("serp_live_advanced.json"))
    organic = [
        {"type": "organic", "rank_group": i, "rank_absolute": i, "title": f"R{i}",
         "url": f"https://site{i}.example/guide", "domain": f"site{i}.example"}
        for i in range(1, 11)
    ]  # fmt: skip
    serp["tasks"][0]["result"][0]["items"] = organic

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/advanced"):
            return httpx.Response(200, json=serp)
        return httpx.Response(200, json=rd_page(task_of(request)["target"], 7))

    dfs = provider(handler)
    results = dfs.serp(SerpQuery("trail running shoes"))
    pages = [r.url for r in results] + ["https://mysite.example/trail-shoes"]
    answer = dfs.page_referring_domains(pages)

    assert len(results) == 10
    assert set(answer) == set(pages)
    assert dfs.usage.requests == 12
    row = re.search(r"^\| dataforseo \| (\d+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert row is not None
    assert int(row.group(1)) == dfs.usage.requests


def test_registry_builds_dataforseo_from_its_two_variables() -> None:
    built = make_provider(
        "dataforseo",
        environ={"DATAFORSEO_LOGIN": LOGIN, "DATAFORSEO_PASSWORD": PASSWORD},
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
    )
    assert isinstance(built, DataForSeoProvider)
    assert isinstance(built, Provider)


@pytest.mark.parametrize(
    ("environ", "named", "not_named"),
    [
        ({}, ["DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD"], []),
        ({"DATAFORSEO_LOGIN": LOGIN}, ["DATAFORSEO_PASSWORD"], ["DATAFORSEO_LOGIN"]),
        ({"DATAFORSEO_LOGIN": LOGIN, "DATAFORSEO_PASSWORD": "  "}, ["DATAFORSEO_PASSWORD"], []),
    ],
)
def test_registry_names_exactly_the_missing_variables_in_one_line(
    environ: dict[str, str], named: list[str], not_named: list[str]
) -> None:
    with pytest.raises(ConfigError) as caught:
        make_provider("dataforseo", environ=environ)

    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.exit_code == 2
    assert all(name in message for name in named)
    assert all(name not in message for name in not_named)
    assert LOGIN not in message


# -- organic traffic (DataForSEO Labs) ----------------------------------------------------------


def test_organic_traffic_sums_labs_etv_over_every_location_in_one_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("domain_rank_overview_live.json"))

    dataforseo = provider(handler)
    traffic = dataforseo.organic_traffic("https://blog.rei.com/camping/tents")

    assert traffic == 1843220.75 + 61780.25  # United States + Canada, organic only
    assert seen[0].url.path == "/v3/dataforseo_labs/google/domain_rank_overview/live"
    task = task_of(seen[0])
    assert task == {"target": "rei.com", "limit": 1000}  # no location: every country counts
    assert dataforseo.usage.requests == 1
    assert dataforseo.usage.estimated_cost_usd == pytest.approx(0.0102)


def test_organic_traffic_is_unknown_without_rows_and_zero_when_the_estimate_is_zero() -> None:
    zero = copy.deepcopy(fixture("domain_rank_overview_live.json"))
    for item in zero["tasks"][0]["result"][0]["items"]:
        item["metrics"]["organic"]["etv"] = 0
    no_etv = copy.deepcopy(fixture("domain_rank_overview_live.json"))
    for item in no_etv["tasks"][0]["result"][0]["items"]:
        del item["metrics"]["organic"]
    answers = {
        "empty.example": fixture("domain_rank_overview_empty.json"),
        "zero.example": zero,
        "noetv.example": no_etv,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answers[task_of(request)["target"]])

    dataforseo = provider(handler)
    assert dataforseo.organic_traffic("https://empty.example/") is None
    assert dataforseo.organic_traffic("https://noetv.example/") is None
    assert dataforseo.organic_traffic("https://zero.example/") == 0.0


def test_an_account_without_labs_makes_traffic_unknown_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=fixture("error_40204_access_denied.json"))

    with caplog.at_level("WARNING", logger="bot.providers.dataforseo"):
        assert provider(handler).organic_traffic("https://www.rei.com/") is None

    assert len(calls) == 1
    assert "40204" in caplog.text
    assert PASSWORD not in caplog.text


def test_a_40204_on_any_other_call_still_fails_it_and_says_what_to_activate() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=fixture("error_40204_access_denied.json"))

    with pytest.raises(ProviderAuthError, match="activate this API"):
        provider(handler).domain_rating(PAGE)


def test_other_errors_of_the_traffic_call_are_raised_like_any_call() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=fixture("error_40210_funds.json"))

    with pytest.raises(ProviderAuthError, match="top up the balance"):
        provider(handler).organic_traffic(PAGE)


def test_half_an_emoji_in_a_linking_page_is_read_as_a_replacement_character() -> None:
    # Text cut mid-emoji leaves half a surrogate pair, JSON-escaped; a whole pair is kept.
    body = copy.deepcopy(fixture("backlinks_live.json"))
    body["tasks"][0]["result"][0]["items"][0].update(
        anchor="best trail shoes \ud83d", page_from_title="Trail \ud83c\udfc3 running \udc00guide"
    )
    raw = json.dumps(body)  # ensure_ascii: the escapes as a provider writes them
    assert "\\ud83d" in raw

    answer = provider(lambda _r: httpx.Response(200, text=raw)).page_referring_domains([PAGE])

    first = answer[PAGE][0]
    assert first.anchor == "best trail shoes \ufffd"
    assert first.linking_title == "Trail \U0001f3c3 running \ufffdguide"
    table = DomainTable.from_links(answer[PAGE])
    assert table.link_words() is not None
    "\n".join(filter(None, (first.anchor, first.linking_title))).encode()  # writable as UTF-8
