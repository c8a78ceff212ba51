"""The provider cache: warm analyses make no requests, and nothing incomplete is ever kept.

The live client is the real DataForSEO provider on an ``httpx.MockTransport``
that serves the documented fixtures, so request counts are real requests.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ProviderAuthError, ProviderUnavailable
from bot.gap.domain_table import DomainTable
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.settings import GapSettings
from bot.providers.base import Provider, ProviderUsage, SerpQuery
from bot.providers.cache import CachingProvider, page_query_key, serp_query_key
from bot.providers.dataforseo import DataForSeoProvider
from bot.providers.serialise import domain_table_to_json
from bot.report.outcome import GapOutcome
from bot.services.gap import GapRequest, run_gap
from bot.store.db import make_engine, make_session_factory, transaction, write_transaction
from bot.store.models import ProviderCacheEntry
from bot.store.repositories import (
    cache_get,
    cache_key_for,
    cache_put,
    get_or_create_workspace,
)

FIXTURES = Path(__file__).parent / "fixtures" / "dataforseo"
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
TTL = timedelta(hours=24)
KEYWORD = "trail running shoes"
TARGET = "https://www.mysite.com/trail-shoes"
RUNNERSWORLD = "https://www.runnersworld.com/gear/a19663621/best-trail-running-shoes/"
REI = "https://www.rei.com/learn/expert-advice/trail-running-shoes.html"
GEARLAB = "https://www.outdoorgearlab.com/topics/shoes-and-boots/best-trail-running-shoes"
NEW_PAGE = "https://www.trailrunnermag.com/gear/best-trail-shoes"
#: One analysis over the fixture SERP: 1 SERP + 4 pages (3 results and the target) + the
#: site-wide list + the domain rating.
COLD_REQUESTS = 7


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return body


class FakeDataForSeo:
    """The DataForSEO API as documented, with a SERP the test can change and faults on demand."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.organic = [RUNNERSWORLD, REI, GEARLAB]
        self.rank: int | None = 78
        #: Worldwide organic etv of every site; None answers with no rows (no estimate).
        self.etv: float | None = 5120.5
        self.requests: list[tuple[str, dict[str, Any]]] = []
        #: 1-based number of the request answered with HTTP 401.
        self.unauthorised_on: int | None = None
        #: Referring-domain requests raise a transport error (the network is gone).
        self.network_down_for_pages = False
        self.engine = engine
        #: Database connections checked out while each request was on the wire.
        self.connections_during_requests: list[int] = []

    def client(self) -> DataForSeoProvider:
        """A fresh client per analysis, as the registry builds one: its usage starts at 0."""
        return DataForSeoProvider(
            "team@example.com",
            "pw-5b1c9e77aa",
            transport=httpx.MockTransport(self.handle),
            sleep=lambda _seconds: None,
        )

    def paths(self) -> list[str]:
        return [path.removeprefix("/v3/") for path, _task in self.requests]

    def targets(self) -> list[str]:
        return [task["target"] for path, task in self.requests if "/backlinks/backlinks/" in path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        task: dict[str, Any] = json.loads(request.content)[0]
        self.requests.append((path, task))
        if self.engine is not None:
            self.connections_during_requests.append(self.engine.pool.checkedout())  # type: ignore[attr-defined]
        if len(self.requests) == self.unauthorised_on:
            return httpx.Response(401, json=fixture("error_40100_unauthorized.json"))
        if path.endswith("/serp/google/organic/live/advanced"):
            return httpx.Response(200, json=self.serp())
        if path.endswith("/backlinks/backlinks/live"):
            if self.network_down_for_pages:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json=self.backlinks(task["target"]))
        if path.endswith("/backlinks/referring_domains/live"):
            return httpx.Response(200, json=self.referring_domains(task["target"]))
        if path.endswith("/backlinks/bulk_ranks/live"):
            body = copy.deepcopy(fixture("bulk_ranks_live.json"))
            items = [] if self.rank is None else [{**body["tasks"][0]["result"][0]["items"][0],
                                                   "rank": self.rank}]  # fmt: skip
            body["tasks"][0]["result"][0]["items"] = items
            return httpx.Response(200, json=body)
        if path.endswith("/dataforseo_labs/google/domain_rank_overview/live"):
            body = copy.deepcopy(fixture("domain_rank_overview_live.json"))
            result = body["tasks"][0]["result"][0]
            row = result["items"][0]
            row["metrics"]["organic"]["etv"] = self.etv
            result["items"] = [] if self.etv is None else [row]
            return httpx.Response(200, json=body)
        raise AssertionError(f"unexpected request to {path}")

    def serp(self) -> dict[str, Any]:
        """The documented SERP answer (ads, PAA and video kept) with this test's organic URLs."""
        body = copy.deepcopy(fixture("serp_live_advanced.json"))
        result = body["tasks"][0]["result"][0]
        features = [item for item in result["items"] if item["type"] != "organic"]
        organic = [
            {"type": "organic", "rank_group": i, "rank_absolute": i, "title": f"Result {i}",
             "url": url, "domain": httpx.URL(url).host}
            for i, url in enumerate(self.organic, start=1)
        ]  # fmt: skip
        result["items"] = features + organic
        return body

    def backlinks(self, target: str) -> dict[str, Any]:
        """The documented one_per_domain answer with the same domains as ``referring_domains``."""
        domains = self.referring_domains(target)["tasks"][0]["result"][0]["items"]
        body = copy.deepcopy(fixture("backlinks_live.json"))
        result = body["tasks"][0]["result"][0]
        template = result["items"][0]
        items = [
            {**template, "domain_from": item["domain"], "domain_from_rank": item["rank"],
             "backlink_spam_score": item["backlinks_spam_score"], "first_seen": item["first_seen"],
             "url_from": f"https://{item['domain']}/post", "url_to": target}
            for item in domains
        ]  # fmt: skip
        result.update(target=target, items=items, items_count=len(items), total_count=len(items))
        return body

    def referring_domains(self, target: str) -> dict[str, Any]:
        """The documented answer with a page-specific list: some domains shared, some not."""
        body = copy.deepcopy(fixture("referring_domains_live.json"))
        result = body["tasks"][0]["result"][0]
        template = result["items"][0]
        size = 3 + sum(map(ord, target)) % 9
        own = [{**template, "domain": f"fan{i}.{httpx.URL(target).host or target}", "rank": 25}
               for i in range(size)]  # fmt: skip
        shared = [{**template, "domain": f"shared{i}.com", "rank": 30 + i} for i in range(size)]
        result.update(target=target, items=result["items"] + own + shared)
        result["items_count"] = result["total_count"] = len(result["items"])
        return body


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountingProvider:
    """A minimal in-memory provider that counts its calls (for name and pass-through rules)."""

    def __init__(self, name: str, *, sample_data: bool = False, rating: float | None = 50.0):
        self.name = name
        self.sample_data = sample_data
        self.usage = ProviderUsage()
        self.rating = rating
        self.calls: list[str] = []

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        self.calls.append("serp")
        return [SerpResult(1, RUNNERSWORLD, "Runner's World", 71.5)]

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        self.calls.extend(f"page {url}" for url in urls)
        return {url: [ReferringDomain("a.com", 40.0)] for url in urls}

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        self.calls.append("site")
        return [ReferringDomain("b.com", None, True)]

    def domain_rating(self, url: str) -> float | None:
        self.calls.append("rating")
        return self.rating

    def organic_traffic(self, url: str) -> float | None:
        self.calls.append("traffic")
        return 1200.0


def new_workspace(session_factory: sessionmaker[Session], team_id: str) -> int:
    with write_transaction(session_factory) as session:
        return get_or_create_workspace(session, team_id).id


def entry_count(session_factory: sessionmaker[Session], **where: Any) -> int:
    query = select(func.count()).select_from(ProviderCacheEntry).filter_by(**where)
    with transaction(session_factory) as session:
        return int(session.scalar(query) or 0)


def analyse(provider: Provider, keyword: str = KEYWORD, target: str = TARGET) -> GapOutcome:
    return run_gap(provider, GapRequest.parse(keyword, target), GapSettings())


@pytest.fixture
def workspace(session_factory: sessionmaker[Session]) -> int:
    return new_workspace(session_factory, "T-A")


@pytest.fixture
def api(engine: Engine) -> FakeDataForSeo:
    return FakeDataForSeo(engine)


# -- warm and cold -----------------------------------------------------------------------------


def test_identical_second_analysis_makes_no_requests_and_reports_the_same(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    cold = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    clock.now += timedelta(hours=23)
    warm = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))

    assert cold.provider_requests == COLD_REQUESTS
    assert len(api.requests) == COLD_REQUESTS
    assert warm.provider_requests == 0
    assert warm.estimated_cost_usd == 0.0
    assert warm.report == cold.report
    assert warm.provider == cold.provider == "dataforseo"
    assert [row.url for row in cold.report.results] == [RUNNERSWORLD, REI, GEARLAB]


def test_a_cold_analysis_costs_what_the_uncached_client_costs(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    bare = analyse(api.client())
    cached = analyse(CachingProvider(api.client(), session_factory, workspace, clock=Clock()))

    assert cached.provider_requests == bare.provider_requests == COLD_REQUESTS
    assert cached.estimated_cost_usd == bare.estimated_cost_usd
    assert cached.report == bare.report


def test_an_expired_answer_is_fetched_again(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    first = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    clock.now = T0 + TTL
    refreshed = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    clock.now = T0 + TTL + timedelta(hours=1)
    warm_again = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))

    assert refreshed.provider_requests == COLD_REQUESTS
    assert refreshed.report == first.report
    assert warm_again.provider_requests == 0
    assert entry_count(session_factory) == COLD_REQUESTS


def test_a_custom_ttl_is_honoured(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    ttl = timedelta(minutes=30)
    analyse(CachingProvider(api.client(), session_factory, workspace, ttl=ttl, clock=clock))
    clock.now += timedelta(minutes=29)
    warm = analyse(CachingProvider(api.client(), session_factory, workspace, ttl=ttl, clock=clock))
    clock.now += timedelta(minutes=1)
    cold = analyse(CachingProvider(api.client(), session_factory, workspace, ttl=ttl, clock=clock))

    assert (warm.provider_requests, cold.provider_requests) == (0, COLD_REQUESTS)


def test_a_serp_with_one_new_page_fetches_only_that_page(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    api.requests.clear()
    # A related keyword, an hour later: the same pages rank, plus one newcomer.
    api.organic = [RUNNERSWORLD, NEW_PAGE, REI, GEARLAB]
    clock.now += timedelta(hours=1)
    outcome = analyse(
        CachingProvider(api.client(), session_factory, workspace, clock=clock),
        keyword="best trail running shoes",
    )

    assert api.paths() == ["serp/google/organic/live/advanced", "backlinks/backlinks/live"]
    assert api.targets() == [NEW_PAGE]
    assert outcome.provider_requests == 2
    assert [row.url for row in outcome.report.results] == [RUNNERSWORLD, NEW_PAGE, REI, GEARLAB]


def test_serp_keyword_is_matched_case_folded_with_whitespace_collapsed(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    provider = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    first = provider.serp(SerpQuery("Trail Running Shoes"))
    again = provider.serp(SerpQuery("  trail   running\tSHOES ", country=" US"))
    other_country = provider.serp(SerpQuery("trail running shoes", country="gb"))
    other_depth = provider.serp(SerpQuery("trail running shoes", depth=20))

    assert again == first
    assert other_country == other_depth == first
    assert api.paths().count("serp/google/organic/live/advanced") == 3
    assert serp_query_key(SerpQuery("A  b", target_url=TARGET)) == serp_query_key(SerpQuery("a b"))


def test_spellings_of_one_page_share_an_entry_and_keep_their_own_keys(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    provider = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    spellings = [REI, "http://rei.com/learn/expert-advice/trail-running-shoes.html/#top"]
    answer = provider.page_referring_domains(spellings)
    warm = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    again = warm.page_referring_domains([spellings[1], GEARLAB])

    assert list(answer) == spellings
    assert answer[spellings[0]] == answer[spellings[1]]
    assert list(again) == [spellings[1], GEARLAB]
    assert again[spellings[1]] == answer[REI]
    assert api.targets() == [REI, GEARLAB]


def test_pages_are_kept_as_domain_tables_and_come_back_equal(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    cold = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    tables = cold.page_tables([REI])
    warm = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    again = warm.page_tables([REI])
    rows = api.client().page_referring_domains([REI])[REI]

    assert again == tables == {REI: DomainTable.from_links(rows)}
    assert again[REI].domains == tuple(dict.fromkeys(registrable_domain(r.domain) for r in rows))
    assert warm.page_referring_domains([REI]) == {REI: tables[REI].rows()}
    assert page_query_key(REI)["format"] == 2
    assert api.targets() == [REI, REI]  # the cold fetch and the bare client above


def test_a_page_s_linking_pages_are_read_into_words_when_it_arrives_and_when_it_is_read_back(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    cold = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    fetched = cold.page_tables([REI])[REI]
    warm = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    cached = warm.page_tables([REI])[REI]

    # Every reader of the topical fits in an analysis (plan, JSON, CSV) then shares one reading.
    assert fetched.details
    assert cached.details
    assert fetched.indexed_words is not None
    assert cached.indexed_words is not None
    assert cached.indexed_words is not fetched.indexed_words
    assert cached.link_words() is cached.indexed_words


def test_site_list_and_rating_are_kept_per_registrable_domain(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    provider = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    site = provider.site_referring_domains("https://www.rei.com/a")
    rating = provider.domain_rating("https://www.rei.com/a")
    requests_before = len(api.requests)

    assert provider.site_referring_domains("https://blog.rei.com/other/page") == site
    assert provider.domain_rating("http://REI.com") == rating == 78.0
    assert len(api.requests) == requests_before == 2


def test_no_transaction_is_open_while_the_provider_is_on_the_wire(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    api.organic.append(NEW_PAGE)
    analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock), "trail shoes")

    assert len(api.connections_during_requests) == COLD_REQUESTS + 2
    assert set(api.connections_during_requests) == {0}


# -- failures ----------------------------------------------------------------------------------


def test_a_401_mid_analysis_caches_nothing_for_the_failed_call(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    api.unauthorised_on = 3  # 1 SERP, page 1 fine, page 2 rejected
    with pytest.raises(ProviderAuthError):
        analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))

    # Only the SERP call returned completely; the page call (page 1 included) left nothing.
    assert entry_count(session_factory) == 1
    api.unauthorised_on = None
    api.requests.clear()
    retry = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    assert retry.provider_requests == COLD_REQUESTS - 1
    assert api.targets()[:4] == [RUNNERSWORLD, REI, GEARLAB, TARGET]


def test_an_unreachable_provider_raises_its_own_error_and_caches_no_pages(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    api.network_down_for_pages = True
    with pytest.raises(ProviderUnavailable) as bare:
        analyse(api.client())
    with pytest.raises(ProviderUnavailable) as cached:
        analyse(CachingProvider(api.client(), session_factory, workspace, clock=Clock()))

    assert type(cached.value) is type(bare.value)
    assert str(cached.value) == str(bare.value)
    with transaction(session_factory) as session:
        calls = session.scalars(select(ProviderCacheEntry.query)).all()
    assert [call["call"] for call in calls] == ["serp"]


def test_a_broken_cache_never_fails_a_good_answer(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    api = FakeDataForSeo()
    # A database that was never migrated: every read and write fails.
    engine = make_engine(f"sqlite:///{tmp_path}/empty.db")
    try:
        broken = make_session_factory(engine)
        bare = analyse(api.client())
        with caplog.at_level(logging.WARNING, logger="bot.providers.cache"):
            first = analyse(CachingProvider(api.client(), broken, 1, clock=Clock()))
            second = analyse(CachingProvider(api.client(), broken, 1, clock=Clock()))
    finally:
        engine.dispose()

    assert first.report == second.report == bare.report
    assert second.provider_requests == COLD_REQUESTS
    assert any("read failed" in record.getMessage() for record in caplog.records)
    assert any("write failed" in record.getMessage() for record in caplog.records)


def test_a_failed_write_is_logged_and_the_answer_still_returned(
    session_factory: sessionmaker[Session], api: FakeDataForSeo, caplog: pytest.LogCaptureFixture
) -> None:
    # Reads work, writes break the workspace foreign key (no such workspace).
    with caplog.at_level(logging.WARNING, logger="bot.providers.cache"):
        outcome = analyse(CachingProvider(api.client(), session_factory, 987_654, clock=Clock()))

    assert outcome.provider_requests == COLD_REQUESTS
    assert entry_count(session_factory) == 0
    assert any("write failed" in record.getMessage() for record in caplog.records)


def test_a_provider_error_is_not_swallowed_when_the_cache_is_broken(tmp_path: Path) -> None:
    api = FakeDataForSeo()
    engine = make_engine(f"sqlite:///{tmp_path}/empty.db")
    api.unauthorised_on = 1
    try:
        provider = CachingProvider(api.client(), make_session_factory(engine), 1, clock=Clock())
        with pytest.raises(ProviderAuthError):
            provider.serp(SerpQuery(KEYWORD))
    finally:
        engine.dispose()


# -- whose entries -----------------------------------------------------------------------------


def test_workspace_b_does_not_see_workspace_a_entries(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    other = new_workspace(session_factory, "T-B")
    clock = Clock()
    analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    in_b = analyse(CachingProvider(api.client(), session_factory, other, clock=clock))
    warm_a = analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))

    assert in_b.provider_requests == COLD_REQUESTS
    assert warm_a.provider_requests == 0
    assert entry_count(session_factory, workspace_id=workspace) == COLD_REQUESTS
    assert entry_count(session_factory, workspace_id=other) == COLD_REQUESTS


def test_entries_are_kept_per_provider(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    analyse(CachingProvider(api.client(), session_factory, workspace, clock=clock))
    ahrefs = CountingProvider("ahrefs")
    analyse(CachingProvider(ahrefs, session_factory, workspace, clock=clock))
    analyse(CachingProvider(ahrefs, session_factory, workspace, clock=clock))

    assert ahrefs.calls == ["serp", f"page {RUNNERSWORLD}", f"page {TARGET}", "site", "rating"]
    assert entry_count(session_factory, provider="ahrefs") == 5


def test_a_none_domain_rating_is_an_answer_and_is_cached(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    api.rank = None
    clock = Clock()
    first = CachingProvider(api.client(), session_factory, workspace, clock=clock)
    second = CachingProvider(api.client(), session_factory, workspace, clock=clock)

    assert first.domain_rating(TARGET) is None
    assert second.domain_rating(TARGET) is None
    assert (first.usage.requests, second.usage.requests) == (1, 0)
    key = cache_key_for({"call": "domain_rating", "format": 1, "site": "mysite.com"})
    with transaction(session_factory) as session:
        assert cache_get(session, workspace, "dataforseo", key, T0) == {"rating": None}


def test_an_entry_with_ratings_off_the_0_to_100_scale_is_fetched_again(
    session_factory: sessionmaker[Session], workspace: int
) -> None:
    # Written when an answer came on DataForSEO's default 0-1000 scale: rank 302 is no DR.
    stale_table = DomainTable.from_columns(
        ["a.com", "b.com"], [302.0, None], [False, False], [None, None]
    )
    stale_rating = {"rating": 780.0}
    page_key = page_query_key(TARGET)
    rating_key = {"call": "domain_rating", "format": 1, "site": "mysite.com"}
    with write_transaction(session_factory) as session:
        for query, payload in (
            (page_key, {"referring_domains": domain_table_to_json(stale_table)}),
            (rating_key, stale_rating),
        ):
            cache_put(
                session, workspace, "dataforseo", cache_key_for(query),
                query=query, payload=payload, now=T0,
            )  # fmt: skip
    inner = CountingProvider("dataforseo", rating=78.0)
    provider = CachingProvider(inner, session_factory, workspace, clock=Clock())

    tables = provider.page_tables([TARGET])

    assert tables[TARGET].ratings == (40.0,)  # the provider's fresh answer, not 302
    assert provider.domain_rating(TARGET) == 78.0
    assert inner.calls == [f"page {TARGET}", "rating"]


# -- what is not cached ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sample_data"), [("demo", True), ("csv", False)], ids=["demo", "csv"]
)
def test_sample_data_and_local_files_pass_straight_through(
    session_factory: sessionmaker[Session], workspace: int, name: str, sample_data: bool
) -> None:
    inner = CountingProvider(name, sample_data=sample_data)
    provider = CachingProvider(inner, session_factory, workspace, clock=Clock())
    analyse(provider)
    analyse(provider)

    assert inner.calls.count("serp") == 2
    assert inner.calls.count("rating") == 2
    assert entry_count(session_factory) == 0
    assert (provider.name, provider.sample_data) == (inner.name, inner.sample_data)


def test_the_wrapper_is_a_provider_with_the_inner_usage(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    inner = api.client()
    provider = CachingProvider(inner, session_factory, workspace)

    assert isinstance(provider, Provider)
    assert provider.usage is inner.usage
    assert provider.name == "dataforseo"
    assert provider.sample_data is False
    with pytest.raises(ValueError, match="TTL"):
        CachingProvider(inner, session_factory, workspace, ttl=timedelta(0))


# -- organic traffic ---------------------------------------------------------------------------


def test_organic_traffic_is_kept_per_registrable_domain_and_warm_costs_nothing(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    clock = Clock()
    cold = CachingProvider(api.client(), session_factory, workspace, clock=clock)
    warm = CachingProvider(api.client(), session_factory, workspace, clock=clock)

    assert cold.organic_traffic("https://www.rei.com/a") == 5120.5
    assert warm.organic_traffic("http://blog.REI.com/other/page") == 5120.5
    assert (cold.usage.requests, warm.usage.requests) == (1, 0)
    assert warm.usage.estimated_cost_usd == 0.0
    assert api.paths() == ["dataforseo_labs/google/domain_rank_overview/live"]
    key = cache_key_for({"call": "organic_traffic", "format": 1, "site": "rei.com"})
    with transaction(session_factory) as session:
        assert cache_get(session, workspace, "dataforseo", key, T0) == {"rating": 5120.5}


def test_unknown_organic_traffic_is_an_answer_and_is_cached(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    api.etv = None
    clock = Clock()
    first = CachingProvider(api.client(), session_factory, workspace, clock=clock)
    second = CachingProvider(api.client(), session_factory, workspace, clock=clock)

    assert first.organic_traffic(TARGET) is None
    assert second.organic_traffic(TARGET) is None
    assert (first.usage.requests, second.usage.requests) == (1, 0)


def test_traffic_and_rating_of_one_site_are_separate_entries(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    provider = CachingProvider(api.client(), session_factory, workspace, clock=Clock())
    provider.domain_rating(REI)
    provider.organic_traffic(REI)
    again = CachingProvider(api.client(), session_factory, workspace, clock=Clock())

    assert (again.domain_rating(REI), again.organic_traffic(REI)) == (78.0, 5120.5)
    assert again.usage.requests == 0
    assert entry_count(session_factory) == 2


def test_a_traffic_error_caches_nothing(
    session_factory: sessionmaker[Session], workspace: int, api: FakeDataForSeo
) -> None:
    api.unauthorised_on = 1
    provider = CachingProvider(api.client(), session_factory, workspace, clock=Clock())

    with pytest.raises(ProviderAuthError):
        provider.organic_traffic(TARGET)
    assert entry_count(session_factory) == 0
    assert CachingProvider(api.client(), session_factory, workspace).organic_traffic(TARGET)


def test_demo_traffic_passes_straight_through(
    session_factory: sessionmaker[Session], workspace: int
) -> None:
    inner = CountingProvider("demo", sample_data=True)
    provider = CachingProvider(inner, session_factory, workspace, clock=Clock())

    assert provider.organic_traffic(TARGET) == provider.organic_traffic(TARGET) == 1200.0
    assert inner.calls == ["traffic", "traffic"]
    assert entry_count(session_factory) == 0
