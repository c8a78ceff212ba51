"""Stand-ins for the three live APIs, answering a whole analysis in their documented shapes.

Each stand-in is an ``httpx.MockTransport`` handler built on the recorded
fixtures in ``tests/providers/fixtures/{dataforseo,ahrefs,semrush}/``: the
fixture gives the envelope (status codes, costs, headers, column names) and
one small world below gives the data, so the same analysis can be asked of
every provider. A stand-in accepts only its own credentials (anything else
gets the API's documented "bad key" answer), records every request, and lets
a test replace the answer of one endpoint (``serp``, ``page``, ``site``,
``rating``) to inject a fault.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).parent / "fixtures"

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
OWN_SITE = "example.com"
OWN_RATING = 35.0

#: Page one, best first: five comparable pages, three platforms, a gov page and a homepage.
SERP_URLS: tuple[str, ...] = (
    "https://www.runnersworld.com/gear/a19663621/best-trail-running-shoes/",
    "https://www.rei.com/learn/expert-advice/trail-running-shoes.html",
    "https://www.youtube.com/watch?v=abc",
    "https://www.outdoorgearlab.com/topics/shoes-and-boots/best-trail-running-shoes",
    "https://www.reddit.com/r/trailrunning/comments/abc/best_trail_shoes/",
    "https://www.nps.gov/articles/trail-running-safety.htm",
    "https://www.shoeshop.com/",
    "https://www.amazon.com/s?k=trail+running+shoes",
    "https://www.trailrunnermag.com/gear/best-trail-running-shoes",
    "https://www.irunfar.com/trail-running-shoes-guide",
)
#: Site ratings a SERP that carries them (Ahrefs) reports per result.
SERP_RATINGS: tuple[float, ...] = (89.0, 86.0, 98.0, 72.0, 91.0, 93.0, 23.0, 96.0, 64.0, 58.0)

#: Referring domains: (domain, rating 0-100, spam). Shared ones make the prospects.
SHARED = {
    "trailhub.net": (41.0, (1, 2, 4, 9)),  # also links the target: not a prospect
    "gearblog.org": (55.0, (1, 4, 10)),  # links the site: a warm prospect
    "runclub.co.uk": (33.0, (2, 9)),  # a cold prospect
}
JUNK = ("cheap-seo-links.xyz", 0.0, True)
#: Distinct ordinary referring domains per SERP position: a wide spread on purpose.
UNIQUE_COUNTS = (60, 12, 8, 9, 5, 7, 3, 6, 4, 10)

Row = tuple[str, float, bool]


def _page_rows(position: int) -> list[Row]:
    rows: list[Row] = [
        (domain, rating, False)
        for domain, (rating, positions) in SHARED.items()
        if position in positions
    ]
    rows += [
        (f"runfan{position}x{k}.com", 15.0 + k, False) for k in range(UNIQUE_COUNTS[position - 1])
    ]
    return [*rows, JUNK]


#: What each page (by the URL the analysis asks with) is linked from.
PAGE_DOMAINS: dict[str, list[Row]] = {url: _page_rows(i) for i, url in enumerate(SERP_URLS, 1)}
PAGE_DOMAINS[TARGET] = [("trailhub.net", 41.0, False), ("ownfan.net", 20.0, False), JUNK]
#: Domains linking anywhere on the target's site (marks prospects warm).
SITE_DOMAINS: dict[str, list[Row]] = {
    OWN_SITE: [("gearblog.org", 55.0, False), ("ownfan.net", 20.0, False)]
}

FIRST_SEEN = datetime(2021, 4, 12, 8, 15, 3, tzinfo=UTC)

#: Credentials each stand-in accepts (as the environment the registry reads).
ENVIRON: dict[str, dict[str, str]] = {
    "dataforseo": {"DATAFORSEO_LOGIN": "team@example.com", "DATAFORSEO_PASSWORD": "pw-5b1c9e77aa"},
    "ahrefs": {"AHREFS_API_KEY": "ahrefs-key-0a1b2c3d4e5f"},
    "semrush": {"SEMRUSH_API_KEY": "semrush-key-77aa88bb99cc"},
}
#: Requests one cold analysis makes: 1 SERP + 10 results + the target page + site list + rating.
COLD_REQUESTS = 1 + len(SERP_URLS) + 1 + 1 + 1

Responder = Callable[[httpx.Request], httpx.Response]


def json_fixture(provider: str, name: str) -> Any:
    return json.loads((FIXTURES / provider / name).read_text(encoding="utf-8"))


def text_fixture(provider: str, name: str) -> str:
    return (FIXTURES / provider / name).read_text(encoding="utf-8")


class LiveApi:
    """One provider's API: routes a request to its endpoint, unless a fault replaces it."""

    name = ""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.endpoints: list[str] = []
        self.faults: dict[str, Responder] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        endpoint = self.endpoint(request)
        self.endpoints.append(endpoint)
        if not self.authorised(request):
            return self.rejected_key()
        fault = self.faults.get(endpoint)
        if fault is not None:
            return fault(request)
        return self.answer(endpoint, request)

    def fail(self, endpoint: str, responder: Responder) -> LiveApi:
        """Answer ``endpoint`` (``serp``, ``page``, ``site``, ``rating``) with ``responder``."""
        self.faults[endpoint] = responder
        return self

    def count(self, endpoint: str) -> int:
        return self.endpoints.count(endpoint)

    # -- per provider ------------------------------------------------------------------------

    def endpoint(self, request: httpx.Request) -> str:
        raise NotImplementedError

    def authorised(self, request: httpx.Request) -> bool:
        raise NotImplementedError

    def rejected_key(self) -> httpx.Response:
        raise NotImplementedError

    def answer(self, endpoint: str, request: httpx.Request) -> httpx.Response:
        raise NotImplementedError


def _page_or_site(target: str, site: bool) -> list[Row]:
    table = SITE_DOMAINS if site else PAGE_DOMAINS
    if target not in table:
        raise AssertionError(f"the stand-in was asked about an unexpected target {target!r}")
    return table[target]


class DataForSeoApi(LiveApi):
    """``api.dataforseo.com/v3``: one task per POST, outcome in ``status_code`` fields."""

    name = "dataforseo"

    def endpoint(self, request: httpx.Request) -> str:
        path = request.url.path
        if path.endswith("/serp/google/organic/live/advanced"):
            return "serp"
        if path.endswith("/backlinks/bulk_ranks/live"):
            return "rating"
        if path.endswith("/backlinks/referring_domains/live"):
            assert self.task(request)["include_subdomains"], "pages are read from backlinks"
            return "site"
        if path.endswith("/backlinks/backlinks/live"):
            assert self.task(request)["mode"] == "one_per_domain"
            return "page"
        raise AssertionError(f"unexpected DataForSEO call {path}")

    def authorised(self, request: httpx.Request) -> bool:
        keys = ENVIRON["dataforseo"]
        token = base64.b64encode(
            f"{keys['DATAFORSEO_LOGIN']}:{keys['DATAFORSEO_PASSWORD']}".encode()
        ).decode()
        return bool(request.headers.get("Authorization") == f"Basic {token}")

    def rejected_key(self) -> httpx.Response:
        return httpx.Response(401, json=json_fixture("dataforseo", "error_40100_unauthorized.json"))

    @staticmethod
    def task(request: httpx.Request) -> dict[str, Any]:
        tasks = json.loads(request.content)
        assert isinstance(tasks, list)
        assert len(tasks) == 1, "live endpoints take one task per POST"
        task: dict[str, Any] = tasks[0]
        return task

    def answer(self, endpoint: str, request: httpx.Request) -> httpx.Response:
        task = self.task(request)
        if endpoint == "serp":
            return httpx.Response(200, json=self.serp())
        if endpoint == "rating":
            body = json_fixture("dataforseo", "bulk_ranks_live.json")
            items = [
                {"type": "backlinks_bulk_ranks", "target": t, "rank": int(OWN_RATING)}
                for t in task["targets"]
            ]
            body["tasks"][0]["result"][0].update(items=items, items_count=len(items))
            return httpx.Response(200, json=body)
        rows = _page_or_site(task["target"], site=endpoint == "site")
        if endpoint == "page":
            return httpx.Response(200, json=self.backlinks(task["target"], rows))
        return httpx.Response(200, json=self.referring_domains(task["target"], rows))

    @staticmethod
    def serp() -> dict[str, Any]:
        """The recorded answer with its paid/PAA/video items kept and ten organic results."""
        body: dict[str, Any] = json_fixture("dataforseo", "serp_live_advanced.json")
        result = body["tasks"][0]["result"][0]
        recorded = result["items"]
        template = next(item for item in recorded if item["type"] == "organic")
        extras = [item for item in recorded if item["type"] != "organic"]
        organic = [
            {**template, "rank_group": i, "url": url, "domain": httpx.URL(url).host,
             "title": f"Result {i}"}
            for i, url in enumerate(SERP_URLS, 1)
        ]  # fmt: skip
        items = [extras[0], *organic[:2], extras[1], *organic[2:5], extras[2], *organic[5:]]
        for absolute, item in enumerate(items, 1):
            item["rank_absolute"] = absolute
        result.update(items=items, items_count=len(items))
        return body

    @staticmethod
    def backlinks(target: str, rows: list[Row]) -> dict[str, Any]:
        """One backlink per referring domain (``one_per_domain``), from the recorded shape."""
        body: dict[str, Any] = json_fixture("dataforseo", "backlinks_live.json")
        task = body["tasks"][0]
        template = task["result"][0]["items"][0]
        items = [
            {**template, "domain_from": domain, "domain_from_rank": int(rating),
             "url_from": f"https://{domain}/blog/trail-running-shoes-{n}", "url_to": target,
             "anchor": "trail running shoes", "page_from_title": f"Trail running shoes {n}",
             "backlink_spam_score": 87 if spam else 2,
             "first_seen": FIRST_SEEN.strftime("%Y-%m-%d %H:%M:%S +00:00")}
            for n, (domain, rating, spam) in enumerate(rows)
        ]  # fmt: skip
        return _backlinks_answer(body, target, items)

    @staticmethod
    def referring_domains(target: str, rows: list[Row]) -> dict[str, Any]:
        body: dict[str, Any] = json_fixture("dataforseo", "referring_domains_live.json")
        task = body["tasks"][0]
        template = task["result"][0]["items"][0]
        items = [
            {**template, "domain": domain, "rank": int(rating),
             "backlinks_spam_score": 87 if spam else 2,
             "first_seen": FIRST_SEEN.strftime("%Y-%m-%d %H:%M:%S +00:00")}
            for domain, rating, spam in rows
        ]  # fmt: skip
        return _backlinks_answer(body, target, items)


def _backlinks_answer(body: dict[str, Any], target: str, items: list[Any]) -> dict[str, Any]:
    """A recorded Backlinks API answer carrying ``items`` for ``target``, priced per row."""
    task = body["tasks"][0]
    cost = round(0.02 + 0.00003 * len(items), 5)  # per request + per row (docs/providers.md)
    body["cost"] = task["cost"] = cost
    task["data"]["target"] = target
    task["result"][0].update(target=target, total_count=len(items), items_count=len(items))
    task["result"][0]["items"] = items
    return body


class AhrefsApi(LiveApi):
    """``api.ahrefs.com/v3``: bearer key, JSON answers, ``{"error": ...}`` on refusal."""

    name = "ahrefs"

    def endpoint(self, request: httpx.Request) -> str:
        path = request.url.path
        if path == "/v3/serp-overview/serp-overview":
            return "serp"
        if path == "/v3/batch-analysis/batch-analysis":
            return "rating"
        if path == "/v3/site-explorer/all-backlinks":
            return "page"
        if path == "/v3/site-explorer/refdomains":
            return "site"
        raise AssertionError(f"unexpected Ahrefs call {path}")

    def authorised(self, request: httpx.Request) -> bool:
        key = ENVIRON["ahrefs"]["AHREFS_API_KEY"]
        return bool(request.headers.get("Authorization") == f"Bearer {key}")

    def rejected_key(self) -> httpx.Response:
        return httpx.Response(401, json=json_fixture("ahrefs", "error_401.json"))

    def answer(self, endpoint: str, request: httpx.Request) -> httpx.Response:
        if endpoint == "serp":
            return httpx.Response(200, json=self.serp())
        if endpoint == "rating":
            targets = json.loads(request.content)["targets"]
            template = json_fixture("ahrefs", "batch_analysis.json")["targets"][0]
            rows = [
                {**template, "index": i, "url": t["url"], "domain_rating": OWN_RATING}
                for i, t in enumerate(targets)
            ]
            return httpx.Response(200, json={"targets": rows})
        assert "where" not in request.url.params, "every answer fits one page of 1,000"
        target = request.url.params["target"]
        if endpoint == "page":
            return httpx.Response(200, json=self.backlinks(target))
        template = json_fixture("ahrefs", "refdomains.json")["refdomains"][0]
        rows = [
            {**template, "domain": domain, "domain_rating": rating, "is_spam": spam,
             "first_seen": FIRST_SEEN.strftime("%Y-%m-%dT%H:%M:%SZ")}
            for domain, rating, spam in _page_or_site(target, site=endpoint == "site")
        ]  # fmt: skip
        return httpx.Response(200, json={"refdomains": rows})

    @staticmethod
    def backlinks(target: str) -> dict[str, Any]:
        """One link per referring domain (``1_per_domain``), from the recorded shape."""
        template = json_fixture("ahrefs", "all_backlinks.json")["backlinks"][0]
        rows = [
            {**template, "name_source": domain, "domain_rating_source": rating, "is_spam": spam,
             "url_from": f"https://{domain}/blog/trail-running-shoes-{n}",
             "title": f"Trail running shoes {n}", "anchor": "trail running shoes",
             "first_seen_link": FIRST_SEEN.strftime("%Y-%m-%dT%H:%M:%SZ")}
            for n, (domain, rating, spam) in enumerate(_page_or_site(target, site=False))
        ]  # fmt: skip
        return {"backlinks": rows}

    @staticmethod
    def serp() -> dict[str, Any]:
        """Ten organic rows numbered among the recorded question and video rows."""
        recorded = json_fixture("ahrefs", "serp_overview.json")["positions"]
        template = next(row for row in recorded if row["type"] == ["organic"])
        extras = [row for row in recorded if "organic" not in row["type"]]
        organic = [
            {**template, "url": url, "title": f"Result {i}", "domain_rating": rating,
             "page_type": "/Homepage" if httpx.URL(url).path == "/" else "/Article/Listicle"}
            for i, (url, rating) in enumerate(zip(SERP_URLS, SERP_RATINGS, strict=True), 1)
        ]  # fmt: skip
        rows = [organic[0], extras[0], *organic[1:4], extras[1], *organic[4:]]
        for position, row in enumerate(rows, 1):
            row["position"] = position
        return {"positions": rows}


class SemrushApi(LiveApi):
    """``api.semrush.com``: key in the query string, ``;`` CSV answers, ``ERROR NN ::`` text."""

    name = "semrush"

    def endpoint(self, request: httpx.Request) -> str:
        kind = request.url.params.get("type")
        if kind == "phrase_organic":
            return "serp"
        if kind == "backlinks_overview":
            return "rating"
        if kind == "backlinks_refdomains":
            return "site" if request.url.params["target_type"] == "root_domain" else "page"
        raise AssertionError(f"unexpected Semrush call type={kind}")

    def authorised(self, request: httpx.Request) -> bool:
        return bool(request.url.params.get("key") == ENVIRON["semrush"]["SEMRUSH_API_KEY"])

    def rejected_key(self) -> httpx.Response:
        return httpx.Response(200, text="ERROR 120 :: WRONG KEY - ID PAIR")

    def answer(self, endpoint: str, request: httpx.Request) -> httpx.Response:
        if endpoint == "serp":
            header = text_fixture("semrush", "phrase_organic.csv").splitlines()[0]
            lines = [f"{httpx.URL(url).host};{url}" for url in SERP_URLS]
            return httpx.Response(200, text="\r\n".join([header, *lines]) + "\r\n")
        if endpoint == "rating":
            header = text_fixture("semrush", "backlinks_overview.csv").splitlines()[0]
            return httpx.Response(200, text=f"{header}\r\n{int(OWN_RATING)}\r\n")
        header = text_fixture("semrush", "backlinks_refdomains.csv").splitlines()[0]
        seen = int(FIRST_SEEN.timestamp())
        rows = sorted(
            _page_or_site(request.url.params["target"], site=endpoint == "site"),
            key=lambda row: -row[1],  # display_sort=domain_ascore_desc
        )
        lines = [f"{int(rating)};{domain};3;{seen};1722470400" for domain, rating, _spam in rows]
        return httpx.Response(200, text="\r\n".join([header, *lines]) + "\r\n")


APIS: dict[str, type[LiveApi]] = {
    "dataforseo": DataForSeoApi,
    "ahrefs": AhrefsApi,
    "semrush": SemrushApi,
}


def timeout(request: httpx.Request) -> httpx.Response:
    """A fault: the read timed out."""
    raise httpx.ReadTimeout("timed out", request=request)
