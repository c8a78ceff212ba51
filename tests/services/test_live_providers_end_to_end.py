"""A whole analysis through each live provider, as the CLI and the Slack worker run it.

Each provider is built by the registry from its environment variables, talks
to a stand-in of its API answering in the documented shapes
(``tests/providers/live_fixtures.py``), is wrapped in the workspace cache and
goes through ``run_and_record``. The JSON contract it produces must have the
demo provider's shape; a second analysis must come from the cache alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.gap.settings import GapSettings
from bot.providers.registry import make_provider
from bot.report.contract import gap_contract
from bot.report.outcome import GapOutcome
from bot.services.gap import GapRequest, run_gap
from bot.services.gap_store import run_and_record
from bot.services.own_site import CrawlRequest, SiteReading
from bot.services.providers import cached
from bot.store.models import Analysis
from bot.web.crawl import SiteCrawler
from bot.web.fetcher import SafeFetcher
from bot.web.sample_web import SampleWeb
from tests.providers.live_fixtures import (
    APIS,
    COLD_REQUESTS,
    ENVIRON,
    KEYWORD,
    PAGE_DOMAINS,
    SERP_URLS,
    SITE_DOMAINS,
    TARGET,
    LiveApi,
)

DOCS = Path(__file__).parents[2] / "docs" / "providers.md"
LIVE = ("dataforseo", "ahrefs", "semrush")

#: DESIGN section 9: the JSON types each contract field may take ("[]" = each list element).
NUMBER = {"int", "float"}
CONTRACT_TYPES: dict[str, set[str]] = {
    "keyword": {"str"}, "target_url": {"str"}, "provider": {"str"}, "sample_data": {"bool"},
    "own.url": {"str"}, "own.position": {"int", "null"}, "own.referring_domains": {"int"},
    "own.quality_referring_domains": {"int"}, "own.followed_referring_domains": {"int"},
    "own.domain_rating": NUMBER | {"null"},
    "results[].position": {"int"}, "results[].url": {"str"}, "results[].domain": {"str"},
    "results[].referring_domains": {"int"}, "results[].quality_referring_domains": {"int"},
    "results[].followed_referring_domains": {"int"},
    "results[].domain_rating": NUMBER | {"null"}, "results[].comparable": {"bool"},
    "results[].excluded_reason": {"str", "null"},
    "entry_target": {"int", "null"}, "stretch_target": {"int", "null"},
    "entry_gap": {"int", "null"}, "stretch_gap": {"int", "null"},
    "prospects[].domain": {"str"}, "prospects[].competitors_linked": {"int"},
    "prospects[].domain_rating": NUMBER | {"null"}, "prospects[].warm": {"bool"},
    "prospects[].linked_pages[].position": {"int"},
    "prospects[].linked_pages[].competitor_url": {"str"},
    "prospects[].linked_pages[].linking_url": {"str", "null"},
    "prospects[].linked_pages[].anchor": {"str", "null"},
    "prospects[].linked_pages[].followed": {"bool"},
    "prospects[].linked_pages[].first_seen": {"str", "null"},
    "prospects[].linked_pages[].title": {"str", "null"},
    "prospects[].topical_fit": NUMBER | {"null"},
    "plan.prospects[].domain": {"str"}, "plan.prospects[].score": NUMBER,
    "plan.prospects[].reason": {"str"}, "plan.eta_days": {"int", "null"},
    "flags[].code": {"str"}, "flags[].message": {"str"},
    "provider_requests": {"int"}, "estimated_cost_usd": NUMBER,
    "internal_support.linking_pages": {"int"},
    "internal_support.opportunities[].url": {"str"},
    "internal_support.opportunities[].sentence": {"str"},
}  # fmt: skip


#: Lists whose items have the shape of another list's (the plan's reserve is "[same]").
SAME_SHAPE = {"plan.reserve": "plan.prospects"}


def json_types(
    value: Any, path: str = "", into: dict[str, set[str]] | None = None
) -> dict[str, set[str]]:
    """Every leaf path of a JSON document with the JSON types found there."""
    found: dict[str, set[str]] = {} if into is None else into
    path = SAME_SHAPE.get(path, path)
    if isinstance(value, dict):
        for key, item in value.items():
            json_types(item, f"{path}.{key}" if path else key, found)
    elif isinstance(value, list):
        for item in value:
            json_types(item, f"{path}[]", found)
    else:
        kind = {bool: "bool", int: "int", float: "float", str: "str", type(None): "null"}
        found.setdefault(path, set()).add(kind[type(value)])
    return found


def valued(path: str, kinds: set[str]) -> set[str]:
    """The types of the values at ``path``, JSON "number" fields counting int and float as one.

    The demo reports platform ratings as ints (``96``) and everything else as
    floats (``96.0``); both are the contract's "number".
    """
    kinds = kinds - {"null"}
    if CONTRACT_TYPES[path] >= NUMBER and kinds & NUMBER:
        kinds = (kinds - NUMBER) | {"number"}
    return kinds


def as_printed(outcome: GapOutcome) -> dict[str, Any]:
    """The contract as ``linkgap gap --json`` prints it (through JSON and back)."""
    document: dict[str, Any] = json.loads(json.dumps(gap_contract(outcome)))
    return document


def documented_cold_requests(provider: str) -> int:
    """The whole-analysis column of the request table in docs/providers.md."""
    row = re.search(
        rf"^\| {provider} \| \d+ \| (\d+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE
    )
    assert row is not None, f"docs/providers.md has no request row for {provider}"
    return int(row.group(1))


def analyse(
    name: str, api: LiveApi, sessions: sessionmaker[Session], request: GapRequest
) -> dict[str, Any]:
    """One analysis as a surface runs it: registry, workspace cache, run_and_record."""
    provider = cached(
        make_provider(name, environ=ENVIRON[name], transport=httpx.MockTransport(api)), sessions
    )
    try:
        return as_printed(run_and_record(sessions, provider, request, crawl=own_site_crawl()))
    finally:
        getattr(provider, "close", lambda: None)()


def own_site_crawl() -> CrawlRequest:
    """The crawl of the target's site as every surface asks for it, over the sample web."""
    fetcher = SafeFetcher(transport=SampleWeb(lambda: [TARGET], lambda: [KEYWORD]))
    return CrawlRequest(fetcher, per_second=1000)


#: A page the demo places off page one, so its report carries flags (the tracked page has none).
UNRANKED = "https://www.example.com/blog/guide"


@pytest.fixture(scope="module")
def demo_contract() -> dict[str, set[str]]:
    """The JSON types of the demo's reports: the test's page and one that raises flags.

    One demo report rarely fills every field (a page that ranks well gets no
    flags), so the reference is what two of them show together.
    """
    provider = make_provider("demo")
    types: dict[str, set[str]] = {}
    site = SiteCrawler(own_site_crawl().fetcher, TARGET, per_second=1000).crawl()
    for target in (TARGET, UNRANKED):
        outcome = run_gap(
            provider,
            GapRequest.parse(KEYWORD, target),
            GapSettings(),
            site=SiteReading(site.pages),
        )
        for path, kinds in json_types(as_printed(outcome)).items():
            types.setdefault(path, set()).update(kinds)
    return types


def test_the_demo_contract_exercises_every_field(demo_contract: dict[str, set[str]]) -> None:
    """The reference shape must itself be complete, or comparing with it proves little."""
    types = demo_contract
    assert set(types) == set(CONTRACT_TYPES)
    for path, kinds in types.items():
        assert kinds <= CONTRACT_TYPES[path], path


@pytest.mark.parametrize("name", LIVE)
def test_a_live_analysis_has_the_demo_contract_and_a_warm_rerun_costs_nothing(
    name: str, session_factory: sessionmaker[Session], demo_contract: dict[str, set[str]]
) -> None:
    api = APIS[name]()
    request = GapRequest.parse(KEYWORD, TARGET)

    cold = analyse(name, api, session_factory, request)

    assert cold["provider"] == name
    assert cold["sample_data"] is False
    assert cold["keyword"] == KEYWORD
    assert cold["target_url"] == TARGET
    cold_types, demo_types = json_types(cold), demo_contract
    assert set(cold_types) == set(demo_types)
    for path, kinds in cold_types.items():
        assert kinds <= CONTRACT_TYPES[path], path
        # The same JSON types as the demo wherever both carry a value.
        live, demo = valued(path, kinds), valued(path, demo_types[path])
        if live and demo:
            assert live == demo, path
    assert [row["url"] for row in cold["results"]] == list(SERP_URLS)
    assert cold["provider_requests"] == COLD_REQUESTS == len(api.requests)
    assert cold["provider_requests"] == documented_cold_requests(name)
    assert (api.count("serp"), api.count("page"), api.count("site"), api.count("rating")) == (
        1, len(SERP_URLS) + 1, 1, 1,
    )  # fmt: skip
    assert cold["estimated_cost_usd"] >= 0

    warm = analyse(name, api, session_factory, request)

    assert len(api.requests) == COLD_REQUESTS, "the warm analysis reached the API"
    assert warm["provider_requests"] == 0
    assert warm["estimated_cost_usd"] == 0
    same = ("own", "results", "entry_target", "stretch_target", "entry_gap", "stretch_gap",
            "prospects", "flags", "internal_support")  # fmt: skip
    assert {key: warm[key] for key in same} == {key: cold[key] for key in same}
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Analysis)) == 2


def test_the_costs_reported_are_the_documented_unit_prices(
    session_factory: sessionmaker[Session],
) -> None:
    """DataForSEO: the answers' own ``cost``; Ahrefs: 0 without a unit price; Semrush: units."""
    request = GapRequest.parse(KEYWORD, TARGET)
    costs = {
        name: analyse(name, APIS[name](), session_factory, request)["estimated_cost_usd"]
        for name in LIVE
    }
    page_rows = [len(PAGE_DOMAINS[url]) for url in [*SERP_URLS, TARGET]]
    site_rows = len(SITE_DOMAINS["example.com"])
    # SERP $0.002, each referring-domain list $0.02 + $0.00003 a row, bulk_ranks $0.02001.
    dataforseo = 0.002 + sum(0.02 + 0.00003 * n for n in [*page_rows, site_rows]) + 0.02001
    assert costs["dataforseo"] == pytest.approx(dataforseo, abs=1e-4)
    assert costs["ahrefs"] == 0
    # 10 SERP lines x 10 units, 40 units a referring-domain line, 40 units for the overview.
    units = 10 * 10 + 40 * (sum(page_rows) + site_rows) + 40
    assert costs["semrush"] == pytest.approx(units / 20_000, abs=1e-4)
    # The figures docs/providers.md quotes for this test.
    assert (sum(page_rows), site_rows, units) == (146, 2, 6060)
    assert costs == {"dataforseo": 0.2664, "ahrefs": 0.0, "semrush": 0.303}
    units_used = {}
    for name in ("ahrefs", "semrush"):
        provider = make_provider(
            name, environ=ENVIRON[name], transport=httpx.MockTransport(APIS[name]())
        )
        run_gap(provider, request, GapSettings())
        units_used[name] = provider.units_used  # type: ignore[attr-defined]
    # Ahrefs: SERP 12 rows x 7 fields, each page max(50, 8 fields x rows) (all-backlinks, one
    # link per domain), the site list and the rating the 50-unit minimum each.
    ahrefs = 12 * 7 + sum(max(50, 8 * rows) for rows in page_rows) + 50 + 50
    assert units_used == {"ahrefs": ahrefs, "semrush": units}
    assert ahrefs == 1398  # the figure docs/providers.md quotes


def test_every_provider_finds_the_same_gap_in_the_same_data(
    session_factory: sessionmaker[Session],
) -> None:
    """The quirks stay inside the providers: one world, one gap, whichever API tells it."""
    request = GapRequest.parse(KEYWORD, TARGET)
    reports = {name: analyse(name, APIS[name](), session_factory, request) for name in LIVE}
    keys = ("entry_target", "stretch_target", "entry_gap", "stretch_gap")
    answers = {name: tuple(report[k] for k in keys) for name, report in reports.items()}
    assert len(set(answers.values())) == 1, answers
    prospects = {
        name: [(p["domain"], p["competitors_linked"], p["warm"]) for p in report["prospects"]]
        for name, report in reports.items()
    }
    assert prospects["dataforseo"] == [
        ("gearblog.org", 3, True),
        ("runclub.co.uk", 2, False),
    ]
    assert prospects["ahrefs"] == prospects["semrush"] == prospects["dataforseo"]
    reasons = [row["excluded_reason"] for row in reports["ahrefs"]["results"]]
    assert reasons == [None, None, "platform", None, "platform", "gov-edu", "page-type",
                       "platform", None, None]  # fmt: skip
