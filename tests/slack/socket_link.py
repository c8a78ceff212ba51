"""Slack's end of a Socket Mode connection, on loopback, for ``linkgap serve`` to connect to.

Shaped after Slack's published protocol (docs.slack.dev, "Using Socket Mode"):
``apps.connections.open`` hands out a WebSocket URL (the stand-in answers it);
on connect Slack sends a ``hello``; then each request arrives as an envelope
``{"payload", "envelope_id", "type", "accepts_response_payload"}`` (events
also carry ``retry_attempt`` and ``retry_reason``), and the app acknowledges
it with ``{"envelope_id", "payload"?}`` on the same socket. Slack retries what
is not acknowledged within 3 seconds.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

HELLO = {
    "type": "hello",
    "connection_info": {"app_id": "A0STANDIN"},
    "num_connections": 1,
    "debug_info": {
        "host": "applink-standin",
        "started": "2026-12-06 12:12:12.120",
        "build_number": 54,
        "approximate_connection_time": 3600,
    },
}


@dataclass(frozen=True)
class Ack:
    """What the app sent back for one envelope, and how long after it was sent."""

    seconds: float
    body: dict[str, Any]


class SocketLink:
    """A WebSocket server speaking Slack's side of Socket Mode to one app connection."""

    def __init__(self) -> None:
        self._server: Server = serve(self._connected, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._connection: ServerConnection | None = None
        self.connected = threading.Event()
        self._sent: dict[str, float] = {}
        self._acks: dict[str, Ack] = {}
        self._acked = threading.Condition()
        self.received: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}"

    def __enter__(self) -> SocketLink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)

    def _connected(self, connection: ServerConnection) -> None:
        self._connection = connection
        connection.send(json.dumps(HELLO))
        self.connected.set()
        try:
            for message in connection:
                self._received(json.loads(message))
        except ConnectionClosed:  # the app went away (stopped, or killed by the test)
            return

    def _received(self, body: dict[str, Any]) -> None:
        self.received.append(body)
        envelope_id = str(body.get("envelope_id", ""))
        with self._acked:
            sent = self._sent.get(envelope_id)
            if sent is not None:
                self._acks[envelope_id] = Ack(time.monotonic() - sent, body)
                self._acked.notify_all()

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool) -> str:
        """Deliver one envelope; returns its ``envelope_id``."""
        assert self._connection is not None, "no app is connected"
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "payload": payload,
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        with self._acked:
            self._sent[envelope_id] = time.monotonic()
        self._connection.send(json.dumps(envelope))
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 10.0) -> Ack:
        """The app's acknowledgement of the envelope (fails the test if none comes)."""
        with self._acked:
            if not self._acked.wait_for(lambda: envelope_id in self._acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was not acknowledged in {timeout} s")
            return self._acks[envelope_id]
