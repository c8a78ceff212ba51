"""Semrush against documented-shape answers: ``;`` CSV tables and ``ERROR NN :: ...`` bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.errors import ConfigError, ProviderAuthError, ProviderBadResponse, ProviderError
from bot.gap.models import ReferringDomain
from bot.providers.base import SerpQuery
from bot.providers.registry import make_provider
from bot.providers.semrush import SemrushProvider

FIXTURES = Path(__file__).parent / "fixtures" / "semrush"
DOCS = Path(__file__).parents[2] / "docs" / "providers.md"
KEY = "semrush-key-77aa88bb99cc"
PAGE = "https://www.rei.com/learn/expert-advice/trail-running-shoes.html"
Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def provider(handler: Handler, sleeps: list[float] | None = None, **kwargs: Any) -> SemrushProvider:
    waits = sleeps if sleeps is not None else []
    return SemrushProvider(
        KEY, transport=httpx.MockTransport(handler), sleep=waits.append, **kwargs
    )


def test_serp_reads_the_phrase_organic_table_in_line_order() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=fixture("phrase_organic.csv"))

    semrush = provider(handler)
    results = semrush.serp(SerpQuery("trail running shoes", country="gb"))

    assert [(r.position, r.url) for r in results] == [
        (1, "https://www.runnersworld.com/gear/a19663621/best-trail-running-shoes/"),
        (2, PAGE),
        (3, "https://www.outdoorgearlab.com/topics/shoes-and-boots/best-trail-running-shoes"),
    ]
    params = seen[0].url.params
    assert params["type"] == "phrase_organic"
    assert params["phrase"] == "trail running shoes"
    assert params["database"] == "uk"
    assert params["display_limit"] == "10"
    assert params["export_columns"] == "Dn,Ur"
    assert semrush.units_used == 30  # 3 lines x 10 units


def test_page_referring_domains_use_the_url_target_type_and_authority_score() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=fixture("backlinks_refdomains.csv"))

    semrush = provider(handler)
    answer = semrush.page_referring_domains([PAGE])

    assert answer == {
        PAGE: [
            ReferringDomain(
                "blog.trailhub.example", domain_rating=41.0, first_seen=date(2021, 4, 12)
            ),
            ReferringDomain("cheap-seo-links.xyz", domain_rating=0.0, first_seen=date(2023, 1, 2)),
        ]
    }
    params = seen[0].url.params
    assert seen[0].url.path == "/analytics/v1/"
    assert params["type"] == "backlinks_refdomains"
    assert params["target"] == PAGE
    assert params["target_type"] == "url"
    assert semrush.units_used == 80  # 2 lines x 40 units
    assert semrush.usage.estimated_cost_usd == pytest.approx(80 / 20_000)


def test_long_lists_are_paged_with_display_offset() -> None:
    offsets: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offsets.append(request.url.params["display_offset"])
        first = request.url.params["display_offset"] == "0"
        rows = ["10;a.example;1;0;0", "10;b.example;1;0;0"] if first else ["10;c.example;1;0;0"]
        header = "domain_ascore;domain;backlinks_num;first_seen;last_seen"
        return httpx.Response(200, text="\r\n".join([header, *rows]) + "\r\n")

    answer = provider(handler, page_size=2).page_referring_domains([PAGE])

    assert [rd.domain for rd in answer[PAGE]] == ["a.example", "b.example", "c.example"]
    assert offsets == ["0", "2"]


class DocumentedPaging:
    """``backlinks_refdomains`` as Semrush documents its range: with ``display_offset`` the
    ``display_limit`` is raised by the offset, so lines ``offset+1 .. display_limit`` come
    back (at most 10,000 lines an answer; a limit of 0 means that maximum)."""

    MAX_LINES = 10_000

    def __init__(self, domains: int) -> None:
        header = "domain_ascore;domain;backlinks_num;first_seen;last_seen"
        self.header = header
        # display_sort=domain_ascore_desc: strongest first.
        self.lines = [f"{100 - i * 100 // domains};rd{i:05d}.example;2;1618215303;1722470400"
                      for i in range(domains)]  # fmt: skip
        self.ranges: list[tuple[int, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        assert params["display_sort"] == "domain_ascore_desc"
        offset = int(params.get("display_offset", "0"))
        limit = int(params.get("display_limit", "0")) or offset + self.MAX_LINES
        end = min(limit, offset + self.MAX_LINES)
        self.ranges.append((offset, int(params.get("display_limit", "0"))))
        lines = self.lines[offset:end]
        if not lines:
            return httpx.Response(200, text="ERROR 50 :: NOTHING FOUND")
        return httpx.Response(200, text="\r\n".join([self.header, *lines]) + "\r\n")


def test_a_page_of_12000_referring_domains_is_read_whole_by_the_documented_range() -> None:
    api = DocumentedPaging(12_000)
    semrush = provider(api)

    answer = semrush.page_referring_domains([PAGE])[PAGE]

    # 12,000 lines in pages of 5,000: 1-5,000, 5,001-10,000, 10,001-12,000.
    assert api.ranges == [(0, 5000), (5000, 10000), (10000, 15000)]
    assert len(answer) == len({rd.domain for rd in answer}) == 12_000
    assert answer[-1].domain == "rd11999.example"
    assert semrush.units_used == 12_000 * 40


def test_display_limit_as_a_page_size_would_stop_at_the_first_page() -> None:
    """What the documented rule means: a limit equal to the offset asks for nothing."""
    api = DocumentedPaging(12_000)
    request = httpx.Request(
        "GET",
        "https://api.semrush.com/analytics/v1/",
        params={"display_sort": "domain_ascore_desc", "display_limit": 5000,
                "display_offset": 5000},
    )  # fmt: skip
    assert api(request).text.startswith("ERROR 50")


def test_nothing_found_is_an_empty_answer_not_a_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ERROR 50 :: NOTHING FOUND\n")

    semrush = provider(handler)
    assert semrush.page_referring_domains([PAGE, "https://new.example/"]) == {
        PAGE: [],
        "https://new.example/": [],
    }
    assert semrush.serp(SerpQuery("no such keyword")) == []
    assert semrush.units_used == 0


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("ERROR 120 :: WRONG KEY - ID PAIR", "rejected the API key"),
        ("ERROR 132 :: API UNITS BALANCE IS ZERO", "balance is zero"),
    ],
)
def test_key_and_balance_errors_are_auth_errors_without_retry(body: str, words: str) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, text=body)

    with pytest.raises(ProviderAuthError) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert words in str(caught.value)
    assert "SEMRUSH_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)
    assert len(calls) == 1


def test_other_error_lines_are_provider_errors_quoting_semrush() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ERROR 40 :: MANDATORY PARAMETER 'target' NOT SET")

    with pytest.raises(ProviderError) as caught:
        provider(handler).page_referring_domains([PAGE])

    assert "ERROR 40" in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Service temporarily unavailable</body></html>",
        "Dn;Ur\r\nrei.com;https://rei.com/\r\n",  # header names not the ones asked for
        "Domain;Url\r\nrei.com;https://rei.com/;extra\r\n",  # ragged line
    ],
)
def test_malformed_csv_is_a_clear_bad_response(body: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body)

    with pytest.raises(ProviderBadResponse) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert "Semrush" in str(caught.value)


def test_domain_rating_is_the_authority_score_of_the_root_domain() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=fixture("backlinks_overview.csv"))

    assert provider(handler).domain_rating("https://blog.rei.com/post") == 74.0
    assert seen[0].url.params["target"] == "rei.com"
    assert seen[0].url.params["target_type"] == "root_domain"


def test_the_key_sent_in_the_query_never_reaches_error_text() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["key"] == KEY
        return httpx.Response(400, text=f"bad request {request.url}")

    with pytest.raises(ProviderError) as caught:
        provider(handler).serp(SerpQuery("shoes"))

    assert KEY not in str(caught.value)


def test_one_analysis_costs_one_serp_plus_one_request_per_page_as_documented() -> None:
    lines = "\r\n".join(f"site{i}.example;https://site{i}.example/guide" for i in range(1, 11))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["type"] == "phrase_organic":
            return httpx.Response(200, text=f"Domain;Url\r\n{lines}\r\n")
        return httpx.Response(200, text=fixture("backlinks_refdomains.csv"))

    semrush = provider(handler)
    pages = [r.url for r in semrush.serp(SerpQuery("x"))] + ["https://mysite.example/x"]
    answer = semrush.page_referring_domains(pages)

    assert set(answer) == set(pages)
    assert len(pages) == 11
    assert semrush.usage.requests == 12
    row = re.search(r"^\| semrush \| (\d+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert row is not None
    assert int(row.group(1)) == semrush.usage.requests


def test_registry_needs_the_semrush_key() -> None:
    with pytest.raises(ConfigError) as caught:
        make_provider("semrush", environ={})
    assert "SEMRUSH_API_KEY" in str(caught.value)
    assert isinstance(make_provider("semrush", environ={"SEMRUSH_API_KEY": KEY}), SemrushProvider)


# -- organic traffic (Domain Overview, all databases) -------------------------------------------


def test_organic_traffic_sums_the_ot_column_over_every_database() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=fixture("domain_ranks.csv"))

    semrush = provider(handler)
    assert semrush.organic_traffic("https://blog.rei.com/camping") == 1843221 + 61780 + 20455

    params = seen[0].url.params
    assert seen[0].url.path == "/"
    assert params["type"] == "domain_ranks"
    assert params["domain"] == "rei.com"
    assert "database" not in params  # every regional database, one line each
    assert "Ot" in params["export_columns"].split(",")
    assert semrush.usage.requests == 1
    assert semrush.units_used == 30  # 3 lines x 10 units


def test_nothing_found_is_unknown_traffic_and_costs_no_units() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ERROR 50 :: NOTHING FOUND\n")

    semrush = provider(handler)
    assert semrush.organic_traffic("https://brand-new-blog.example/") is None
    assert semrush.units_used == 0


def test_a_zero_traffic_line_is_a_known_zero() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="Database;Organic Traffic\r\nus;0\r\n")

    assert provider(handler).organic_traffic("https://quiet.example/") == 0.0


def test_a_plan_without_the_report_makes_traffic_unknown_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, text="ERROR 135 :: API REPORT TYPE DISABLED")

    with caplog.at_level("WARNING", logger="bot.providers.semrush"):
        assert provider(handler).organic_traffic(PAGE) is None

    assert len(calls) == 1
    assert "ERROR 135" in caplog.text
    assert KEY not in caplog.text


def test_balance_errors_still_fail_the_traffic_call() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ERROR 132 :: API UNITS BALANCE IS ZERO")

    with pytest.raises(ProviderAuthError, match="balance is zero"):
        provider(handler).organic_traffic(PAGE)
