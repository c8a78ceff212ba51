from __future__ import annotations

from collections.abc import Sequence

from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.settings import GapSettings
from bot.providers.base import ProviderUsage, SerpQuery
from bot.services.gap import GapRequest, run_gap
from bot.web.fetcher import FetchedPage, FetchTimedOut

TARGET = "https://www.example.com/trail-shoes"
COMPETITORS = ["https://a.com/trail", "https://b.com/trail", "https://c.com/trail"]


class StaticProvider:
    """A provider with fixed answers that counts what the analysis asked for."""

    name = "static"
    sample_data = False

    def __init__(self) -> None:
        self.usage = ProviderUsage()
        self.asked: list[Sequence[str]] = []

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        self.usage.add(1, 0.002)
        urls = [*COMPETITORS, "https://www.amazon.com/trail"]
        return [SerpResult(i + 1, url) for i, url in enumerate(urls)]

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        self.asked.append(urls)
        self.usage.add(len(urls), 0.02 * len(urls))
        return {url: [ReferringDomain(f"site{i}.com", 50) for i in range(10)] for url in urls}

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        return []

    def domain_rating(self, url: str) -> float | None:
        return 40.0

    def organic_traffic(self, url: str) -> float | None:
        return None


def page(url: str, words: int, title: str = "Trail shoes") -> FetchedPage:
    body = " ".join(["word"] * words)
    html = (
        f"<html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><main><p>{body}</p></main></body></html>"
    )
    return FetchedPage(
        url=url,
        status=200,
        content_type="text/html",
        text=html,
        elapsed=0.01,
        redirects=(),
        headers={},
    )


class FakeFetcher:
    def __init__(self, pages: dict[str, FetchedPage]) -> None:
        self.pages = pages
        self.fetched: list[str] = []

    def fetch(self, url: str) -> FetchedPage:
        self.fetched.append(url)
        if url not in self.pages:
            raise FetchTimedOut("The page did not answer within 10 seconds.")
        return self.pages[url]


def test_one_serp_request_and_one_batch_of_pages_including_the_target() -> None:
    provider = StaticProvider()
    outcome = run_gap(provider, GapRequest.parse("trail shoes", TARGET), GapSettings())
    assert len(provider.asked) == 1
    assert TARGET in provider.asked[0]
    assert outcome.provider_requests == 1 + 5
    assert outcome.estimated_cost_usd == round(0.002 + 5 * 0.02, 4)


def test_thin_page_missing_the_keyword_is_flagged_against_the_comparable_median() -> None:
    fetcher = FakeFetcher(
        {
            TARGET: page(TARGET, 200, title="Our shoes"),
            COMPETITORS[0]: page(COMPETITORS[0], 1400),
            COMPETITORS[1]: page(COMPETITORS[1], 1600),
        }
    )
    outcome = run_gap(
        StaticProvider(), GapRequest.parse("trail shoes", TARGET), GapSettings(), fetcher=fetcher
    )
    codes = {flag.code for flag in outcome.report.flags}
    assert {"keyword-missing", "thin-content"} <= codes
    assert "https://www.amazon.com/trail" not in fetcher.fetched  # platforms are not measured


def test_an_unfetchable_page_is_a_flag_not_a_failure() -> None:
    outcome = run_gap(
        StaticProvider(),
        GapRequest.parse("trail shoes", TARGET),
        GapSettings(),
        fetcher=FakeFetcher({}),
    )
    flag = next(f for f in outcome.report.flags if f.code == "page-not-audited")
    assert "did not answer" in flag.message
    assert outcome.report.entry_target is not None


def test_sample_data_is_never_fetched() -> None:
    provider = StaticProvider()
    provider.sample_data = True
    fetcher = FakeFetcher({})
    run_gap(provider, GapRequest.parse("trail shoes", TARGET), GapSettings(), fetcher=fetcher)
    assert fetcher.fetched == []
