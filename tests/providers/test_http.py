"""The shared provider HTTP layer: retry budget, Retry-After, error mapping, secrecy, counting."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderRateLimited,
    ProviderUnavailable,
)
from bot.providers.base import ProviderUsage
from bot.providers.http import ProviderHttp, RetryableAnswer, json_body, parse_retry_after

SECRET = "s3cr3t-key-9f8e7d"
Step = Callable[[httpx.Request], httpx.Response]


def _sequence(*steps: Step) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering each request with the next step (the last one repeats)."""
    seen: list[httpx.Request] = []
    queue: Iterator[Step] = iter(steps)
    last: list[Step] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        step = next(queue, None)
        if step is None:
            step = last[0]
        else:
            last[:] = [step]
        return step(request)

    return httpx.MockTransport(handler), seen


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectTimeout("connect timed out", request=request)


def _status(code: int, **headers: str) -> Step:
    return lambda _request: httpx.Response(code, headers=headers, text="{}")


def _client(transport: httpx.BaseTransport, sleeps: list[float], **kwargs: object) -> ProviderHttp:
    return ProviderHttp(
        "DataForSEO",
        base_url="https://api.example.test/",
        usage=ProviderUsage(),
        key_variables=("DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD"),
        secrets=(SECRET,),
        transport=transport,
        sleep=sleeps.append,
        **kwargs,  # type: ignore[arg-type]
    )


def test_timeout_then_429_then_503_then_200_succeeds_and_sleeps_as_told() -> None:
    transport, seen = _sequence(
        _timeout, _status(429, **{"Retry-After": "2"}), _status(503), _status(200)
    )
    sleeps: list[float] = []
    http = _client(transport, sleeps)

    response = http.request("GET", "thing", cost=lambda _r: 0.5)

    assert response.status_code == 200
    assert sleeps == [1.0, 2.0, 4.0]  # backoff, then the server's 2 s, then backoff
    assert len(seen) == 4
    assert http.usage.requests == 4
    assert http.usage.estimated_cost_usd == 0.5


def test_retry_after_as_http_date_is_honoured() -> None:
    now = datetime(2024, 8, 1, 12, 0, 0, tzinfo=UTC)
    transport, _ = _sequence(
        _status(429, **{"Retry-After": "Thu, 01 Aug 2024 12:00:07 GMT"}), _status(200)
    )
    sleeps: list[float] = []
    http = _client(transport, sleeps, now=lambda: now)

    http.request("GET", "thing")

    assert sleeps == [7.0]


def test_server_errors_past_the_budget_become_unavailable_with_a_clear_message() -> None:
    transport, seen = _sequence(_status(503))
    sleeps: list[float] = []

    with pytest.raises(ProviderUnavailable) as caught:
        _client(transport, sleeps).request("GET", "thing")

    assert len(seen) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert str(caught.value) == (
        "DataForSEO kept failing (HTTP 503) after 4 tries; try again in a few minutes."
    )


def test_timeouts_past_the_budget_say_the_provider_timed_out() -> None:
    transport, _ = _sequence(_timeout)

    with pytest.raises(ProviderUnavailable) as caught:
        _client(transport, [], max_attempts=3).request("GET", "thing")

    assert str(caught.value) == ("DataForSEO timed out after 3 tries; try again in a few minutes.")


def test_endless_429_becomes_rate_limited() -> None:
    transport, seen = _sequence(_status(429, **{"Retry-After": "1"}))
    sleeps: list[float] = []

    with pytest.raises(ProviderRateLimited) as caught:
        _client(transport, sleeps).request("GET", "thing")

    assert len(seen) == 4
    assert sleeps == [1.0, 1.0, 1.0]
    assert "too many requests" in str(caught.value)


def test_a_retry_after_longer_than_we_wait_gives_up_at_once_and_says_when() -> None:
    transport, seen = _sequence(_status(429, **{"Retry-After": "3600"}))
    sleeps: list[float] = []

    with pytest.raises(ProviderRateLimited) as caught:
        _client(transport, sleeps).request("GET", "thing")

    assert len(seen) == 1
    assert sleeps == []
    assert "try again in 3600 s" in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_are_not_retried_and_name_the_variables(status: int) -> None:
    transport, seen = _sequence(_status(status))
    sleeps: list[float] = []

    with pytest.raises(ProviderAuthError) as caught:
        _client(transport, sleeps).request("GET", "thing")

    assert len(seen) == 1
    assert sleeps == []
    assert "DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD" in str(caught.value)
    assert caught.value.provider == "DataForSEO"


@pytest.mark.parametrize("status", [400, 404, 422])
def test_other_client_errors_are_not_retried(status: int) -> None:
    transport, seen = _sequence(_status(status))

    with pytest.raises(ProviderError):
        _client(transport, []).request("GET", "thing")

    assert len(seen) == 1


def test_a_retryable_answer_from_the_provider_check_is_retried() -> None:
    transport, seen = _sequence(_status(200))
    calls = iter([RetryableAnswer("rate-limit", "40202"), None])

    def check(_response: httpx.Response) -> None:
        outcome = next(calls)
        if outcome is not None:
            raise outcome

    sleeps: list[float] = []
    _client(transport, sleeps).request("GET", "thing", check=check)

    assert len(seen) == 2
    assert sleeps == [1.0]


def test_secrets_never_reach_error_text() -> None:
    echo = lambda request: httpx.Response(400, text=f"bad request for key={SECRET}")  # noqa: E731
    transport, _ = _sequence(echo)

    with pytest.raises(ProviderError) as caught:
        _client(transport, []).request("GET", "thing", params={"key": SECRET})

    assert SECRET not in str(caught.value)
    assert "***" in str(caught.value)
    assert caught.value.__cause__ is None


def test_secrets_in_request_urls_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    transport, _ = _sequence(_status(200))
    caplog.set_level(logging.DEBUG)

    _client(transport, []).request("GET", "thing", params={"key": SECRET})

    assert caplog.records, "httpx logs each request; the redactor must see them"
    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_parse_retry_after_reads_seconds_and_dates_and_ignores_garbage() -> None:
    now = datetime(2024, 8, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2", now=now) == 2.0
    assert parse_retry_after(" 1.5 ", now=now) == 1.5
    assert parse_retry_after("Thu, 01 Aug 2024 12:01:00 GMT", now=now) == 60.0
    assert parse_retry_after("Thu, 01 Aug 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("-5", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


@given(st.text(max_size=40))
def test_parse_retry_after_never_raises_and_never_goes_negative(value: str) -> None:
    seconds = parse_retry_after(value, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert seconds is None or seconds >= 0


def test_a_json_answer_s_lone_surrogates_read_as_replacement_characters() -> None:
    raw = (
        '{"a\\ud800": ["x\\udc00y", "\\ud83c\\udfc3", {"k": "\\ud83d"}],'
        ' "n": 3, "plain": "caf\\u00e9"}'
    )
    body = json_body(httpx.Response(200, text=raw))
    assert body == {"a\ufffd": ["x\ufffdy", "\U0001f3c3", {"k": "\ufffd"}], "n": 3, "plain": "café"}
    assert json_body(httpx.Response(200, text='{"plain": "trail"}')) == {"plain": "trail"}
    with pytest.raises(ValueError, match="Expecting"):
        json_body(httpx.Response(200, text="<html>"))
