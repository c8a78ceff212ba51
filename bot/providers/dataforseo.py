"""DataForSEO: Google organic SERP (Live) and Backlinks API, pay-as-you-go.

Quirk handled here: DataForSEO answers almost everything with HTTP 200 and puts
the outcome in ``status_code`` fields, once for the whole call and once per
task. ``20000`` is success; anything else is mapped to the project's error
vocabulary (40202 is a rate limit and is retried like a 429). Live endpoints
take one task per POST, so page-level referring domains cost one request per
page (more when a page has over 1,000 referring domains). A page's referring
domains are read from the backlinks endpoint in ``one_per_domain`` mode: one
row per domain, as many rows (and requests) as ``referring_domains`` would
answer, and each row names the linking page, its title, the anchor and
whether the link is followed. A site's organic
traffic comes from DataForSEO Labs, a separate API an account may not have
activated: that one call then answers "unknown" instead of failing a vetting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import httpx

from bot.errors import (
    BadInput,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderError,
)
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.providers.base import ProviderUsage, SerpQuery, on_rating_scale
from bot.providers.http import ProviderHttp, RetryableAnswer, json_body

log = logging.getLogger(__name__)

NAME = "DataForSEO"
BASE_URL = "https://api.dataforseo.com/v3/"
SERP_PATH = "serp/google/organic/live/advanced"
REFERRING_DOMAINS_PATH = "backlinks/referring_domains/live"
BACKLINKS_PATH = "backlinks/backlinks/live"
BULK_RANKS_PATH = "backlinks/bulk_ranks/live"
BULK_REFERRING_DOMAINS_PATH = "backlinks/bulk_referring_domains/live"
RANK_OVERVIEW_PATH = "dataforseo_labs/google/domain_rank_overview/live"
#: Rows (one per location/language) asked of domain_rank_overview: its maximum, since the
#: default of 100 silently drops locales from the worldwide total.
RANK_OVERVIEW_LIMIT = 1000
#: Largest ``limit`` the referring_domains endpoint accepts.
PAGE_SIZE = 1000
#: Pages of 1,000 fetched for the site-wide list (warm prospects); strongest domains first.
SITE_MAX_PAGES = 10
#: Fallback prices (USD) when an answer carries no ``cost``: Live SERP per 10 results,
#: Backlinks per request + per returned row (pricing pages, see docs/providers.md).
SERP_LIVE_PRICE = 0.002
BACKLINKS_REQUEST_PRICE = 0.02
BACKLINKS_ROW_PRICE = 0.00003
#: Fallback for a Labs answer without ``cost`` (an estimate; the answer's own ``cost`` wins).
LABS_REQUEST_PRICE = 0.01

#: ISO country code -> DataForSEO ``location_code`` (appendix/locations) for the usual markets.
LOCATION_CODES: dict[str, int] = {
    "us": 2840, "gb": 2826, "uk": 2826, "ca": 2124, "au": 2036, "nz": 2554, "ie": 2372,
    "de": 2276, "at": 2040, "ch": 2756, "fr": 2250, "be": 2056, "nl": 2528, "es": 2724,
    "it": 2380, "pt": 2620, "se": 2752, "no": 2578, "dk": 2208, "fi": 2246, "pl": 2616,
    "br": 2076, "mx": 2484, "ar": 2032, "in": 2356, "sg": 2702, "za": 2710, "jp": 2392,
}  # fmt: skip

#: Task status of an API the account has not activated (errors appendix).
ACCESS_DENIED = 40204

_AUTH_HINT = "Check DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD (API credentials, not the site login)."


class DataForSeoProvider:
    """Live DataForSEO data behind the ``Provider`` protocol."""

    name = "dataforseo"
    sample_data = False

    def __init__(
        self,
        login: str,
        password: str,
        transport: httpx.BaseTransport | None = None,
        *,
        min_rating: float | None = None,
        sleep: Callable[[float], None] | None = None,
        max_attempts: int = 4,
    ) -> None:
        self.usage = ProviderUsage()
        #: Optional server-side cut of referring domains below this rank (0-100). Off by
        #: default: the report also shows each page's total referring domains.
        self.min_rating = min_rating
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHttp(
            NAME,
            base_url=BASE_URL,
            usage=self.usage,
            key_variables=("DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD"),
            secrets=(password, login),
            auth=(login, password),
            transport=transport,
            max_attempts=max_attempts,
            **extra,
        )

    def close(self) -> None:
        self.http.close()

    # -- Provider protocol ---------------------------------------------------------------------

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        """Page one of Google: one Live Advanced task, organic items only, by organic rank."""
        location = LOCATION_CODES.get(query.country.strip().lower())
        if location is None:
            raise BadInput(
                f"DataForSEO has no location set up for country '{query.country}'. "
                f"Use one of: {', '.join(sorted(LOCATION_CODES))}."
            )
        task = {
            "keyword": query.keyword,
            "location_code": location,
            "language_code": query.language.strip().lower(),
            "depth": query.depth,
        }
        result = self._post(SERP_PATH, task, fallback_cost=SERP_LIVE_PRICE)
        items = _list(result.get("items") if result else None, "items")
        serp: list[SerpResult] = []
        for item in items:
            if not isinstance(item, dict) or item.get("type") != "organic":
                continue
            url, rank = item.get("url"), item.get("rank_group")
            if not isinstance(url, str) or not isinstance(rank, int):
                raise ProviderBadResponse(
                    NAME, "DataForSEO sent an organic result without url/rank."
                )
            serp.append(SerpResult(position=rank, url=url, title=str(item.get("title") or "")))
        serp.sort(key=lambda r: r.position)
        return serp[: query.depth]

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """Referring domains of each exact page (``target`` = the page URL), every page complete.

        One backlink per referring domain (``mode: one_per_domain``, DataForSEO's
        most important link of the domain), strongest domains first.
        """
        answer: dict[str, list[ReferringDomain]] = {}
        for url in urls:
            if url not in answer:
                answer[url] = self._page_backlinks(url)
        return answer

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """Domains linking anywhere on the registrable domain of ``url``, strongest first.

        Capped at ``SITE_MAX_PAGES`` x 1,000 domains: this list only marks prospects
        ``warm``, and a site with more referring domains than that would cost one
        request per thousand. Documented in docs/providers.md.
        """
        return self._referring_domains(
            registrable_domain(url), include_subdomains=True, max_pages=SITE_MAX_PAGES
        )

    def domain_rating(self, url: str) -> float | None:
        """The site's rank on the 0-100 scale (``bulk_ranks``, one request)."""
        return self.domain_ratings([url]).get(url)

    def organic_traffic(self, url: str) -> float | None:
        """Estimated monthly organic visits of the site, summed over every location (Labs).

        One ``domain_rank_overview`` request without location or language, so
        each locale the site ranks in is one row; ``metrics.organic.etv`` of
        the rows add up. No row, or no ``etv`` in any, is ``None`` (no
        estimate). An account without DataForSEO Labs (40204) is ``None`` with
        a warning; every other error is raised like any other call's.
        """
        task = {"target": registrable_domain(url), "limit": RANK_OVERVIEW_LIMIT}
        try:
            result = self._post(RANK_OVERVIEW_PATH, task, fallback_cost=LABS_REQUEST_PRICE)
        except ApiNotActivated as error:
            log.warning("DataForSEO: no organic traffic estimate: %s", error.message)
            return None
        items = _list(result.get("items") if result else None, "items")
        estimates = [_organic_etv(item) for item in items]
        known = [etv for etv in estimates if etv is not None]
        return sum(known) if known else None

    # -- extras that save requests ---------------------------------------------------------------

    def domain_ratings(self, urls: Sequence[str]) -> dict[str, float | None]:
        """Ranks (0-100) of the sites of up to 1,000 URLs in one ``bulk_ranks`` request."""
        targets = {url: registrable_domain(url) for url in urls}
        task = {"targets": sorted(set(targets.values())), "rank_scale": "one_hundred"}
        result = self._post(BULK_RANKS_PATH, task, fallback_cost=BACKLINKS_REQUEST_PRICE)
        ranks = {
            str(item.get("target")): _rank(item.get("rank"), str(item.get("target")))
            for item in _list(result.get("items") if result else None, "items")
            if isinstance(item, dict)
        }
        return {url: ranks.get(domain) for url, domain in targets.items()}

    def referring_domain_counts(self, urls: Sequence[str]) -> dict[str, int]:
        """Referring-domain counts of up to 1,000 pages in one ``bulk_referring_domains`` call."""
        task = {"targets": list(dict.fromkeys(urls))}
        result = self._post(
            BULK_REFERRING_DOMAINS_PATH, task, fallback_cost=BACKLINKS_REQUEST_PRICE
        )
        counts = {
            str(item.get("target")): int(item.get("referring_domains") or 0)
            for item in _list(result.get("items") if result else None, "items")
            if isinstance(item, dict)
        }
        return {url: counts.get(url, 0) for url in urls}

    # -- internals -----------------------------------------------------------------------------

    def _referring_domains(
        self, target: str, *, include_subdomains: bool, max_pages: int | None = None
    ) -> list[ReferringDomain]:
        domains: list[ReferringDomain] = []
        offset, pages = 0, 0
        while True:
            task: dict[str, Any] = {
                "target": target,
                "limit": PAGE_SIZE,
                "offset": offset,
                "rank_scale": "one_hundred",
                "backlinks_status_type": "live",
                "exclude_internal_backlinks": True,
                "include_subdomains": include_subdomains,
                "internal_list_limit": 1,
                "order_by": ["rank,desc"],
            }
            if self.min_rating is not None:
                task["filters"] = ["rank", ">=", self.min_rating]
            result = self._post(REFERRING_DOMAINS_PATH, task, fallback_cost=None)
            items = _list(result.get("items") if result else None, "items")
            domains.extend(_referring_domain(item) for item in items)
            offset += len(items)
            pages += 1
            if len(items) < PAGE_SIZE:
                return domains
            if max_pages is not None and pages >= max_pages:
                log.info("DataForSEO: site list for %s capped at %d domains", target, offset)
                return domains

    def _page_backlinks(self, target: str) -> list[ReferringDomain]:
        domains: list[ReferringDomain] = []
        offset = 0
        while True:
            task: dict[str, Any] = {
                "target": target,
                "mode": "one_per_domain",
                "limit": PAGE_SIZE,
                "offset": offset,
                "rank_scale": "one_hundred",
                "backlinks_status_type": "live",
                "exclude_internal_backlinks": True,
                "include_subdomains": False,
                "order_by": ["domain_from_rank,desc"],
            }
            if self.min_rating is not None:
                task["filters"] = ["domain_from_rank", ">=", self.min_rating]
            result = self._post(BACKLINKS_PATH, task, fallback_cost=None)
            items = _list(result.get("items") if result else None, "items")
            domains.extend(_backlink(item) for item in items)
            offset += len(items)
            if len(items) < PAGE_SIZE:
                return domains

    def _post(
        self, path: str, task: dict[str, Any], *, fallback_cost: float | None
    ) -> dict[str, Any] | None:
        """POST one task; return its first result (None when the task has no data)."""
        holder: dict[str, Any] = {}

        def check(response: httpx.Response) -> None:
            if response.status_code == 402:
                raise ProviderAuthError(
                    NAME, "DataForSEO could not bill the account (HTTP 402): top up the balance."
                )
            if response.status_code in (401, 403):
                raise ProviderAuthError(NAME, f"DataForSEO rejected the credentials. {_AUTH_HINT}")
            if response.status_code >= 400:
                return
            body = _json(response)
            _raise_for_status(body, self.http.scrub)
            tasks = _list(body.get("tasks"), "tasks")
            if not tasks or not isinstance(tasks[0], dict):
                raise ProviderBadResponse(NAME, "DataForSEO answered without a task.")
            _raise_for_status(tasks[0], self.http.scrub)
            holder["body"], holder["task"] = body, tasks[0]

        def cost(_response: httpx.Response) -> float:
            charged = _number(holder["body"].get("cost"))
            if charged is not None:
                return charged
            if fallback_cost is not None:
                return fallback_cost
            rows = len(_first_result(holder["task"]).get("items") or [])
            return BACKLINKS_REQUEST_PRICE + rows * BACKLINKS_ROW_PRICE

        self.http.request("POST", path, json=[task], check=check, cost=cost)
        result = _first_result(holder["task"])
        return result or None


class ApiNotActivated(ProviderAuthError):
    """The account has not activated the API this call belongs to (DataForSEO Labs)."""


def _raise_for_status(node: dict[str, Any], scrub: Callable[[str], str]) -> None:
    """Map a DataForSEO ``status_code`` (call- or task-level) to an error; 20000 passes."""
    code = node.get("status_code")
    if code == 20000:
        return
    if not isinstance(code, int):
        raise ProviderBadResponse(NAME, "DataForSEO answered without a status_code.")
    message = scrub(str(node.get("status_message") or ""))
    said = f" ({code}: {message})" if message else f" ({code})"
    if code == 40202:
        raise RetryableAnswer("rate-limit", f"{code}")
    if code == 40101 or code >= 50000:
        raise RetryableAnswer("server-error", f"status {code}")
    if code == 40100:
        raise ProviderAuthError(NAME, f"DataForSEO rejected the credentials{said}. {_AUTH_HINT}")
    if code == ACCESS_DENIED:
        raise ApiNotActivated(
            NAME,
            f"DataForSEO refused the call{said}: activate this API for the account "
            "in the DataForSEO dashboard.",
        )
    if code in (40200, 40210):
        raise ProviderAuthError(
            NAME, f"DataForSEO refused the call for lack of funds{said}: top up the balance."
        )
    if code == 40203:
        raise ProviderAuthError(
            NAME, f"DataForSEO's daily cost limit is reached{said}: raise it in the dashboard."
        )
    if 40200 <= code < 40300:
        raise ProviderAuthError(
            NAME, f"DataForSEO refused the call{said}: check the account's plan and access."
        )
    if 40500 <= code < 40600:
        raise ProviderError(NAME, f"DataForSEO rejected a request field{said}.")
    raise ProviderError(NAME, f"DataForSEO could not answer{said}.")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json_body(response)
    except ValueError:
        raise ProviderBadResponse(
            NAME, "DataForSEO answered with something that is not JSON."
        ) from None
    if not isinstance(body, dict):
        raise ProviderBadResponse(NAME, "DataForSEO answered JSON of an unexpected shape.")
    return body


def _first_result(task: dict[str, Any]) -> dict[str, Any]:
    results = task.get("result")
    if results is None:
        return {}
    if not isinstance(results, list):
        raise ProviderBadResponse(NAME, "DataForSEO sent a task result that is not a list.")
    first = results[0] if results else {}
    if not isinstance(first, dict):
        raise ProviderBadResponse(NAME, "DataForSEO sent a task result of an unexpected shape.")
    return first


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProviderBadResponse(NAME, f"DataForSEO sent '{what}' that is not a list.")
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _organic_etv(item: Any) -> float | None:
    """``metrics.organic.etv`` of one domain_rank_overview row; None when absent."""
    metrics = item.get("metrics") if isinstance(item, dict) else None
    organic = metrics.get("organic") if isinstance(metrics, dict) else None
    return _number(organic.get("etv")) if isinstance(organic, dict) else None


def _rank(value: Any, domain: str) -> float | None:
    """A ``rank`` asked on the ``one_hundred`` scale; refused when it is on another.

    Every request sets ``rank_scale: one_hundred``. A rank above 100 means the
    answer is on DataForSEO's default 0-1000 scale, where 302 is a 30 on ours;
    read as it stands it would be a domain rating of 302, and any rank of the
    same answer under 100 would be ten times too high, so the whole answer is
    refused rather than half-guessed.
    """
    rank = _number(value)
    if not on_rating_scale(rank):
        raise ProviderBadResponse(
            NAME,
            f"DataForSEO sent a rank of {rank:g} for {domain}, outside the 0-100 scale that "
            "was asked for (rank_scale one_hundred); the answer was not used. Try again; "
            "if it persists, tell DataForSEO support the rank_scale was ignored.",
        )
    return rank


def _referring_domain(item: Any) -> ReferringDomain:
    if not isinstance(item, dict) or not isinstance(item.get("domain"), str):
        raise ProviderBadResponse(NAME, "DataForSEO sent a referring domain without a name.")
    return ReferringDomain(
        domain=item["domain"],
        domain_rating=_rank(item.get("rank"), item["domain"]),
        spam_score=_number(item.get("backlinks_spam_score")),
        first_seen=_date(item.get("first_seen")),
    )


def _backlink(item: Any) -> ReferringDomain:
    """One ``one_per_domain`` backlink: the domain's signals and the link it is known by.

    ``backlink_spam_score`` is the link's spam score; DataForSEO's chosen link
    per domain is its most important one, so the score stands for the domain's.
    """
    if not isinstance(item, dict) or not isinstance(item.get("domain_from"), str):
        raise ProviderBadResponse(NAME, "DataForSEO sent a backlink without a referring domain.")
    return ReferringDomain(
        domain=item["domain_from"],
        domain_rating=_rank(item.get("domain_from_rank"), item["domain_from"]),
        spam_score=_number(item.get("backlink_spam_score")),
        first_seen=_date(item.get("first_seen")),
        followed=item.get("dofollow") is not False,
        linking_url=_text(item.get("url_from")),
        anchor=_text(item.get("anchor")),
        linking_title=_text(item.get("page_from_title")),
    )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: Any) -> date | None:
    """``2019-11-15 12:57:46 +00:00`` (or any ISO-like text) -> its date; None when unreadable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
