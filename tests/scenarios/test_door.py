"""The door of /slack/events over signed HTTP: size, then signature, then shape; never a 500."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest

from bot.slack.door import MAX_BODY_BYTES, SlackDoor
from bot.slack.refusals import RefusalLog
from bot.store.models import Job, ProcessedEvent, Workspace
from tests.scenarios.harness import SIGNING_SECRET, SlackApp, running_app
from tests.scenarios.hostile import (
    LIMITS,
    MALFORMED,
    ONE_MEGABYTE,
    UNVERIFIED,
    Case,
    published,
    timestamp_for,
)


def signature_for(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def send(app: SlackApp, case: Case) -> httpx.Response:
    timestamp = timestamp_for(case)
    secret = SIGNING_SECRET if case.signed else "not-the-secret"
    headers = {
        "Content-Type": case.content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature_for(case.body, timestamp, secret),
        **case.headers,
    }
    return app.http.post("/slack/events", content=case.body, headers=headers)


def stand_in_urls(app: SlackApp) -> Any:
    def rewrite(form: dict[str, Any]) -> dict[str, Any]:
        user = str(form.get("user_id", "U0X"))
        channel = str(form.get("channel_id", "C0X"))
        form["response_url"] = app.slack.response_url(channel, user=user)
        form["trigger_id"] = app.slack.trigger_id(user)
        return form

    return rewrite


def test_the_door_limit_is_one_megabyte() -> None:
    assert MAX_BODY_BYTES == ONE_MEGABYTE


def test_slacks_published_payloads_are_answered(database_url: str) -> None:
    with running_app(database_url) as app:
        for case in published(stand_in_urls(app)):
            response = send(app, case)
            assert response.status_code == case.expect, (case.name, response.text)
        challenge = next(c for c in published() if c.name == "url_verification")
        assert send(app, challenge).json()["challenge"].startswith("3eZbrw1aBm2r")


@pytest.mark.parametrize("case", MALFORMED + UNVERIFIED + LIMITS, ids=lambda c: c.name)
def test_hostile_request_gets_a_clear_4xx_and_does_nothing(
    database_url: str, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with running_app(database_url) as app, caplog.at_level(logging.DEBUG):
        calls_before = len(app.slack.calls())
        response = send(app, case)
        assert response.status_code == case.expect, response.text
        assert response.json()["ok"] is False
        assert response.json()["error"]  # says what was wrong
        assert app.count(Job) == 0
        assert app.count(Workspace) == 0
        assert app.count(ProcessedEvent) == 0
        assert len(app.slack.calls()) == calls_before
    assert not [r for r in caplog.records if r.exc_info], "a refusal logged a traceback"
    refusals = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refusals) == 1
    assert SIGNING_SECRET not in caplog.text


def test_a_flood_of_forgeries_logs_one_line_per_window(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    forged = next(c for c in UNVERIFIED if c.name == "timestamp abc")
    with running_app(database_url) as app, caplog.at_level(logging.INFO):
        for _ in range(50):
            assert send(app, forged).status_code == 401
    refusals = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refusals) == 1


def test_refusal_log_counts_what_a_window_swallowed(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    refusals = RefusalLog(logging.getLogger("test.refusals"), window=10, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="test.refusals"):
        for _ in range(5):
            refusals.refused(401, "bad signature")
        refusals.refused(413, "too big")
        now[0] = 11.0
        refusals.refused(401, "bad signature")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    assert lines[2].endswith("(4 more since the last line)")


class Unreadable(io.RawIOBase):
    """A request body that fails the test if the door reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the door read a body it should have refused by its length")


def _call(door: SlackDoor, environ: dict[str, Any]) -> tuple[str, bytes]:
    seen: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        seen.append(status)
        return lambda _data: None

    body = b"".join(door(environ, start_response))
    return seen[0], body


def _door() -> SlackDoor:
    from slack_bolt import App

    app = App(signing_secret=SIGNING_SECRET, token_verification_enabled=False, token="xoxb-x")
    return SlackDoor(app, SIGNING_SECRET)


def test_an_oversized_body_is_refused_before_it_is_read() -> None:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_LENGTH": str(10 * ONE_MEGABYTE),
        "wsgi.input": Unreadable(),
    }
    status, _ = _call(_door(), environ)
    assert status.startswith("413")


def test_a_chunked_body_is_read_only_one_byte_past_the_limit() -> None:
    class Counting(io.BytesIO):
        asked: ClassVar[list[int]] = []

        def read(self, size: int | None = -1) -> bytes:
            self.asked.append(-1 if size is None else size)
            return super().read(size)

    stream = Counting(b"x" * (3 * ONE_MEGABYTE))
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": stream}
    status, _ = _call(_door(), environ)
    assert status.startswith("413")
    assert stream.asked == [ONE_MEGABYTE + 1]


@pytest.mark.parametrize(
    "headers",
    [
        {"CONTENT_LENGTH": "12abc"},
        {"HTTP_X_SLACK_SIGNATURE": "v0=\u00e9\u00e9", "HTTP_X_SLACK_REQUEST_TIMESTAMP": "NOW"},
        {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "\u0661\u0662\u0663"},  # Arabic-Indic digits
    ],
    ids=["bad Content-Length", "non-ASCII signature", "non-ASCII digits"],
)
def test_header_oddities_are_refused_not_raised(headers: dict[str, str]) -> None:
    import time

    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "wsgi.input": io.BytesIO(b"{}"),
        "HTTP_X_SLACK_SIGNATURE": "v0=00",
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(int(time.time())),
        **headers,
    }
    if environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"] == "NOW":
        environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"] = str(int(time.time()))
    status, body = _call(_door(), environ)
    assert status[:3] in {"400", "401"}, body
