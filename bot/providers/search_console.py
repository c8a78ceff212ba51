"""Google Search Console's Search Analytics API: one page's clicks, impressions and position a day.

Search Console is not a link provider, so it does not implement ``Provider``: it answers the
digest's landing-page traffic and average position for a campaign's page and keyword. It goes
through the shared ``ProviderHttp`` layer (retries on 429/5xx/timeouts, error vocabulary), and
authenticates as a Google service account: google-auth signs the JWT and we post it to Google's
token endpoint over httpx, through the same injectable transport as the API calls, so tests and
proxies see every request. The key file's content is never logged or put in a message.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from google.auth import exceptions as google_exceptions
from google.auth.credentials import Credentials
from google.auth.transport import Request as AuthRequest
from google.auth.transport import Response as AuthResponse
from google.oauth2 import service_account

from bot.errors import BadInput, ProviderAuthError, ProviderBadResponse, ProviderError
from bot.providers.base import ProviderUsage
from bot.providers.http import DEFAULT_TIMEOUT, ProviderHttp, RetryableAnswer, json_body

log = logging.getLogger(__name__)

NAME = "Search Console"
BASE_URL = "https://searchconsole.googleapis.com/webmasters/v3/"
#: Read-only access is all linkgap needs.
SCOPES = ("https://www.googleapis.com/auth/webmasters.readonly",)
#: The API's largest page; a date-grouped query has one row a day, so one page always does.
MAX_ROW_LIMIT = 25_000
#: A service-account key is a few KB; anything much larger is not one.
MAX_KEY_BYTES = 64 * 1024
_KEY_FIELDS = ("client_email", "private_key", "token_uri")
_SHARE_HINT = (
    "in Search Console open Settings → Users and permissions for {site} and add {email} "
    "(Restricted is enough)"
)
_ENABLE_HINT = (
    "enable the Google Search Console API in the Google Cloud project of the service account "
    "(APIs & Services → Library → Google Search Console API)"
)


@dataclass(frozen=True, slots=True)
class DailyMetric:
    """Search performance of one page for one query on one day (Pacific time, as Google counts)."""

    day: date
    clicks: int
    impressions: int | None
    #: Average position (1 is the top); ``None`` when the source does not say.
    position: float | None


# -- properties and key files ------------------------------------------------------------------


def validate_site_url(text: str) -> str:
    """The Search Console property as the API names it: ``sc-domain:…`` or a URL ending in ``/``."""
    value = text.strip()
    usage = (
        "Give the Search Console property as sc-domain:example.com (a Domain property) "
        "or https://www.example.com/ (a URL-prefix property)"
    )
    if value.lower().startswith("sc-domain:"):
        domain = value[len("sc-domain:") :].strip().lower().rstrip(".")
        if not domain or "." not in domain or any(c in domain for c in "/:@ ?#"):
            raise BadInput(f"{text!r} is not a Domain property. {usage}.")
        return f"sc-domain:{domain}"
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{text!r} is not a Search Console property. {usage}.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise BadInput(f"{text!r} is not a URL-prefix property (no query or fragment). {usage}.")
    return value if value.endswith("/") else value + "/"


def page_in_property(site_url: str, page_url: str) -> bool:
    """Whether Search Console reports ``page_url`` under the property ``site_url``."""
    page = urlsplit(page_url)
    host = (page.hostname or "").lower()
    if site_url.startswith("sc-domain:"):
        domain = site_url.removeprefix("sc-domain:")
        return host == domain or host.endswith("." + domain)
    site = urlsplit(site_url)
    if page.scheme.lower() != site.scheme.lower() or host != (site.hostname or "").lower():
        return False
    if (page.port or None) != (site.port or None):
        return False
    return (page.path or "/").startswith(site.path or "/")


def read_service_account_info(path: Path) -> dict[str, Any]:
    """The parsed key file, checked to be a service-account key; messages never quote it."""
    how = (
        "create one in Google Cloud console → IAM & Admin → Service accounts → Keys → "
        "Add key → JSON"
    )
    if not path.is_file():
        raise BadInput(f"{path} does not exist or is not a file; {how}.")
    try:
        if path.stat().st_size > MAX_KEY_BYTES:
            raise BadInput(f"{path} is too large to be a service-account key; {how}.")
        info = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise BadInput(f"{path} is not a readable JSON service-account key; {how}.") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise BadInput(
            f'{path} is not a service-account key (a JSON file with "type": '
            f'"service_account"; an OAuth client or API key will not do); {how}.'
        )
    missing = [field for field in _KEY_FIELDS if not isinstance(info.get(field), str)]
    if missing:
        raise BadInput(f"{path} lacks {', '.join(missing)}; download the key again ({how}).")
    return info


def load_service_account(path: Path) -> service_account.Credentials:
    """Read-only Search Console credentials from a service-account key file.

    Equivalent to ``Credentials.from_service_account_file(path, scopes=SCOPES)``, after
    checking the file so a wrong one gets a message naming it rather than a ``KeyError``.
    """
    info = read_service_account_info(path)
    try:
        credentials: service_account.Credentials = (
            service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=list(SCOPES)
            )
        )
    except (ValueError, TypeError, IndexError):
        raise BadInput(
            f"{path} holds a private key google-auth cannot read; download the key again."
        ) from None
    return credentials


# -- authentication over httpx -------------------------------------------------------------------


class _AuthResponse(AuthResponse):
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    @property
    def data(self) -> bytes:
        return self._response.content


class HttpxAuthRequest(AuthRequest):
    """google-auth's transport interface over an ``httpx.Client`` (the token request)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> AuthResponse:
        try:
            response = self._client.request(
                method,
                url,
                content=body,
                headers=dict(headers or {}),
                timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise google_exceptions.TransportError(  # type: ignore[no-untyped-call]
                type(exc).__name__
            ) from exc
        return _AuthResponse(response)


class GoogleAuth(httpx.Auth):
    """Bearer tokens from google-auth credentials, refreshed when stale or rejected once."""

    def __init__(self, credentials: Credentials, token_request: AuthRequest) -> None:
        self.credentials = credentials
        self._token_request = token_request
        self._lock = threading.Lock()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self._authorise(request, force=False)
        response = yield request
        if response.status_code == 401:
            # The token was revoked or expired early: one fresh token, one more try.
            self._authorise(request, force=True)
            yield request

    def _authorise(self, request: httpx.Request, *, force: bool) -> None:
        headers: dict[str, str] = {}
        with self._lock:
            if force or not self.credentials.valid:
                self._refresh()
            self.credentials.apply(headers)  # type: ignore[no-untyped-call]
        request.headers.update(headers)

    def _refresh(self) -> None:
        try:
            self.credentials.refresh(self._token_request)  # type: ignore[no-untyped-call]
        except google_exceptions.TransportError as exc:
            cause = exc.__cause__
            if isinstance(cause, httpx.TransportError):
                raise cause from None  # the shared layer retries timeouts and dropped connections
            raise RetryableAnswer("connection", "token endpoint") from None
        except google_exceptions.RefreshError as exc:
            if getattr(exc, "retryable", False):
                raise RetryableAnswer("server-error", "token endpoint") from None
            reason = str(exc.args[0]) if exc.args else "refused"
            reason = reason.replace("\n", " ")[:120]
            raise ProviderAuthError(
                NAME,
                f"Google refused the service account's key ({reason}). The key may have been "
                "deleted or disabled in Google Cloud: create a new JSON key and run "
                "linkgap gsc connect again.",
            ) from None


# -- the client ------------------------------------------------------------------------------------


class SearchConsoleClient:
    """Search Analytics queries for one property, as one service account."""

    def __init__(
        self,
        credentials: Credentials,
        site_url: str,
        transport: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        max_attempts: int = 4,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    ) -> None:
        self.site_url = validate_site_url(site_url)
        self.usage = ProviderUsage()
        self.account = str(getattr(credentials, "service_account_email", "") or "")
        self._token_client = httpx.Client(
            transport=transport, timeout=timeout, trust_env=False, follow_redirects=False
        )
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHttp(
            NAME,
            base_url=BASE_URL,
            usage=self.usage,
            key_variables=("the service-account key",),
            auth=GoogleAuth(credentials, HttpxAuthRequest(self._token_client)),
            headers={"Accept": "application/json"},
            transport=transport,
            timeout=timeout,
            max_attempts=max_attempts,
            **extra,
        )

    @classmethod
    def from_service_account_file(
        cls, path: Path, site_url: str, transport: httpx.BaseTransport | None = None, **kwargs: Any
    ) -> SearchConsoleClient:
        return cls(load_service_account(path), site_url, transport, **kwargs)

    def close(self) -> None:
        self.http.close()
        self._token_client.close()

    def __enter__(self) -> SearchConsoleClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def daily_metrics(
        self, page_url: str, keyword: str, start: date, end: date
    ) -> list[DailyMetric]:
        """One row per day with data for ``keyword`` on exactly ``page_url``, oldest first.

        Days without impressions are absent (Search Console omits them). Fresh data
        (``dataState: all``) is included, so the latest days may still grow; a later
        refresh over the same days brings them up to date.
        """
        if end < start:
            raise ValueError("end must not be before start")
        body = {
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "dimensions": ["date"],
            "type": "web",
            "dimensionFilterGroups": [
                {
                    "groupType": "and",
                    "filters": [
                        {"dimension": "page", "operator": "equals", "expression": page_url},
                        {
                            "dimension": "query",
                            "operator": "equals",
                            "expression": search_query(keyword),
                        },
                    ],
                }
            ],
            "aggregationType": "auto",
            "dataState": "all",
            "rowLimit": min(MAX_ROW_LIMIT, (end - start).days + 1),
        }
        path = f"sites/{quote(self.site_url, safe='')}/searchAnalytics/query"
        response = self.http.request("POST", path, json=body, check=self._check)
        try:
            answer = json_body(response)
        except ValueError:
            raise ProviderBadResponse(NAME, "Search Console answered something not JSON.") from None
        return parse_rows(answer)

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        error = _error(response)
        message = str(error.get("message") or "")
        if status in (401, 403, 404):
            raise ProviderAuthError(NAME, self._auth_message(status, error, message))
        detail = self.http.scrub(message) or f"HTTP {status}"
        raise ProviderError(NAME, f"Search Console refused the query: {detail}")

    def _auth_message(self, status: int, error: Mapping[str, Any], message: str) -> str:
        who = self.account or "the service account's email (client_email in the key file)"
        text = f"{message} {json.dumps(error.get('details', []))}".lower()
        if "service_disabled" in text or "has not been used" in text or "is disabled" in text:
            return f"Search Console refused the request: the API is off. To fix it, {_ENABLE_HINT}."
        if status == 401:
            return (
                "Google did not accept the service account's token (HTTP 401). Check that the "
                f"key of {who} still exists in Google Cloud, then run linkgap gsc connect again."
            )
        share = _SHARE_HINT.format(site=self.site_url, email=who)
        return (
            f"{who} has no access to the Search Console property {self.site_url} "
            f"(HTTP {status}). To fix it, {share}; and if the property is not {self.site_url}, "
            f"connect again with the right --site. If the API is not enabled, {_ENABLE_HINT}."
        )


def search_query(keyword: str) -> str:
    """The keyword as Search Console records queries: lower case, single spaces."""
    return " ".join(keyword.split()).lower()


def _error(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _number(row: Mapping[str, Any], name: str, *, required: bool) -> float | None:
    value = row.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProviderBadResponse(NAME, f"Search Console sent a row whose {name} is not a number.")
    if value < 0:
        raise ProviderBadResponse(NAME, f"Search Console sent a negative {name}.")
    return float(value)


def parse_rows(body: Any) -> list[DailyMetric]:
    """``DailyMetric``s from a ``searchAnalytics.query`` answer grouped by date, oldest first."""
    if not isinstance(body, dict):
        raise ProviderBadResponse(NAME, "Search Console answered something that is not an object.")
    rows = body.get("rows", [])
    if not isinstance(rows, list):
        raise ProviderBadResponse(NAME, "Search Console's rows are not a list.")
    days: dict[date, DailyMetric] = {}
    for row in rows:
        keys = row.get("keys") if isinstance(row, dict) else None
        if not isinstance(keys, list) or not keys or not isinstance(keys[0], str):
            raise ProviderBadResponse(NAME, "Search Console sent a row without a date key.")
        try:
            day = date.fromisoformat(keys[0])
        except ValueError:
            raise ProviderBadResponse(
                NAME, f"Search Console sent {keys[0][:20]!r} where a date belongs."
            ) from None
        clicks = _number(row, "clicks", required=True) or 0.0
        impressions = _number(row, "impressions", required=True) or 0.0
        position = _number(row, "position", required=False)
        days[day] = DailyMetric(
            day=day,
            clicks=round(clicks),
            impressions=round(impressions),
            position=round(position, 2) if position is not None else None,
        )
    return [days[day] for day in sorted(days)]
