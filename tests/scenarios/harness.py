"""A running linkgap Slack app for end-to-end scenarios.

The real Bolt app behind the real WSGI entry point (as ``linkgap serve`` runs
it), reached over signed HTTP requests; its Web API calls and response_url
posts go to the local Slack stand-in, where tests read what a user would see.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import Select, func, select

from bot.config import load_settings
from bot.jobs.worker import JobWorker
from bot.local.standin import SlackStandIn, StoredMessage
from bot.runtime import Runtime
from bot.services.approvals import VETTING_MESSAGE
from bot.slack.app import build_app, job_handlers
from bot.slack.server import make_wsgi_app
from bot.store.db import transaction
from bot.store.models import Campaign, Placement, SlackMessage, Vote
from bot.web.fetcher import SafeFetcher
from tests.migrated import seed_migrated
from tests.web import LocalServer, send

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

    def press_button(
        self,
        message: StoredMessage,
        action_id: str,
        *,
        user: str,
        team: str = TEAM,
        index: int = 0,
    ) -> httpx.Response:
        """A click on ``message``'s button ``action_id``, as Slack's ``block_actions`` payload.

        ``index`` picks among buttons sharing the id (a section's accessory counts).

        Shaped like Slack's published payload for a message button (ephemeral
        messages carry ``container.is_ephemeral`` and no ``message`` object);
        its ``response_url`` replaces the message the button was on.
        """
        (button, block_id) = [
            (element, block.get("block_id", ""))
            for block in message.blocks
            for element in [*block.get("elements", []), block.get("accessory") or {}]
            if element.get("action_id") == action_id
        ][index]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user, "name": user, "team_id": team},
            "api_app_id": "A0LINKGAP",
            "token": "unused",
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": message.ephemeral_to is not None,
            },
            "trigger_id": self.slack.trigger_id(user),
            "team": {"id": team, "domain": "standin"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": message.channel, "name": message.channel.lower()},
            "state": {"values": {}},
            "response_url": self.slack.response_url(
                message.channel, user=user, message_ts=message.ts
            ),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": button["text"],
                    "value": button.get("value", ""),
                    "style": button.get("style"),
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if message.ephemeral_to is None:
            payload["message"] = {"type": "message", "ts": message.ts, "text": message.text}
        body = urlencode({"payload": json.dumps(payload)}).encode()
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
            query: Select[Any] = select(model)
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

    def react(
        self,
        message: StoredMessage,
        emoji: str,
        user: str,
        *,
        event_id: str,
        added: bool = True,
        bot_id: str | None = None,
    ) -> httpx.Response:
        """A person's reaction as Slack delivers it: on the message first, then the event.

        ``added=False`` removes the reaction (``reaction_removed``); ``bot_id``
        marks the reactor as a bot user, as Slack's payload does.
        """
        if added:
            self.slack.add_reaction(message, emoji, user)
        else:
            self.slack.remove_reaction(message, emoji, user)
        return self.event(
            reaction_event(message, emoji, user, added=added, bot_id=bot_id), event_id=event_id
        )


def reaction_event(
    message: StoredMessage, emoji: str, user: str, *, added: bool = True, bot_id: str | None = None
) -> dict[str, Any]:
    """The ``reaction_added``/``reaction_removed`` event for ``user``'s ``emoji`` on ``message``."""
    event: dict[str, Any] = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": message.channel, "ts": message.ts},
        "item_user": message.user,
        "event_ts": f"{time.time():.6f}",
    }
    if bot_id is not None:
        event["bot_id"] = bot_id
    return event


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 10.0, what: str = "the condition"
) -> None:
    """Poll until ``condition()`` holds: listeners run after the ack, on Bolt's threads."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not hold within {timeout:g}s")
        time.sleep(0.02)


@contextmanager
def serving_pages(
    app: SlackApp, pages: Mapping[str, str | tuple[str, str]], *, hosts: tuple[str, ...] = ()
) -> Iterator[LocalServer]:
    """Serve ``pages`` on 127.0.0.1 and let the app's jobs fetch them.

    A page is HTML markup, or ``(content_type, body)`` for anything else.

    The app's fetcher stays the safe fetcher, allowed only loopback and the
    server's port; ``hosts`` are public-looking names that resolve to
    127.0.0.1 (every other name fails to resolve, so nothing leaves loopback).
    Use ``server.url(path, host)``.
    """

    def page(content: str | tuple[str, str]) -> Callable[[Any], None]:
        kind, body = content if isinstance(content, tuple) else ("text/html", content)
        return lambda handler: send(handler, 200, body.encode(), content_type=kind)

    def resolve(host: str, port: int) -> list[str]:
        if host in hosts:
            return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with LocalServer({path: page(markup) for path, markup in pages.items()}) as server:
        previous = app.runtime.fetcher_factory
        app.runtime.fetcher_factory = lambda: SafeFetcher(
            resolver=resolve, allow_loopback=True, allowed_ports=frozenset({server.port})
        )
        app.runtime.sample_web = False  # these pages, not the demo's sample web
        try:
            yield server
        finally:
            app.runtime.fetcher_factory = previous
            app.runtime.sample_web = True


@contextmanager
def running_app(
    database_url: str,
    *,
    environ: dict[str, str] | None = None,
    slack_clock: Callable[[], float] | None = None,
) -> Iterator[SlackApp]:
    seed_migrated(database_url)
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


# -- placements: a campaign, a prospect page, a proposal and its approval message ------------

PLACEMENT_KEYWORD = "trail running shoes"
PLACEMENT_TARGET = "https://www.example.com/trail-shoes"
#: A public-looking name the scenario page server answers for (see ``serving_pages``).
PROSPECT_HOST = "blog.trailpost.com"
ON_TOPIC_PAGE = (
    "<html><head><title>The best trail running shoes of the year</title></head><body>"
    "<h1>Trail running shoes we tested</h1><main><p>We ran 400 miles of mountain trail in "
    "twelve pairs of trail running shoes. Grip, cushioning and fit decide which trail shoe "
    "suits you; here is how each running shoe did on rocky, muddy and dry trails.</p>"
    "<h2>Best trail running shoes for mud</h2><p>Deep lugs and a snug fit keep trail "
    "runners upright.</p></main></body></html>"
)


def track_campaign(
    app: SlackApp,
    *,
    approvers: tuple[str, ...] = (ANA, BEN),
    settings: dict[str, Any] | None = None,
    user: str = ANA,
) -> Any:
    """A campaign on ``PLACEMENT_TARGET`` whose approvals go to #seo; its first analysis run.

    ``approvers`` are user IDs, or a user group ID (``S…``; created empty in the stand-in
    when it does not exist yet).
    ``settings`` (for example ``{"quorum": 2}``) are stored on the campaign row.
    The calls its analysis made are cleared, so a test sees only its own.
    """
    for who in approvers:
        if who.startswith("S") and app.slack.directory.usergroup(who) is None:
            app.slack.set_usergroup(who, [])  # track checks the group exists; tests fill it
    people = " ".join(
        f"<!subteam^{who}|@group>" if who.startswith("S") else f"<@{who}>" for who in approvers
    )
    text = f'track "{PLACEMENT_KEYWORD}" {PLACEMENT_TARGET} approvals <#{SEO}|seo> approvers'
    answer = app.command(f"{text} {people}", user=user).json()
    assert answer["response_type"] == "in_channel", answer
    app.run_jobs()
    (campaign,) = app.rows(Campaign)
    if settings is not None:
        with transaction(app.runtime.sessions) as session:
            row = session.get(Campaign, campaign.id)
            assert row is not None
            row.settings = {**(row.settings or {}), **settings}
        (campaign,) = app.rows(Campaign)
    app.slack.clear_calls()
    app.responses.clear()
    return campaign


def approval_message(app: SlackApp, placement_id: int) -> StoredMessage:
    """The placement's current approval message as Slack holds it now (the latest posted:
    reopening a placement posts a fresh one)."""
    *_, stored = app.rows(
        SlackMessage, SlackMessage.kind == VETTING_MESSAGE, SlackMessage.subject_id == placement_id
    )
    found = app.slack.message(stored.channel_id, stored.ts)
    assert found is not None
    return found


def propose(
    app: SlackApp,
    server: LocalServer,
    *,
    user: str = ANA,
    anchor: str = "these trail shoe tests",
    placement_type: str = "in-content",
    path: str = "/trail-shoes-review",
) -> tuple[Any, StoredMessage]:
    """``/linkgap vet`` a placement on the served prospect page; returns its row and message."""
    before = {p.id for p in app.rows(Placement)}
    prospect = server.url(path, PROSPECT_HOST)
    answer = app.command(
        f'vet {prospect} {PLACEMENT_TARGET} "{anchor}" {placement_type}', user=user
    ).json()
    assert answer["response_type"] == "ephemeral", answer
    assert "Vetting the placement" in answer["text"], answer
    assert app.run_jobs() == 1
    (placement,) = [p for p in app.rows(Placement) if p.id not in before]
    return placement, approval_message(app, placement.id)


def placement_row(app: SlackApp, placement_id: int) -> Any:
    (row,) = app.rows(Placement, Placement.id == placement_id)
    return row


def votes_of(app: SlackApp, placement_id: int) -> list[Any]:
    return app.rows(Vote, Vote.placement_id == placement_id)


@contextmanager
def another_process(app: SlackApp) -> Iterator[SlackApp]:
    """A second app process on the same database and the same Slack: its own engine,
    connection pool, Bolt app and workers, as a second web dyno would have."""
    runtime = Runtime.create(app.runtime.settings, migrate=False, environ=app.runtime.environ)
    runtime.fetcher_factory = app.runtime.fetcher_factory
    try:
        bolt = build_app(runtime)
        worker = JobWorker(runtime.sessions, job_handlers(runtime), max_workers=2)
        transport = httpx.WSGITransport(app=make_wsgi_app(runtime, bolt))
        with httpx.Client(transport=transport, base_url="http://linkgap.test") as http:
            yield SlackApp(app.slack, runtime, http, worker)
    finally:
        runtime.close()
