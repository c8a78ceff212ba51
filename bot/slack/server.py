"""The HTTP face of the app: ``/slack/events`` through Bolt's WSGI adapter, ``/healthz``.

Commands, events and interactivity all arrive at ``/slack/events`` through
the door (``bot.slack.door``): a body over 1 MB is refused (413) before it is
read, the signature and timestamp are verified on the raw body (401 for
forged, unsigned or stale requests), and a signed body that is not a Slack
payload gets 400, all before Bolt parses anything or any listener runs. In
OAuth mode the installer's browser GETs ``/slack/install`` and
``/slack/oauth_redirect``, Bolt's OAuth flow (unsigned by nature: the state
parameter, bound to a browser cookie and used once, protects them instead).
``/healthz`` answers 200 only when the database does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.runtime import Runtime
from bot.slack.door import SlackDoor
from bot.slack.listeners.oauth import INSTALL_PATH, REDIRECT_URI_PATH

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication as WsgiApp

EVENTS_PATH = "/slack/events"
#: Bolt's OAuth flow, served only in OAuth mode (bot.slack.listeners.oauth).
OAUTH_PATHS = frozenset({INSTALL_PATH, REDIRECT_URI_PATH})


def _json(start_response: StartResponse, status: str, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def database_ok(runtime: Runtime) -> bool:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        log.exception("health check: the database does not answer")
        return False


def make_wsgi_app(runtime: Runtime, app: App) -> WsgiApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    secret = runtime.settings.slack_signing_secret
    assert secret is not None, "build_app refuses to build without a signing secret"
    door = SlackDoor(app, secret.get_secret_value())

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return door(environ, start_response)
        if (
            path in OAUTH_PATHS
            and app.oauth_flow is not None
            and environ.get("REQUEST_METHOD") == "GET"
        ):
            result: Iterable[bytes] = slack(environ, start_response)
            return result
        if path == "/healthz":
            if database_ok(runtime):
                return _json(start_response, "200 OK", {"ok": True})
            return _json(
                start_response, "503 Service Unavailable", {"ok": False, "database": "down"}
            )
        return _json(start_response, "404 Not Found", {"ok": False, "error": "not found"})

    return wsgi
