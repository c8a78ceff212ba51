"""The stand-in's HTTP face: a threaded server on loopback routing to the dispatcher.

One request per connection (HTTP/1.0), so stopping the server leaves no socket
open and pytest's ResourceWarning-as-error stays quiet.
"""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from bot.local.standin.dispatch import Dispatcher

JsonDict = dict[str, Any]
logger = logging.getLogger(__name__)


class StandInServer(ThreadingHTTPServer):
    """One thread per request; ``dispatcher`` answers them."""

    daemon_threads = True

    def __init__(self, dispatcher: Dispatcher) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.dispatcher = dispatcher


class _RequestHandler(BaseHTTPRequestHandler):
    """Routes /api/<method>, /upload/v1/<file>, /response/<hook>, /files/<id>/<name>."""

    server: StandInServer
    protocol_version = "HTTP/1.0"  # one request per connection: nothing left open at stop()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("stand-in: " + format, *args)

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        standin = self.server.dispatcher
        parts = urlsplit(self.path)
        segments = [s for s in parts.path.split("/") if s]
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = self._body()
        if len(segments) == 2 and segments[0] == "api":
            status, answer, extra = standin.handle_api(segments[1], headers, body, parts.query)
            self._send_json(status, answer, extra)
        elif len(segments) == 3 and segments[:2] == ["upload", "v1"] and self.command == "POST":
            status, text, extra = standin.handle_upload(segments[2], body)
            self._send(status, text.encode(), "text/plain; charset=utf-8", extra)
        elif len(segments) == 2 and segments[0] == "response" and self.command == "POST":
            status, answer, extra = standin.handle_response(segments[1], headers, body)
            self._send_json(status, answer, extra)
        elif len(segments) >= 2 and segments[0] == "files" and self.command == "GET":
            status, content = standin.handle_download(segments[1], headers)
            self._send(status, content, "application/octet-stream", {})
        else:
            self._send(404, b"not found", "text/plain; charset=utf-8", {})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(self, status: int, body: JsonDict, extra: dict[str, str]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", extra)

    def _send(self, status: int, content: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)
