"""The requests Slack would send the app, built and signed for ``linkgap shell``.

Slash commands and interactivity payloads (form-encoded) and Events API
envelopes (JSON), signed with the shell's signing secret the way Slack signs
them (``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``), and handed to the
app's real WSGI callable. Bolt
verifies each signature before any listener runs, exactly as in production.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from bot.slack.server import EVENTS_PATH

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

JsonDict = dict[str, Any]
API_APP_ID = "A0STANDIN"


def sign(body: bytes, timestamp: int, secret: str) -> str:
    """Slack's request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{ts}:{body}``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Actor:
    """Who types in the shell, and where: what Slack puts in every payload about them."""

    team_id: str
    user_id: str
    user_name: str
    channel_id: str
    channel_name: str


def command_form(actor: Actor, text: str, *, response_url: str, trigger_id: str) -> JsonDict:
    """The fields of a ``/linkgap`` slash-command POST."""
    return {
        "token": "unused",  # the deprecated verification token; Bolt checks the signature
        "team_id": actor.team_id,
        "team_domain": "standin",
        "channel_id": actor.channel_id,
        "channel_name": actor.channel_name,
        "user_id": actor.user_id,
        "user_name": actor.user_name,
        "command": "/linkgap",
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def event_envelope(team_id: str, bot_user_id: str, event: JsonDict) -> JsonDict:
    """An Events API ``event_callback`` with a fresh ``event_id`` (the app de-duplicates on it)."""
    return {
        "token": "unused",
        "team_id": team_id,
        "api_app_id": API_APP_ID,
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:16].upper()}",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": team_id, "user_id": bot_user_id, "is_bot": True}],
        "is_ext_shared_channel": False,
    }


def interaction_user(actor: Actor) -> JsonDict:
    """The ``user`` object of an interactivity payload."""
    return {
        "id": actor.user_id,
        "username": actor.user_name,
        "name": actor.user_name,
        "team_id": actor.team_id,
    }


def block_actions(
    actor: Actor,
    action: JsonDict,
    *,
    trigger_id: str,
    message: JsonDict | None = None,
    channel_id: str | None = None,
    ephemeral: bool = False,
    response_url: str | None = None,
    view: JsonDict | None = None,
) -> JsonDict:
    """A ``block_actions`` payload: a click on a message's button, or on a view's.

    Shaped as Slack documents it: a message button carries ``container`` (type
    ``message``), ``channel``, ``message`` (left out for an ephemeral message,
    which Slack does not echo) and a ``response_url``; a Home tab or modal
    button carries ``container`` (type ``view``) and the ``view``.
    """
    payload: JsonDict = {
        "type": "block_actions",
        "user": interaction_user(actor),
        "api_app_id": API_APP_ID,
        "token": "unused",
        "trigger_id": trigger_id,
        "team": {"id": actor.team_id, "domain": "standin"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = view
        return payload
    payload["container"] = {
        "type": "message",
        "message_ts": (message or {}).get("ts", ""),
        "channel_id": channel_id,
        "is_ephemeral": ephemeral,
    }
    payload["channel"] = {"id": channel_id, "name": actor.channel_name}
    if message is not None and not ephemeral:
        payload["message"] = message
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(actor: Actor, view: JsonDict, values: JsonDict, *, trigger_id: str) -> JsonDict:
    """A ``view_submission`` payload: ``view`` as shown, with what was filled in."""
    return {
        "type": "view_submission",
        "team": {"id": actor.team_id, "domain": "standin"},
        "user": interaction_user(actor),
        "api_app_id": API_APP_ID,
        "token": "unused",
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_ts() -> str:
    """A Slack-style ``event_ts`` for now."""
    return f"{time.time():.6f}"


class SignedSender:
    """POSTs signed requests to the app's WSGI callable, in process, as Slack would over HTTP."""

    def __init__(self, wsgi_app: WSGIApplication, signing_secret: str) -> None:
        self._secret = signing_secret
        self._http = httpx.Client(
            transport=httpx.WSGITransport(app=wsgi_app), base_url="http://linkgap.shell"
        )

    def command(self, form: JsonDict) -> httpx.Response:
        return self._post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def event(self, envelope: JsonDict) -> httpx.Response:
        return self._post(json.dumps(envelope).encode(), "application/json")

    def interaction(self, payload: JsonDict) -> httpx.Response:
        """A click or a form submission: ``payload=<json>``, form-encoded, as Slack sends it."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded")

    def _post(self, body: bytes, content_type: str) -> httpx.Response:
        timestamp = int(time.time())
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": sign(body, timestamp, self._secret),
        }
        return self._http.post(EVENTS_PATH, content=body, headers=headers)

    def close(self) -> None:
        self._http.close()


def ack_payload(response: httpx.Response) -> JsonDict | None:
    """The message a command's ack carries (``None`` for an empty ack).

    Bolt answers JSON for ``ack(blocks=…)`` and plain text for the app's error
    handler; Slack shows either to the caller, ephemeral unless ``in_channel``.
    """
    body = response.text.strip()
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return {"response_type": "ephemeral", "text": body}
    if isinstance(parsed, dict):
        return parsed
    return {"response_type": "ephemeral", "text": body}
