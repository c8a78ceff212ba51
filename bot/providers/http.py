"""The one HTTP layer every live provider goes through.

It owns what all three APIs share and none should re-implement: one pooled
``httpx.Client`` per provider instance, timeouts, a bounded retry budget with
exponential backoff (tenacity) that honours ``Retry-After``, the mapping of
transport failures and HTTP statuses to the project's error vocabulary, the
request/cost counting behind ``ProviderUsage`` and keeping secrets out of every
message and log line. Provider quirks (errors inside 200 answers, plan limits)
stay in the providers and plug in through ``check``.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential

from bot.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderRateLimited,
    ProviderUnavailable,
)
from bot.providers.base import ProviderUsage

log = logging.getLogger(__name__)

#: Attempts per request, the first one included (DESIGN section 6: bounded retries).
DEFAULT_MAX_ATTEMPTS = 4
#: A server asking for a longer pause than this is not waited for: we give up and say when to retry.
DEFAULT_MAX_RETRY_AFTER = 60.0
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

RetryKind = Literal["rate-limit", "server-error", "timeout", "connection"]


#: A JSON escape of a UTF-16 surrogate ("\ud83d"): half of a pair, or a lone one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body(response: httpx.Response) -> Any:
    """The response's JSON, any lone surrogate in it read as U+FFFD; ``ValueError`` if not JSON.

    JSON escapes characters outside the basic plane as surrogate pairs, and text
    cut in the middle of an emoji (a title, an anchor) leaves half a pair, which
    Python keeps as a character no UTF-8 writer accepts: the Slack message, the
    CSV, the database and the words of the linking pages would all refuse it.
    """
    text = response.text
    body = json.loads(text)
    return _mended(body) if _SURROGATE_ESCAPE.search(text) else body


def _mended(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_mended(item) for item in value]
    if isinstance(value, dict):
        return {_mended(key): _mended(item) for key, item in value.items()}
    return value


class RetryableAnswer(Exception):
    """Raised by a provider's ``check`` for an answer worth another try (e.g. DataForSEO 40202)."""

    def __init__(self, kind: RetryKind, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(detail or kind)
        self.kind: RetryKind = kind
        self.detail = detail
        self.retry_after = retry_after


class _Redactor(logging.Filter):
    """Scrubs registered secrets from log records (httpx logs full URLs, Semrush keys included)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            clean = redact(message, self.secrets)
            if clean != message:
                record.msg, record.args = clean, None
        return True


_REDACTOR = _Redactor()
for _name in ("httpx", "httpcore", __name__):
    logging.getLogger(_name).addFilter(_REDACTOR)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (of 4+ characters) replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta-seconds or HTTP-date); None if absent."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


class ProviderHttp:
    """One provider's HTTP client: retries, error mapping and usage counting in one place."""

    def __init__(
        self,
        provider: str,
        *,
        base_url: str,
        usage: ProviderUsage,
        key_variables: tuple[str, ...],
        secrets: Iterable[str] = (),
        auth: httpx.Auth | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.provider = provider
        self.usage = usage
        self.key_variables = key_variables
        self._secrets = tuple(s for s in secrets if s)
        _REDACTOR.secrets.update(s for s in self._secrets if len(s) >= 4)
        self._max_attempts = max(1, max_attempts)
        self._backoff = wait_exponential(multiplier=backoff_base, max=backoff_max)
        self._max_retry_after = max_retry_after
        self._sleep = sleep
        self._now = now
        self.client = httpx.Client(
            base_url=base_url,
            auth=auth,
            headers=dict(headers or {}),
            transport=transport,
            timeout=timeout,
            trust_env=False,
            follow_redirects=False,
        )

    def close(self) -> None:
        self.client.close()

    def scrub(self, text: str) -> str:
        """``text`` safe to show: secrets replaced and length bounded."""
        clean = redact(text, self._secrets).strip().replace("\n", " ")
        return clean if len(clean) <= 200 else clean[:197] + "..."

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        cost: Callable[[httpx.Response], float] = lambda _response: 0.0,
        check: Callable[[httpx.Response], None] | None = None,
    ) -> httpx.Response:
        """Send one logical request, retrying within the budget; return the accepted answer.

        Every attempt is counted in ``usage.requests``; ``cost`` prices the
        accepted answer. ``check`` sees each answer that is not a 429/5xx and may
        raise a ``ProviderError`` or a ``RetryableAnswer`` for quirky error bodies.
        """
        attempts = 0

        def one_attempt() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            response = self._send(method, path, params=params, json=json)
            self._classify(response, check)
            return response

        retrying = Retrying(
            stop=self._should_stop,
            wait=self._wait,
            retry=retry_if_exception_type(RetryableAnswer),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response = retrying(one_attempt)
        except RetryableAnswer as exc:
            raise self._give_up(exc, attempts) from None
        self.usage.add(0, cost(response))
        return response

    # -- one attempt -------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, *, params: Mapping[str, Any] | None, json: Any
    ) -> httpx.Response:
        self.usage.add(1, 0.0)
        try:
            return self.client.request(method, path, params=params, json=json)
        except httpx.TimeoutException:
            log.warning("%s: %s %s timed out", self.provider, method, path)
            raise RetryableAnswer("timeout") from None
        except httpx.TransportError as exc:
            log.warning("%s: %s %s failed: %s", self.provider, method, path, type(exc).__name__)
            raise RetryableAnswer("connection") from None

    def _classify(
        self, response: httpx.Response, check: Callable[[httpx.Response], None] | None
    ) -> None:
        status = response.status_code
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self._now())
            raise RetryableAnswer("rate-limit", "HTTP 429", retry_after)
        if status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self._now())
            raise RetryableAnswer("server-error", f"HTTP {status}", retry_after)
        if check is not None:
            check(response)
        if status in (401, 403):
            raise ProviderAuthError(
                self.provider,
                f"{self.provider} rejected the credentials (HTTP {status}). "
                f"Check {self.variables_text()}.",
            )
        if status >= 400:
            detail = self.scrub(response.text)
            raise ProviderError(
                self.provider,
                f"{self.provider} refused the request (HTTP {status}"
                + (f": {detail}" if detail else "")
                + ").",
            )

    def variables_text(self) -> str:
        """``A`` / ``A and B``: the environment variables that hold this provider's keys."""
        names = list(self.key_variables)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    # -- retry policy -------------------------------------------------------------------------

    def _should_stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self._max_attempts:
            return True
        exc = state.outcome.exception() if state.outcome else None
        return (
            isinstance(exc, RetryableAnswer)
            and exc.retry_after is not None
            and exc.retry_after > self._max_retry_after
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableAnswer) and exc.retry_after is not None:
            return exc.retry_after
        return float(self._backoff(state))

    def _give_up(self, exc: RetryableAnswer, attempts: int) -> ProviderError:
        tries = f"{attempts} {'try' if attempts == 1 else 'tries'}"
        if exc.kind == "rate-limit":
            later = (
                f"try again in {math.ceil(exc.retry_after)} s"
                if exc.retry_after and exc.retry_after > self._max_retry_after
                else "try again in a few minutes"
            )
            return ProviderRateLimited(
                self.provider,
                f"{self.provider} kept answering 'too many requests' after {tries}; {later}.",
            )
        what = {
            "timeout": "timed out",
            "connection": "could not be reached",
            "server-error": f"kept failing ({exc.detail})" if exc.detail else "kept failing",
        }[exc.kind]
        return ProviderUnavailable(
            self.provider, f"{self.provider} {what} after {tries}; try again in a few minutes."
        )
