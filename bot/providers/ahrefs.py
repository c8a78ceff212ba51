"""Ahrefs API v3: SERP overview, Site Explorer backlinks and referring domains, batch analysis.

A page's referring domains come from ``all-backlinks`` with one link per
domain (``aggregation=1_per_domain``): the same rows and requests as
``refdomains``, each row also naming the page the link is on, its title and
anchor, and whether it is followed. The site list (warm prospects) needs no
link and stays on ``refdomains``.

Quirks handled here: API v3 is fully open only to Enterprise plans, and lower
tiers get ``403`` ("Insufficient plan"), which we report as a plan problem
rather than a bad key; requests are metered in API units
(``max(50, per-row cost x rows)``, read back from the ``x-api-units-cost-*``
headers); money fields come in USD cents; neither list has an offset, so long
lists are paged by key (``order_by=<name>:asc`` and ``where <name> > last``).
A plan without Site Explorer metrics makes ``organic_traffic`` "unknown" (with
a warning) rather than failing a vetting.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import httpx

from bot.errors import ProviderAuthError, ProviderBadResponse
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.providers.base import ProviderUsage, SerpQuery
from bot.providers.http import ProviderHttp, json_body

log = logging.getLogger(__name__)

NAME = "Ahrefs"
BASE_URL = "https://api.ahrefs.com/v3/"
SERP_PATH = "serp-overview/serp-overview"
REFDOMAINS_PATH = "site-explorer/refdomains"
BACKLINKS_PATH = "site-explorer/all-backlinks"
BATCH_PATH = "batch-analysis/batch-analysis"
METRICS_PATH = "site-explorer/metrics"
SERP_SELECT = "position,url,title,type,domain_rating,url_rating,page_type"
REFDOMAINS_SELECT = "domain,domain_rating,is_spam,first_seen"
#: One link per referring domain: the domain (host) and its signals, then the link itself.
BACKLINKS_SELECT = (
    "name_source,domain_rating_source,is_spam,first_seen_link,is_dofollow,url_from,title,anchor"
)
#: Rows asked for per list request (Enterprise plans have no per-request row cap).
PAGE_SIZE = 1000
SITE_MAX_PAGES = 10
#: Units every request costs at least (docs: limits-consumption).
MIN_UNITS = 50
#: Targets one batch-analysis request accepts.
BATCH_MAX_TARGETS = 100


class AhrefsProvider:
    """Live Ahrefs data behind the ``Provider`` protocol."""

    name = "ahrefs"
    sample_data = False

    def __init__(
        self,
        api_key: str,
        transport: httpx.BaseTransport | None = None,
        *,
        usd_per_unit: float = 0.0,
        page_size: int = PAGE_SIZE,
        sleep: Callable[[float], None] | None = None,
        max_attempts: int = 4,
    ) -> None:
        self.usage = ProviderUsage()
        #: API units consumed so far (from the response headers, estimated when absent).
        self.units_used = 0
        #: Ahrefs sells units inside plans and does not publish a unit price; set one to
        #: have ``usage.estimated_cost_usd`` reflect your contract.
        self.usd_per_unit = usd_per_unit
        self.page_size = page_size
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHttp(
            NAME,
            base_url=BASE_URL,
            usage=self.usage,
            key_variables=("AHREFS_API_KEY",),
            secrets=(api_key,),
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            transport=transport,
            max_attempts=max_attempts,
            **extra,
        )

    def close(self) -> None:
        self.http.close()

    # -- Provider protocol ---------------------------------------------------------------------

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        """Organic results of the latest SERP overview, numbered by organic rank."""
        params = {
            "keyword": query.keyword,
            "country": query.country.strip().lower(),
            "select": SERP_SELECT,
            "top_positions": query.depth,
            "output": "json",
        }
        body = self._get(SERP_PATH, params, per_row=len(SERP_SELECT.split(",")))
        positions = _rows(body, "positions")
        organic = [row for row in positions if "organic" in _types(row)]
        organic.sort(key=lambda row: _int(row.get("position"), "position"))
        serp: list[SerpResult] = []
        for rank, row in enumerate(organic[: query.depth], start=1):
            url = row.get("url")
            if not isinstance(url, str) or not url:
                raise ProviderBadResponse(NAME, "Ahrefs sent an organic result without a URL.")
            serp.append(
                SerpResult(
                    position=rank,
                    url=url,
                    title=str(row.get("title") or ""),
                    domain_rating=_float(row.get("domain_rating")),
                    page_type=row.get("page_type")
                    if isinstance(row.get("page_type"), str)
                    else None,
                )
            )
        return serp

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """Live referring domains of each exact page, each with its one link, every page complete.

        ``all-backlinks`` with ``aggregation=1_per_domain`` (one row per
        referring domain, as ``refdomains`` answers) and ``mode=exact``; the
        row's ``is_dofollow`` and ``first_seen_link`` are those of the
        domain's one link Ahrefs returns, standing for the domain.
        """
        answer: dict[str, list[ReferringDomain]] = {}
        for url in urls:
            if url not in answer:
                rows = self._paged(
                    BACKLINKS_PATH,
                    url,
                    mode="exact",
                    select=BACKLINKS_SELECT,
                    key="name_source",
                    rows_key="backlinks",
                    aggregation="1_per_domain",
                )
                answer[url] = [_backlink(row) for row in rows]
        return answer

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """Live referring domains of the whole site (``mode=subdomains``), up to 10 pages."""
        rows = self._paged(
            REFDOMAINS_PATH,
            registrable_domain(url),
            mode="subdomains",
            select=REFDOMAINS_SELECT,
            key="domain",
            rows_key="refdomains",
            max_pages=SITE_MAX_PAGES,
        )
        return [_referring_domain(row) for row in rows]

    def domain_rating(self, url: str) -> float | None:
        return self.domain_ratings([url]).get(url)

    def organic_traffic(self, url: str) -> float | None:
        """Estimated monthly organic visits of the whole site, all countries (``org_traffic``).

        One ``site-explorer/metrics`` request for today, ``mode=subdomains`` and
        no ``country`` (so every country counts); a single-row answer, so the
        50-unit minimum. An answer without ``org_traffic`` is ``None``. A plan
        without access (403 "Insufficient plan") is ``None`` with a warning;
        other errors are raised like any other call's.
        """
        params = {
            "target": registrable_domain(url),
            "mode": "subdomains",
            "protocol": "both",
            "date": datetime.now(UTC).date().isoformat(),
            "output": "json",
        }
        try:
            body = self._get(METRICS_PATH, params, per_row=1)
        except InsufficientPlan as error:
            log.warning("Ahrefs: no organic traffic estimate: %s", error.message)
            return None
        metrics = body.get("metrics")
        if not isinstance(metrics, dict):
            raise ProviderBadResponse(NAME, "Ahrefs answered without the 'metrics' object.")
        return _float(metrics.get("org_traffic"))

    # -- extras that save requests ---------------------------------------------------------------

    def domain_ratings(self, urls: Sequence[str]) -> dict[str, float | None]:
        """Domain ratings of the sites of up to 100 URLs in one batch-analysis request."""
        domains = {url: registrable_domain(url) for url in urls}
        unique = sorted(set(domains.values()))
        ratings: dict[str, float | None] = {}
        for start in range(0, len(unique), BATCH_MAX_TARGETS):
            chunk = unique[start : start + BATCH_MAX_TARGETS]
            payload = {
                "select": ["index", "url", "domain_rating"],
                "targets": [{"url": d, "mode": "subdomains", "protocol": "both"} for d in chunk],
                "output": "json",
            }
            body = self._send("POST", BATCH_PATH, per_row=3, json_body=payload)
            for row in _rows(body, "targets"):
                index = row.get("index")
                if isinstance(index, int) and 0 <= index < len(chunk):
                    ratings[chunk[index]] = _float(row.get("domain_rating"))
        return {url: ratings.get(domain) for url, domain in domains.items()}

    # -- internals -----------------------------------------------------------------------------

    def _paged(
        self,
        path: str,
        target: str,
        *,
        mode: str,
        select: str,
        key: str,
        rows_key: str,
        max_pages: int | None = None,
        **extra: str,
    ) -> list[dict[str, Any]]:
        """Every live row of a list about ``target``, ``page_size`` at a time, paged by ``key``.

        v3 has no offset: rows come ordered by ``key``, and a full page is
        followed by the same call asking for ``key`` greater than the last
        one's. At most ``max_pages``; each row costs a unit per selected field.
        """
        rows: list[dict[str, Any]] = []
        last: str | None = None
        while True:
            query: dict[str, Any] = {
                "target": target,
                "mode": mode,
                "protocol": "both",
                "history": "live",
                **extra,
                "select": select,
                "order_by": f"{key}:asc",
                "limit": self.page_size,
                "output": "json",
            }
            if last is not None:
                query["where"] = json.dumps({"field": key, "is": ["gt", last]})
            found = _rows(self._get(path, query, per_row=len(select.split(","))), rows_key)
            rows.extend(found)
            if len(found) < self.page_size:
                return rows
            if max_pages is not None and len(rows) >= max_pages * self.page_size:
                log.info("Ahrefs: %s for %s capped at %d rows", path, target, len(rows))
                return rows
            last = _name(found[-1], key)

    def _get(self, path: str, params: dict[str, Any], *, per_row: int) -> dict[str, Any]:
        return self._send("GET", path, per_row=per_row, params=params)

    def _send(
        self,
        method: str,
        path: str,
        *,
        per_row: int,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
    ) -> dict[str, Any]:
        holder: dict[str, Any] = {}

        def check(response: httpx.Response) -> None:
            if response.status_code in (401, 403):
                raise _auth_error(response, self.http.scrub)
            if response.status_code >= 400:
                return
            holder["body"] = _json(response)

        def cost(response: httpx.Response) -> float:
            units = _units(response, holder["body"], per_row)
            self.units_used += units
            return units * self.usd_per_unit

        self.http.request(method, path, params=params, json=json_body, check=check, cost=cost)
        body: dict[str, Any] = holder["body"]
        return body


class InsufficientPlan(ProviderAuthError):
    """403 "Insufficient plan": the key's plan does not include this endpoint."""


def _auth_error(response: httpx.Response, scrub: Callable[[str], str]) -> ProviderAuthError:
    try:
        said = str(response.json().get("error") or "")
    except (ValueError, AttributeError):
        said = response.text
    said = scrub(said)
    lowered = said.lower()
    if response.status_code == 401:
        return ProviderAuthError(NAME, "Ahrefs rejected the API key. Check AHREFS_API_KEY.")
    if "plan" in lowered:
        return InsufficientPlan(
            NAME,
            "Ahrefs refused the call: the plan of the key in AHREFS_API_KEY lacks API access "
            f"(API v3 is fully open to Enterprise plans). Ahrefs said: {said}",
        )
    if "unit" in lowered or "limit" in lowered:
        return ProviderAuthError(
            NAME, f"Ahrefs refused the call: the API unit allowance is used up. Ahrefs said: {said}"
        )
    return ProviderAuthError(
        NAME,
        f"Ahrefs refused the call (HTTP 403). Check AHREFS_API_KEY and its plan. {said}".strip(),
    )


def _units(response: httpx.Response, body: dict[str, Any], per_row: int) -> int:
    """Units charged: the server's own count when sent, else ``max(50, per_row x rows)``."""
    for header in ("x-api-units-cost-total-actual", "x-api-units-cost-total"):
        value = response.headers.get(header)
        if value is not None and value.strip().isdigit():
            return int(value.strip())
    rows = max((len(v) for v in body.values() if isinstance(v, list)), default=0)
    return max(MIN_UNITS, per_row * rows)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json_body(response)
    except ValueError:
        raise ProviderBadResponse(
            NAME, "Ahrefs answered with something that is not JSON."
        ) from None
    if not isinstance(body, dict):
        raise ProviderBadResponse(NAME, "Ahrefs answered JSON of an unexpected shape.")
    return body


def _rows(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = body.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ProviderBadResponse(NAME, f"Ahrefs answered without the '{key}' list.")
    return rows


def _types(row: dict[str, Any]) -> list[str]:
    kind = row.get("type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProviderBadResponse(NAME, f"Ahrefs sent a result without a numeric {what}.")
    return value


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _name(row: dict[str, Any], key: str) -> str:
    """A row's referring domain name (``domain`` or ``name_source``); refused when missing."""
    name = row.get(key)
    if not isinstance(name, str) or not name:
        raise ProviderBadResponse(NAME, "Ahrefs sent a referring domain without a name.")
    return name


def _day(value: Any) -> date | None:
    """The date of an Ahrefs date-time (``2021-04-12T08:15:03Z``); ``None`` when absent."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _referring_domain(row: dict[str, Any]) -> ReferringDomain:
    return ReferringDomain(
        domain=_name(row, "domain"),
        domain_rating=_float(row.get("domain_rating")),
        is_spam=row.get("is_spam") is True,
        first_seen=_day(row.get("first_seen")),
    )


def _backlink(row: dict[str, Any]) -> ReferringDomain:
    """One ``all-backlinks`` row (one link per domain) as its referring domain and link."""
    return ReferringDomain(
        domain=_name(row, "name_source"),
        domain_rating=_float(row.get("domain_rating_source")),
        is_spam=row.get("is_spam") is True,
        first_seen=_day(row.get("first_seen_link")),
        followed=row.get("is_dofollow") is not False,
        linking_url=_text(row.get("url_from")),
        anchor=_text(row.get("anchor")),
        linking_title=_text(row.get("title")),
    )
