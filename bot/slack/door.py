"""The door of ``/slack/events``: size, then signature, then shape, and only then Bolt.

Anything can be POSTed here by anyone, so the order matters. The body's
declared size is checked before a byte is read (413 over 1 MB), the body is
read at most that far, the timestamp and signature are checked on the raw
bytes (401; the timestamp must be a plain integer inside Slack's five-minute
window before the HMAC is even computed), and only a verified body is
decoded and parsed (400 when it is not a Slack payload). Bolt then sees only
well-formed, signed requests; whatever still goes wrong in it is answered and
logged in one line, never a 500 or a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.slack.payload_shape import NotSlackPayload, parse_payload
from bot.slack.refusals import RefusalLog

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

log = logging.getLogger(__name__)

#: Largest body accepted (Slack's own payloads are a few KB; a modal's state stays well under).
MAX_BODY_BYTES = 1024 * 1024
#: Slack's replay window for ``X-Slack-Request-Timestamp``.
MAX_CLOCK_SKEW = 5 * 60
#: Longest timestamp taken as a number: Slack sends ten digits of Unix seconds.
MAX_TIMESTAMP_DIGITS = 12


class Refused(Exception):
    """A request answered with an HTTP error before Bolt sees it."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


STATUS_LINES = {
    400: "400 Bad Request",
    401: "401 Unauthorized",
    411: "411 Length Required",
    413: "413 Content Too Large",
}


def _declared_length(environ: dict[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise Refused(400, "Content-Length is not a number")
    return int(raw)


def read_body(environ: dict[str, Any], limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused with 413 when it is (or is declared) larger than ``limit``."""
    declared = _declared_length(environ)
    if declared is not None and declared > limit:
        raise Refused(413, f"body of {declared} bytes is over the {limit}-byte limit")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    # Without a declared length (chunked), read one byte past the limit to see if it is over.
    body: bytes = stream.read(declared if declared is not None else limit + 1)
    if len(body) > limit:
        raise Refused(413, f"body is over the {limit}-byte limit")
    return body


def _header(environ: dict[str, Any], name: str) -> str | None:
    value = environ.get("HTTP_" + name.upper().replace("-", "_"))
    return None if value is None else str(value)


def expected_signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """Slack's ``v0`` signature, computed over the raw bytes.

    slack_sdk's ``SignatureVerifier`` decodes the body as UTF-8 first, so a
    body that is not UTF-8 would raise instead of failing verification.
    """
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()


def verify(environ: dict[str, Any], body: bytes, secret: bytes, now: float) -> None:
    """Refuse (401) unless the timestamp is a recent integer and the signature matches."""
    timestamp = _header(environ, "X-Slack-Request-Timestamp")
    signature = _header(environ, "X-Slack-Signature")
    if timestamp is None or signature is None:
        raise Refused(401, "no Slack signature or timestamp header")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
        raise Refused(401, "the timestamp is not a whole number of seconds")
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
        raise Refused(401, "the timestamp is outside Slack's five-minute window")
    if not signature.isascii() or not hmac.compare_digest(
        expected_signature(secret, timestamp, body), signature
    ):
        raise Refused(401, "the signature does not match the body")


def _answer(start_response: StartResponse, status: int, error: str) -> list[bytes]:
    body = json.dumps({"ok": False, "error": error}).encode()
    start_response(
        STATUS_LINES.get(status, f"{status} Refused"),
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


class SlackDoor:
    """WSGI handler for ``POST /slack/events`` in front of Bolt's ``App.dispatch``."""

    def __init__(
        self,
        app: App,
        signing_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        refusals: RefusalLog | None = None,
    ) -> None:
        self.app = app
        self.secret = signing_secret.encode()
        self.clock = clock
        self.refusals = refusals or RefusalLog()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = read_body(environ)
            verify(environ, body, self.secret, self.clock())
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise Refused(400, "the body is not UTF-8") from None
            request = WsgiHttpRequest(environ)
            content_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip() or None
            try:
                parse_payload(text, content_type)
                bolt_request = BoltRequest(
                    body=text, query=request.query_string, headers=request.get_headers()
                )
            except NotSlackPayload as error:
                raise Refused(400, str(error)) from None
            except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
                raise Refused(400, f"unexpected payload shape ({type(error).__name__})") from None
        except Refused as refusal:
            self.refusals.refused(refusal.status, refusal.reason)
            return _answer(start_response, refusal.status, refusal.reason)
        try:
            bolt_response = self.app.dispatch(bolt_request)
        except Exception as error:
            # Bolt hands listener errors to @app.error; this is the net under Bolt itself.
            log.error("Bolt could not dispatch a verified request: %s", type(error).__name__)
            log.debug("dispatch failure", exc_info=error)
            return _answer(start_response, 400, "the request could not be handled")
        response = WsgiHttpResponse(
            status=bolt_response.status, headers=bolt_response.headers, body=bolt_response.body
        )
        start_response(response.status, response.get_headers())
        return response.get_body()
