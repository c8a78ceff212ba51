"""How the Slack stand-in answers one request: faults first, then auth, then the method.

Kept apart from the HTTP plumbing (``standin_http``) and from the public
façade (``standin``) so the order of checks, the place Slack's real behaviour
matters most, reads in one screen.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import time
from typing import Any

from bot.local.standin import chat, files, info, views
from bot.local.standin.calls import CallLog, FaultPlan, HoldPlan, RecordedCall
from bot.local.standin.params import BadParams, decode_json_fields, parse_body
from bot.local.standin.responses import ResponseHooks
from bot.local.standin.state import Handler, StandInState, fail

JsonDict = dict[str, Any]
UPLOAD_METHOD = "upload"  # the name faults and the call log use for step 2 of an upload
RESPONSE_URL_METHOD = "response_url"
OAUTH_ACCESS_METHOD = "oauth.v2.access"
CONNECTIONS_OPEN_METHOD = "apps.connections.open"

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {
    **info.HANDLERS,
    **chat.HANDLERS,
    **views.HANDLERS,
    **files.HANDLERS,
}


class Dispatcher:
    """Answers Web API, upload, response-URL and download requests, recording each."""

    def __init__(
        self,
        *,
        bot_token: str,
        state: StandInState,
        hooks: ResponseHooks,
        log: CallLog,
        faults: FaultPlan,
        holds: HoldPlan | None = None,
    ) -> None:
        self.bot_token = bot_token
        self.state = state
        self._hooks = hooks
        self._log = log
        self._faults = faults
        self._holds = holds or HoldPlan()
        self.errors: list[BaseException] = []  # exceptions handlers raised (answered with 500)

    def respond(self, hook_id: str, payload: JsonDict) -> JsonDict:
        """A response-URL POST without HTTP (the shell's path for a command's ack body)."""
        status, body = self._hooks.respond(hook_id, decode_json_fields(payload))
        self._record(RESPONSE_URL_METHOD, payload, status, body)
        return body

    def _record(
        self, method: str, params: JsonDict, status: int, body: JsonDict, faulted: bool = False
    ) -> None:
        self._log.record(RecordedCall(method, params, time.time(), status, body, faulted))

    def _fault(self, method: str, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]] | None:
        fault = self._faults.take(method)
        if fault is None:
            return None
        body = fault.body()
        self._record(method, params, fault.status, body, faulted=True)
        return fault.status, body, fault.response_headers()

    def handle_api(
        self, method: str, headers: dict[str, str], body: bytes, query: str
    ) -> tuple[int, JsonDict, dict[str, str]]:
        """One Web API request: (HTTP status, JSON body, extra headers)."""
        unreadable: str | None = None
        try:
            params = parse_body(headers.get("content-type", ""), body, query)
        except BadParams as error:
            params, unreadable = {}, error.error
        token = _bearer(headers.get("authorization", "")) or str(params.get("token") or "")
        params.pop("token", None)  # never kept in the record: no secrets in what tests print
        try:
            params = decode_json_fields(params)
        except BadParams as error:
            unreadable = unreadable or error.error
        faulted = self._fault(method, params)
        if faulted is not None:
            return faulted
        if method == OAUTH_ACCESS_METHOD:  # authenticated by the app's client id and secret
            answer = (
                fail(unreadable)
                if unreadable is not None
                else info.oauth_v2_access(self.state, params, _client_credentials(headers, params))
            )
            params.pop("client_secret", None)  # no secrets in the record
            self._record(method, params, 200, answer)
            return 200, answer, {}
        if method == CONNECTIONS_OPEN_METHOD:  # authenticated by the app-level token
            answer = _connections_open(self.state, token, self.bot_token)
            self._record(method, params, 200, answer)
            return 200, answer, {}
        answer = self._answer(method, token, params, unreadable)
        status = 500 if answer.get("error") == "internal_error" else 200
        self._record(method, params, status, answer)
        hold = self._holds.take(method)
        if hold is not None:
            hold.pause()
        return status, answer, {}

    def _answer(
        self, method: str, token: str, params: JsonDict, unreadable: str | None
    ) -> JsonDict:
        if not token:
            return fail("not_authed")
        if not hmac.compare_digest(token.encode(), self.bot_token.encode()):
            grant = self.state.grants.for_token(token)  # a token an OAuth install granted
            if grant is None:
                return fail("invalid_auth")
            if method == "auth.test":
                return info.auth_test_for_grant(self.state, grant)
        handler = HANDLERS.get(method)
        if handler is None:
            return fail("unknown_method", req_method=method)
        if unreadable is not None:
            return fail(unreadable)
        try:
            return handler(self.state, params)
        except BadParams as error:
            return fail(error.error)
        except Exception as error:  # answered like Slack's 500; the test sees self.errors
            logger.exception("stand-in handler for %s failed", method)
            self.errors.append(error)
            return fail("internal_error")

    def handle_upload(self, file_id: str, body: bytes) -> tuple[int, str, dict[str, str]]:
        params: JsonDict = {"file_id": file_id, "length": len(body)}
        faulted = self._fault(UPLOAD_METHOD, params)
        if faulted is not None:
            status, answer, extra = faulted
            return status, json.dumps(answer), extra
        status, text = files.receive_upload(self.state, file_id, body)
        self._record(UPLOAD_METHOD, params, status, {"ok": status == 200, "body": text})
        return status, text, {}

    def handle_response(
        self, hook_id: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, JsonDict, dict[str, str]]:
        try:
            payload = decode_json_fields(parse_body(headers.get("content-type", ""), body))
        except BadParams as error:
            answer = fail(error.error)
            self._record(RESPONSE_URL_METHOD, {}, 400, answer)
            return 400, answer, {}
        faulted = self._fault(RESPONSE_URL_METHOD, payload)
        if faulted is not None:
            return faulted
        status, answer = self._hooks.respond(hook_id, payload)
        self._record(RESPONSE_URL_METHOD, payload, status, answer)
        return status, answer, {}

    def handle_download(self, file_id: str, headers: dict[str, str]) -> tuple[int, bytes]:
        if _bearer(headers.get("authorization", "")) != self.bot_token:
            return 403, b"forbidden"
        stored = self.state.store.file(file_id)
        if stored is None or stored.content is None:
            return 404, b"file_not_found"
        return 200, stored.content


def _client_credentials(headers: dict[str, str], params: JsonDict) -> tuple[str, str]:
    """(client_id, client_secret) from HTTP Basic auth, as slack_sdk sends them, or the form."""
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
        except (ValueError, UnicodeError):
            return "", ""
        return client_id, secret
    return str(params.get("client_id") or ""), str(params.get("client_secret") or "")


def _bearer(value: str) -> str:
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _connections_open(state: StandInState, token: str, bot_token: str) -> JsonDict:
    """Socket Mode's ``apps.connections.open``: the WebSocket URL, for the app-level token only."""
    if not token:
        return fail("not_authed")
    if state.socket_link is None:
        return fail("invalid_auth")
    app_token, url = state.socket_link
    if hmac.compare_digest(token.encode(), bot_token.encode()):
        return fail("not_allowed_token_type")  # what Slack answers a bot token here
    if not hmac.compare_digest(token.encode(), app_token.encode()):
        return fail("invalid_auth")
    return {"ok": True, "url": url}
