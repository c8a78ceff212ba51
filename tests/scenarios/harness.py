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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from bot.config import load_settings
from bot.jobs.worker import JobWorker
from bot.slack.app import build_app, job_handlers
from bot.slack.runtime import Runtime
from bot.slack.server import make_wsgi_app
from bot.slack.standin import SlackStandIn
from bot.store.db import transaction

SIGNING_SECRET = "scenario-signing-secret"
TEAM = "T0STANDIN"
ANA, BEN, CHLOE = "U0STANDIN1", "U0STANDIN2", "U0STANDIN3"
GENERAL, SEO = "C0GENERAL", "C0SEO"
#: Web API methods (and the response URL) through which the app shows users something.
POSTING_METHODS = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "response_url",
    "views.publish",
    "views.open",
    "views.update",
)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackApp:
    slack: SlackStandIn
    runtime: Runtime
    http: httpx.Client
    worker: JobWorker
    #: Every answer the app gave over HTTP (the ack bodies Slack would show), in order.
    responses: list[httpx.Response] = field(default_factory=list)

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        omit: tuple[str, ...] = (),
    ) -> httpx.Response:
        """POST to /slack/events signed as Slack signs; ``omit`` drops named headers."""
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts)}
        sent["X-Slack-Signature"] = signature if signature is not None else sign(body, ts)
        sent.update(headers or {})
        for name in omit:
            sent.pop(name, None)
        response = self.http.post("/slack/events", content=body, headers=sent)
        self.responses.append(response)
        return response

    def command_body(
        self,
        text: str,
        *,
        user: str = ANA,
        channel: str = GENERAL,
        team: str = TEAM,
        enterprise: str | None = None,
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
        if enterprise is not None:
            form.update({"enterprise_id": enterprise, "enterprise_name": enterprise})
        return urlencode(form).encode()

    def command(self, text: str, **kwargs: Any) -> httpx.Response:
        return self.post(self.command_body(text, **kwargs), "application/x-www-form-urlencoded")

    def event_body(
        self,
        event: dict[str, Any],
        *,
        event_id: str,
        team: str = TEAM,
        enterprise: str | None = None,
    ) -> bytes:
        authorization: dict[str, Any] = {"team_id": team, "user_id": "U0LINKGAP", "is_bot": True}
        envelope: dict[str, Any] = {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0LINKGAP",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [authorization],
        }
        if enterprise is not None:
            envelope["enterprise_id"] = enterprise
            authorization["enterprise_id"] = enterprise
        return json.dumps(envelope).encode()

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str,
        team: str = TEAM,
        enterprise: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body = self.event_body(event, event_id=event_id, team=team, enterprise=enterprise)
        return self.post(body, "application/json", headers=headers)

    def home_opened(self, user: str = ANA, *, event_id: str, **kwargs: Any) -> httpx.Response:
        """The ``app_home_opened`` event for ``user``'s Home tab."""
        event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
        return self.event(event, event_id=event_id, **kwargs)

    def view_submission_body(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        user: str = ANA,
        team: str = TEAM,
    ) -> bytes:
        """An interactivity payload (``payload=<json>``) submitting ``view`` with ``values``."""
        submitted = {**view, "state": {"values": values}}
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "standin"},
            "user": {"id": user, "username": user, "name": user, "team_id": team},
            "api_app_id": "A0LINKGAP",
            "token": "unused",
            "trigger_id": self.slack.trigger_id(user),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return urlencode({"payload": json.dumps(payload)}).encode()

    def submit_view(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], **kwargs: Any
    ) -> httpx.Response:
        body = self.view_submission_body(view, values, **kwargs)
        return self.post(body, "application/x-www-form-urlencoded")

    def count(self, model: type, *where: Any) -> int:
        """Rows of ``model`` in the app's database (optionally filtered)."""
        with transaction(self.runtime.sessions) as session:
            query = select(func.count()).select_from(model)
            for condition in where:
                query = query.where(condition)
            return int(session.scalar(query) or 0)

    def rows(self, model: type, *where: Any) -> list[Any]:
        """Every row of ``model`` (detached, attributes loaded), oldest id first."""
        with transaction(self.runtime.sessions) as session:
            query = select(model)
            for condition in where:
                query = query.where(condition)
            found = list(session.scalars(query.order_by(model.id)))  # type: ignore[attr-defined]
            session.expunge_all()
            return found

    def posted(self) -> list[tuple[str, dict[str, Any]]]:
        """Every message or view the app showed: (where, payload), acks included.

        Web API calls that Slack accepted, response_url posts, and the JSON
        bodies of the app's HTTP answers (a command's ack is a message too).
        """
        shown: list[tuple[str, dict[str, Any]]] = []
        for call in self.slack.calls():
            if call.method in POSTING_METHODS:
                params = dict(call.params)
                for name in ("blocks", "view"):
                    if isinstance(params.get(name), str):
                        params[name] = json.loads(params[name])
                shown.append((call.method, params))
        for response in self.responses:
            if response.headers.get("content-type", "").startswith("application/json"):
                shown.append(("ack", response.json()))
        return shown

    def run_jobs(self) -> int:
        return self.worker.run_until_idle(timeout=60)


@contextmanager
def running_app(
    database_url: str,
    *,
    environ: dict[str, str] | None = None,
    slack_clock: Callable[[], float] | None = None,
) -> Iterator[SlackApp]:
    with SlackStandIn(clock=slack_clock or time.time) as slack:
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
            worker = JobWorker(runtime.sessions, job_handlers(runtime), max_workers=2)
            runtime.worker = None  # tests drain the queue explicitly with run_jobs()
            transport = httpx.WSGITransport(app=make_wsgi_app(runtime, app))
            with httpx.Client(transport=transport, base_url="http://linkgap.test") as http:
                yield SlackApp(slack, runtime, http, worker)
        finally:
            runtime.close()


def mrkdwn_texts(payload: Any, *, top_level: bool = True) -> list[str]:
    """Every string Slack reads as mrkdwn in a message, view or block list, found recursively.

    Text objects of type ``mrkdwn``, and a message's own ``text`` (mrkdwn
    unless the message says ``mrkdwn: false``): the places where ``<!channel>``
    would ping everyone.
    """
    found: list[str] = []
    if isinstance(payload, dict):
        message_text = payload.get("text") if top_level else None
        if isinstance(message_text, str) and payload.get("mrkdwn") is not False:
            found.append(message_text)
        for key, value in payload.items():
            if key == "text" and isinstance(value, str):
                if payload.get("type") == "mrkdwn":
                    found.append(value)
                continue
            found.extend(mrkdwn_texts(value, top_level=False))
    elif isinstance(payload, list):
        for item in payload:
            found.extend(mrkdwn_texts(item, top_level=False))
    return found


def plain_texts(payload: Any) -> list[str]:
    """Every ``plain_text`` text object's text, found recursively."""
    found: list[str] = []
    if isinstance(payload, dict):
        if payload.get("type") == "plain_text" and isinstance(payload.get("text"), str):
            found.append(payload["text"])
        for value in payload.values():
            found.extend(plain_texts(value))
    elif isinstance(payload, list):
        for item in payload:
            found.extend(plain_texts(item))
    return found


def blocks_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks of a message payload or of a view."""
    view = payload.get("view")
    if isinstance(view, dict):
        return list(view.get("blocks") or [])
    return list(payload.get("blocks") or [])
