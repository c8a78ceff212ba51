"""Every request linkgap sends carries only fields the vendor documents for that call.

The field lists are the request parameters of each vendor's reference pages
(DataForSEO's "Description of the fields for setting a task", Semrush's
Analytics API v3 request parameters, Ahrefs API v3 query parameters). An
undocumented field is at best ignored and at worst refused or billed; a typo
in a documented one (``rank_scal``) silently changes the answer's scale.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bot.errors import LinkgapError
from bot.gap.settings import GapSettings
from bot.providers.registry import make_provider
from bot.services.gap import GapRequest, run_gap
from tests.providers.live_fixtures import APIS, ENVIRON, KEYWORD, TARGET

DATAFORSEO = {
    "/v3/serp/google/organic/live/advanced": {
        "keyword", "url", "depth", "max_crawl_pages", "location_name", "location_code",
        "location_coordinate", "language_name", "language_code", "se_domain", "device", "os",
        "search_param", "target", "group_organic_results", "calculate_rectangles",
        "browser_screen_width", "browser_screen_height", "browser_screen_resolution_ratio",
        "people_also_ask_click_depth", "load_async_ai_overview", "tag",
    },
    "/v3/backlinks/referring_domains/live": {
        "target", "limit", "offset", "internal_list_limit", "backlinks_status_type", "filters",
        "order_by", "backlinks_filters", "include_subdomains", "include_indirect_links",
        "exclude_internal_backlinks", "rank_scale", "tag",
    },
    "/v3/backlinks/backlinks/live": {
        "target", "mode", "custom_mode", "filters", "order_by", "offset", "search_after_token",
        "limit", "backlinks_status_type", "include_subdomains", "include_indirect_links",
        "exclude_internal_backlinks", "backlinks_filters", "rank_scale", "tag",
    },
    "/v3/backlinks/bulk_ranks/live": {"targets", "rank_scale", "tag"},
    "/v3/backlinks/bulk_referring_domains/live": {"targets", "tag"},
    "/v3/dataforseo_labs/google/domain_rank_overview/live": {
        "target", "location_name", "location_code", "language_name", "language_code",
        "ignore_synonyms", "limit", "offset", "tag",
    },
}  # fmt: skip

SEMRUSH = {
    "phrase_organic": {
        "type", "key", "phrase", "database", "display_limit", "display_offset", "export_escape",
        "export_decode", "display_date", "export_columns", "display_filter",
    },
    "backlinks_refdomains": {
        "type", "key", "target", "target_type", "export_columns", "display_sort",
        "display_limit", "display_offset", "display_filter",
    },
    "backlinks_overview": {"type", "key", "target", "target_type", "export_columns"},
    "domain_ranks": {
        "type", "key", "domain", "database", "export_escape", "export_decode", "display_date",
        "export_columns",
    },
}  # fmt: skip

AHREFS = {
    "/v3/serp-overview/serp-overview": {
        "select", "country", "keyword", "date", "top_positions", "output",
    },
    "/v3/site-explorer/refdomains": {
        "target", "mode", "protocol", "history", "select", "where", "order_by", "limit",
        "output", "aggregation", "timeout",
    },
    "/v3/site-explorer/all-backlinks": {
        "target", "mode", "protocol", "history", "select", "where", "order_by", "limit",
        "output", "aggregation", "timeout",
    },
    "/v3/site-explorer/metrics": {
        "target", "mode", "protocol", "date", "volume_mode", "country", "output",
    },
    "/v3/batch-analysis/batch-analysis": {
        "select", "targets", "order_by", "where", "country", "volume_mode", "output",
    },
}  # fmt: skip
#: Each target of an Ahrefs batch-analysis request.
AHREFS_BATCH_TARGET = {"url", "mode", "protocol"}


def _fields(name: str, request: httpx.Request) -> tuple[str, set[str]]:
    """The call a request makes and the fields it carries (query string or JSON task)."""
    if name == "semrush":
        return request.url.params["type"], set(request.url.params.keys())
    if request.method == "POST":
        body: Any = json.loads(request.content)
        task = body[0] if isinstance(body, list) else body
        if name == "ahrefs":
            for target in task.get("targets", []):
                assert set(target) <= AHREFS_BATCH_TARGET, target
        return request.url.path, set(task)
    return request.url.path, set(request.url.params.keys())


@pytest.mark.parametrize("name", ["dataforseo", "semrush", "ahrefs"])
def test_an_analysis_and_a_traffic_estimate_send_only_documented_fields(name: str) -> None:
    documented = {"dataforseo": DATAFORSEO, "semrush": SEMRUSH, "ahrefs": AHREFS}[name]
    api = APIS[name]()
    provider = make_provider(name, environ=ENVIRON[name], transport=httpx.MockTransport(api))
    run_gap(provider, GapRequest.parse(KEYWORD, TARGET), GapSettings())
    try:
        provider.organic_traffic(TARGET)
    except (LinkgapError, AssertionError) as unanswered:
        # The stand-in API serves an analysis, not this call; the request is recorded all
        # the same, and only its fields matter here.
        print(f"{name} traffic call not answered: {unanswered}")

    calls = [_fields(name, request) for request in api.requests]
    assert len({call for call, _ in calls}) >= 3
    for call, fields in calls:
        assert call in documented, f"{name} called {call}, which the test does not know"
        assert fields <= documented[call], (call, sorted(fields - documented[call]))
