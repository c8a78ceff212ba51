"""Vetting's provider signals: organic traffic reaches the domain-quality check, cached per site.

The first tests use an in-memory provider so the rule can be read on paper;
the last ones run each live provider on an ``httpx.MockTransport`` serving its
documented-shape fixtures, behind the real cache, to count what one vetting
costs cold and warm (the numbers in docs/providers.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.urls import host_of
from bot.providers.ahrefs import AhrefsProvider
from bot.providers.base import Provider, ProviderUsage, SerpQuery
from bot.providers.cache import CachingProvider
from bot.providers.dataforseo import DataForSeoProvider
from bot.providers.semrush import SemrushProvider
from bot.services.vetting import adhoc_case, gather_signals, run_vetting
from bot.store.db import write_transaction
from bot.store.repositories import get_or_create_workspace
from bot.vetting.models import CheckResult, Placement

FIXTURES = Path(__file__).parents[1] / "providers" / "fixtures"
PROSPECT = "https://www.rei.com/blog/camping/tent-guide"
TARGET = "https://www.mysite.com/trail-shoes"
NO_TRAFFIC = "no organic search traffic"
Handler = Callable[[httpx.Request], httpx.Response]


class SignalProvider:
    """A provider whose prospect signals the test sets; it counts the calls vetting makes."""

    name = "static"
    sample_data = False

    def __init__(
        self,
        *,
        rating: float | None = 55.0,
        traffic: float | None = 1500.0,
        linking: Sequence[ReferringDomain] = (ReferringDomain("othersite.com", 40.0),),
    ) -> None:
        self.usage = ProviderUsage()
        self.rating = rating
        self.traffic = traffic
        self.linking = list(linking)
        self.calls: list[str] = []

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        raise AssertionError("vetting never reads a results page")

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        self.calls.append("page")
        return {url: list(self.linking) for url in urls}

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        raise AssertionError("vetting never reads the site list")

    def domain_rating(self, url: str) -> float | None:
        self.calls.append("rating")
        return self.rating

    def organic_traffic(self, url: str) -> float | None:
        self.calls.append("traffic")
        return self.traffic


def domain_quality(provider: Provider) -> CheckResult:
    placement = Placement(PROSPECT, TARGET, "this guide", "in-content")
    result = run_vetting(
        placement, adhoc_case("trail running shoes", TARGET), provider=provider, fetcher=None
    )
    return result.check("domain-quality")


# -- the rule, end to end ----------------------------------------------------------------------


def test_gather_signals_fills_organic_traffic_from_the_provider() -> None:
    provider = SignalProvider(traffic=1500.0)

    signals = gather_signals(provider, PROSPECT, TARGET)

    assert signals.organic_traffic == 1500.0
    assert signals.domain_rating == 55.0
    assert sorted(provider.calls) == ["page", "rating", "traffic"]


def test_a_prospect_site_already_linking_is_seen_with_its_links_merged() -> None:
    host = registrable_domain(host_of(PROSPECT))
    provider = SignalProvider(
        linking=[
            ReferringDomain("othersite.com", 40.0),
            ReferringDomain(f"news.{host}", 30.0, spam_score=12.0),
            ReferringDomain(f"www.{host}", 30.0, is_spam=True, spam_score=70.0),
        ]
    )

    signals = gather_signals(provider, PROSPECT, TARGET)

    assert signals.links_to_target
    assert signals.is_spam
    assert signals.spam_score == 70.0
    assert not gather_signals(SignalProvider(), PROSPECT, TARGET).links_to_target


def test_a_known_zero_traffic_warns_even_on_an_established_site() -> None:
    check = domain_quality(SignalProvider(rating=55.0, traffic=0.0))

    assert check.verdict == "warn"
    assert NO_TRAFFIC in check.reason
    assert check.reason.startswith("DR 55")


def test_unknown_traffic_gives_no_traffic_warning() -> None:
    check = domain_quality(SignalProvider(rating=55.0, traffic=None))

    assert check.verdict == "pass"
    assert "traffic" not in check.reason


def test_some_traffic_on_an_established_site_passes() -> None:
    check = domain_quality(SignalProvider(rating=55.0, traffic=1500.0))

    assert (check.verdict, check.reason) == ("pass", "DR 55: an established site")


def test_zero_traffic_on_a_weak_site_adds_to_its_warning() -> None:
    check = domain_quality(SignalProvider(rating=20.0, traffic=0.0))

    assert check.verdict == "warn"
    assert check.reason.startswith("DR 20: a weak site")
    assert NO_TRAFFIC in check.reason


def test_without_a_provider_nothing_is_known() -> None:
    assert gather_signals(None, PROSPECT, TARGET).organic_traffic is None


# -- what one vetting costs on each live provider, cold and warm -------------------------------


def _json(path: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / path).read_text(encoding="utf-8"))
    return body


def _dataforseo(handler: Handler) -> DataForSeoProvider:
    transport = httpx.MockTransport(handler)
    return DataForSeoProvider(
        "team@example.com", "pw-5b1c9e77aa", transport=transport, sleep=lambda _s: None
    )


def _dataforseo_api(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/backlinks/bulk_ranks/live"):
        return httpx.Response(200, json=_json("dataforseo/bulk_ranks_live.json"))
    if path.endswith("/dataforseo_labs/google/domain_rank_overview/live"):
        return httpx.Response(200, json=_json("dataforseo/domain_rank_overview_live.json"))
    if path.endswith("/backlinks/referring_domains/live"):
        return httpx.Response(200, json=_json("dataforseo/referring_domains_live.json"))
    if path.endswith("/backlinks/backlinks/live"):
        return httpx.Response(200, json=_json("dataforseo/backlinks_live.json"))
    raise AssertionError(f"unexpected request to {path}")


def _ahrefs_api(*, plan_has_metrics: bool = True) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/batch-analysis/batch-analysis"):
            return httpx.Response(200, json=_json("ahrefs/batch_analysis.json"))
        if path.endswith("/site-explorer/metrics"):
            if not plan_has_metrics:
                return httpx.Response(403, json=_json("ahrefs/error_403_insufficient_plan.json"))
            return httpx.Response(200, json=_json("ahrefs/site_explorer_metrics.json"))
        if path.endswith("/site-explorer/all-backlinks"):
            return httpx.Response(200, json=_json("ahrefs/all_backlinks.json"))
        raise AssertionError(f"unexpected request to {path}")

    return handle


def _semrush_api(request: httpx.Request) -> httpx.Response:
    kind = request.url.params["type"]
    files = {
        "backlinks_overview": "backlinks_overview.csv",
        "domain_ranks": "domain_ranks.csv",
        "backlinks_refdomains": "backlinks_refdomains.csv",
    }
    return httpx.Response(200, text=(FIXTURES / "semrush" / files[kind]).read_text("utf-8"))


LIVE: dict[str, Callable[[], Provider]] = {
    "dataforseo": lambda: _dataforseo(_dataforseo_api),
    "ahrefs": lambda: AhrefsProvider("ahrefs-key-0a1b2c3d4e5f",
                                     transport=httpx.MockTransport(_ahrefs_api()),
                                     sleep=lambda _s: None),
    "semrush": lambda: SemrushProvider("semrush-key-77aa88bb99cc",
                                       transport=httpx.MockTransport(_semrush_api),
                                       sleep=lambda _s: None),
}  # fmt: skip
#: Cold: the prospect's rating, its organic traffic and the target page's referring domains.
COLD_REQUESTS = 3


def _workspace(session_factory: sessionmaker[Session]) -> int:
    with write_transaction(session_factory) as session:
        return get_or_create_workspace(session, "T-VET").id


@pytest.mark.parametrize("name", sorted(LIVE))
def test_one_vetting_costs_three_requests_cold_and_none_warm(
    session_factory: sessionmaker[Session], name: str
) -> None:
    workspace = _workspace(session_factory)
    cold = CachingProvider(LIVE[name](), session_factory, workspace)
    warm = CachingProvider(LIVE[name](), session_factory, workspace)

    cold_signals = gather_signals(cold, PROSPECT, TARGET)
    warm_signals = gather_signals(warm, "http://rei.com/another/page", TARGET)

    assert cold.usage.requests == COLD_REQUESTS
    assert warm.usage.requests == 0
    assert warm.usage.estimated_cost_usd == 0.0
    assert warm_signals == cold_signals
    assert cold_signals.organic_traffic is not None
    assert cold_signals.organic_traffic > 0


def test_a_plan_without_traffic_data_still_vets_and_gives_no_traffic_warning(
    session_factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    transport = httpx.MockTransport(_ahrefs_api(plan_has_metrics=False))
    ahrefs = AhrefsProvider("ahrefs-key-0a1b2c3d4e5f", transport=transport, sleep=lambda _s: None)
    provider = CachingProvider(ahrefs, session_factory, _workspace(session_factory))

    with caplog.at_level("WARNING", logger="bot.providers.ahrefs"):
        check = domain_quality(provider)

    assert (check.verdict, check.reason) == ("pass", "DR 86: an established site")
    assert "Insufficient plan" in caplog.text
