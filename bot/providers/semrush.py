"""Semrush API: organic results of a keyword and Backlink Analytics referring domains.

Quirks handled here: answers are ``;``-separated CSV (header row first), read
with the stdlib ``csv`` module; errors arrive as one text line ``ERROR NN ::
MESSAGE``. ``ERROR 50 :: NOTHING FOUND`` is an empty answer, not a failure;
key, balance and access errors are ``ProviderAuthError``. The key travels in
the query string, so it is registered for redaction in every log line.
Semrush prices requests in API units per returned line. A plan without the
Domain Overview report makes ``organic_traffic`` "unknown" (with a warning)
rather than failing a vetting.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import httpx

from bot.errors import ProviderAuthError, ProviderBadResponse, ProviderError
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.providers.base import ProviderUsage, SerpQuery
from bot.providers.http import ProviderHttp

log = logging.getLogger(__name__)

NAME = "Semrush"
BASE_URL = "https://api.semrush.com/"
BACKLINKS_PATH = "analytics/v1/"
#: Units per returned line / request (developer.semrush.com, see docs/providers.md).
PHRASE_ORGANIC_UNITS_PER_LINE = 10
REFDOMAINS_UNITS_PER_LINE = 40
OVERVIEW_UNITS_PER_REQUEST = 40
DOMAIN_RANKS_UNITS_PER_LINE = 10
#: Semrush sells units at roughly $1 per 20,000 (see docs/providers.md).
DEFAULT_USD_PER_UNIT = 1 / 20_000
PAGE_SIZE = 5000
#: The site-wide list only marks prospects warm and costs 40 units a line: one request of
#: the 1,000 strongest domains (40,000 units) is the cap.
SITE_MAX_LINES = 1000
REFDOMAINS_COLUMNS = "domain_ascore,domain,backlinks_num,first_seen,last_seen"
_ERROR = re.compile(r"^\s*ERROR\s+(\d+)\s*::\s*(.*?)\s*$", re.DOTALL)
#: Semrush error numbers that mean the key, its balance or its access is the problem.
_AUTH_ERRORS = {
    120: "Semrush rejected the API key",
    121: "Semrush rejected the API key",
    130: "Semrush API access is disabled for this key",
    131: "Semrush API access is limited for this key",
    132: "the Semrush API unit balance is zero",
    133: "the Semrush key has no access to this database",
    134: "the Semrush API unit limit is exceeded",
    135: "the Semrush plan does not include this report",
}
_REPORT_NOT_IN_PLAN = 135
#: ISO country -> Semrush regional database where the two differ.
_DATABASES = {"gb": "uk"}


class SemrushProvider:
    """Live Semrush data behind the ``Provider`` protocol."""

    name = "semrush"
    sample_data = False

    def __init__(
        self,
        api_key: str,
        transport: httpx.BaseTransport | None = None,
        *,
        usd_per_unit: float = DEFAULT_USD_PER_UNIT,
        page_size: int = PAGE_SIZE,
        sleep: Callable[[float], None] | None = None,
        max_attempts: int = 4,
    ) -> None:
        self.usage = ProviderUsage()
        self.units_used = 0
        self.usd_per_unit = usd_per_unit
        self.page_size = page_size
        self._key = api_key
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHttp(
            NAME,
            base_url=BASE_URL,
            usage=self.usage,
            key_variables=("SEMRUSH_API_KEY",),
            secrets=(api_key,),
            transport=transport,
            max_attempts=max_attempts,
            **extra,
        )

    def close(self) -> None:
        self.http.close()

    # -- Provider protocol ---------------------------------------------------------------------

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        """Organic results for the keyword in the country's database; position = line order."""
        country = query.country.strip().lower()
        rows = self._table(
            "",
            {
                "type": "phrase_organic",
                "phrase": query.keyword,
                "database": _DATABASES.get(country, country),
                "export_columns": "Dn,Ur",
                "display_limit": query.depth,
            },
            required=("Url",),
            units=lambda lines: lines * PHRASE_ORGANIC_UNITS_PER_LINE,
        )
        return [
            SerpResult(position=rank, url=row["Url"])
            for rank, row in enumerate(rows[: query.depth], start=1)
        ]

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """Referring domains of each exact page (``target_type=url``), every page complete."""
        answer: dict[str, list[ReferringDomain]] = {}
        for url in urls:
            if url not in answer:
                answer[url] = self._refdomains(url, "url")
        return answer

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """Referring domains of the root domain: the ``SITE_MAX_LINES`` strongest, one request."""
        return self._refdomains(
            registrable_domain(url), "root_domain", page_size=SITE_MAX_LINES, max_pages=1
        )

    def domain_rating(self, url: str) -> float | None:
        """Authority Score (0-100) of the root domain; None when Semrush has none."""
        rows = self._table(
            BACKLINKS_PATH,
            {
                "type": "backlinks_overview",
                "target": registrable_domain(url),
                "target_type": "root_domain",
                "export_columns": "ascore",
            },
            required=("ascore",),
            units=lambda _lines: OVERVIEW_UNITS_PER_REQUEST,
        )
        return _float(rows[0]["ascore"]) if rows else None

    def organic_traffic(self, url: str) -> float | None:
        """Estimated monthly organic visits of the root domain, summed over every database.

        One ``domain_ranks`` request without ``database`` (Domain Overview, all
        databases: one line per regional database the site ranks in, 10 units a
        line); the ``Ot`` (Organic Traffic) cells add up. ``NOTHING FOUND`` or no
        readable ``Ot`` is ``None`` (no estimate). A plan without the report
        (``ERROR 135``) is ``None`` with a warning; other errors are raised.
        """
        try:
            rows = self._table(
                "",
                {
                    "type": "domain_ranks",
                    "domain": registrable_domain(url),
                    "export_columns": "Db,Ot",
                },
                required=("Organic Traffic",),
                units=lambda lines: lines * DOMAIN_RANKS_UNITS_PER_LINE,
            )
        except ReportNotInPlan as error:
            log.warning("Semrush: no organic traffic estimate: %s", error.message)
            return None
        known = [v for v in (_float(row["Organic Traffic"]) for row in rows) if v is not None]
        return sum(known) if known else None

    # -- internals -----------------------------------------------------------------------------

    def _refdomains(
        self,
        target: str,
        target_type: str,
        *,
        page_size: int | None = None,
        max_pages: int | None = None,
    ) -> list[ReferringDomain]:
        size = page_size or self.page_size
        domains: list[ReferringDomain] = []
        offset, pages = 0, 0
        while True:
            rows = self._table(
                BACKLINKS_PATH,
                {
                    "type": "backlinks_refdomains",
                    "target": target,
                    "target_type": target_type,
                    "export_columns": REFDOMAINS_COLUMNS,
                    "display_sort": "domain_ascore_desc",
                    # Semrush documents display_limit as the end of the range when an
                    # offset is given: lines offset+1 .. display_limit come back.
                    "display_limit": offset + size,
                    "display_offset": offset,
                },
                required=("domain",),
                units=lambda lines: lines * REFDOMAINS_UNITS_PER_LINE,
            )
            domains.extend(_referring_domain(row) for row in rows)
            offset += len(rows)
            pages += 1
            if len(rows) < size:
                return domains
            if max_pages is not None and pages >= max_pages:
                log.info("Semrush: site list for %s capped at %d domains", target, offset)
                return domains

    def _table(
        self,
        path: str,
        params: dict[str, Any],
        *,
        required: tuple[str, ...],
        units: Callable[[int], int],
    ) -> list[dict[str, str]]:
        """GET a report and parse its CSV; [] for ``ERROR 50 :: NOTHING FOUND``."""
        holder: dict[str, list[dict[str, str]]] = {}

        def check(response: httpx.Response) -> None:
            text = response.text
            match = _ERROR.match(text)
            if match:
                code = int(match.group(1))
                if code == 50:
                    holder["rows"], holder["nothing"] = [], []
                    return
                raise _error(code, self.http.scrub(match.group(2)))
            if response.status_code >= 400:
                return
            holder["rows"] = _parse(text, required)

        def cost(_response: httpx.Response) -> float:
            spent = 0 if "nothing" in holder else units(len(holder["rows"]))
            self.units_used += spent
            return spent * self.usd_per_unit

        self.http.request("GET", path, params={**params, "key": self._key}, check=check, cost=cost)
        return holder["rows"]


class ReportNotInPlan(ProviderAuthError):
    """``ERROR 135``: the plan behind the key does not include this report."""


def _error(code: int, message: str) -> ProviderError:
    said = f"ERROR {code} :: {message}" if message else f"ERROR {code}"
    if code == _REPORT_NOT_IN_PLAN:
        return ReportNotInPlan(
            NAME, f"{_AUTH_ERRORS[code]} ({said}). Check SEMRUSH_API_KEY and its API units."
        )
    if code in _AUTH_ERRORS:
        return ProviderAuthError(
            NAME, f"{_AUTH_ERRORS[code]} ({said}). Check SEMRUSH_API_KEY and its API units."
        )
    return ProviderError(NAME, f"Semrush refused the request ({said}).")


def _parse(text: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a ``;``-separated Semrush CSV answer, checked for the columns we read."""
    if not text.strip():
        return []
    if text.lstrip().startswith(("<", "{")):
        raise ProviderBadResponse(NAME, "Semrush answered with HTML or JSON instead of its CSV.")
    try:
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
        header = next(reader, [])
        columns = [name.strip() for name in header]
        missing = [name for name in required if name not in columns]
        if missing:
            raise ProviderBadResponse(
                NAME,
                f"Semrush answered a table without the column(s) {', '.join(missing)} "
                f"(got: {', '.join(columns)[:120] or 'nothing'}).",
            )
        rows: list[dict[str, str]] = []
        for line in reader:
            if not line or not any(cell.strip() for cell in line):
                continue
            if len(line) != len(columns):
                raise ProviderBadResponse(
                    NAME,
                    f"Semrush sent a line of {len(line)} cells under {len(columns)} columns.",
                )
            rows.append({name: cell.strip() for name, cell in zip(columns, line, strict=True)})
    except csv.Error:
        raise ProviderBadResponse(NAME, "Semrush answered CSV that cannot be read.") from None
    return rows


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _referring_domain(row: dict[str, str]) -> ReferringDomain:
    domain = row["domain"]
    if not domain:
        raise ProviderBadResponse(NAME, "Semrush sent a referring domain without a name.")
    return ReferringDomain(
        domain=domain,
        domain_rating=_float(row.get("domain_ascore", "")),
        first_seen=_timestamp(row.get("first_seen", "")),
    )


def _timestamp(value: str) -> date | None:
    """Semrush dates are Unix timestamps (seconds)."""
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).date()
    except (ValueError, OverflowError, OSError):
        return None
