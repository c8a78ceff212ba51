"""A running linkgap Slack app for end-to-end scenarios.

The real Bolt app behind the real WSGI entry point (as ``linkgap serve`` runs
it), reached over signed HTTP requests; its Web API calls and response_url
posts go to the local Slack stand-in, where tests read what a user would see.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.config import load_settings
from bot.jobs.worker import JobWorker
from bot.slack.app import build_app
from bot.slack.gap_job import make_gap_handler
from bot.slack.runtime import Runtime
from bot.slack.server import make_wsgi_app
from bot.slack.standin import SlackStandIn

SIGNING_SECRET = "scenario-signing-secret"
TEAM = "T0STANDIN"
ANA, BEN = "U0STANDIN1", "U0STANDIN2"
GENERAL = "C0GENERAL"


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackApp:
    slack: SlackStandIn
    runtime: Runtime
    http: httpx.Client
    worker: JobWorker

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts)}
        headers["X-Slack-Signature"] = signature if signature is not None else sign(body, ts)
        return self.http.post("/slack/events", content=body, headers=headers)

    def command_body(
        self, text: str, *, user: str = ANA, channel: str = GENERAL, team: str = TEAM
    ) -> bytes:
        form = {
            "token": "unused",
            "team_id": team,
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "ana",
            "command": "/linkgap",
            "text": text,
            "api_app_id": "A0LINKGAP",
            "response_url": self.slack.response_url(channel, user=user),
            "trigger_id": self.slack.trigger_id(user),
        }
        return urlencode(form).encode()

    def command(self, text: str, **kwargs: Any) -> httpx.Response:
        return self.post(self.command_body(text, **kwargs), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], *, event_id: str, team: str = TEAM) -> httpx.Response:
        envelope = {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0LINKGAP",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": team, "user_id": "U0LINKGAP", "is_bot": True}],
        }
        return self.post(json.dumps(envelope).encode(), "application/json")

    def run_jobs(self) -> int:
        return self.worker.run_until_idle(timeout=60)


@contextmanager
def running_app(database_url: str, *, environ: dict[str, str] | None = None) -> Iterator[SlackApp]:
    with SlackStandIn() as slack:
        settings = load_settings(
            {
                "DATABASE_URL": database_url,
                "SLACK_BOT_TOKEN": slack.bot_token,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack.api_url,
                **(environ or {}),
            }
        )
        runtime = Runtime.create(settings, environ=environ or {})
        try:
            app = build_app(runtime)
            worker = JobWorker(runtime.sessions, {"gap": make_gap_handler(runtime)}, max_workers=2)
            runtime.worker = None  # tests drain the queue explicitly with run_jobs()
            transport = httpx.WSGITransport(app=make_wsgi_app(runtime, app))
            with httpx.Client(transport=transport, base_url="http://linkgap.test") as http:
                yield SlackApp(slack, runtime, http, worker)
        finally:
            runtime.close()
