"""Shared test doubles for the safe fetcher: a fake resolver, a socket spy, a local server.

None of them touch the network beyond loopback: names are answered by
``FakeResolver``, and ``ConnectionSpy`` refuses (and records) every connect to
an address a test has not explicitly allowed.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeResolver:
    """Answers names from a table and counts calls; ``later`` answers from the 2nd call on.

    ``later`` models DNS rebinding: a name that is public when checked and
    private a moment later.
    """

    def __init__(
        self, answers: dict[str, list[str]], later: dict[str, list[str]] | None = None
    ) -> None:
        self._answers = answers
        self._later = later or {}
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        first_call = host not in self.calls
        self.calls.append(host)
        table = self._answers if first_call or host not in self._later else self._later
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(table[host])


class ConnectionSpy:
    """Records every ``socket.connect`` target; refuses those a test did not allow."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.allowed: set[str] = set()

    def install(self, monkeypatch: Any) -> None:
        real_connect = socket.socket.connect
        spy = self

        def connect(sock: socket.socket, address: Any) -> None:
            host = str(address[0])
            spy.attempts.append(host)
            if host not in spy.allowed:
                raise ConnectionRefusedError(f"test spy refused a connection to {host}")
            real_connect(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)


Route = Callable[[BaseHTTPRequestHandler], None]


class StoppableServer(ThreadingHTTPServer):
    """``stop`` tells long-running (trickling) handlers to give up when the test ends."""

    stop: threading.Event


def should_stop(handler: BaseHTTPRequestHandler) -> bool:
    server = handler.server
    return isinstance(server, StoppableServer) and server.stop.is_set()


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 whose paths are plain functions of the handler."""

    def __init__(self, routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> None:
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    send(self, 404, b"<h1>not found</h1>")
                else:
                    route(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = StoppableServer(("127.0.0.1", 0), Handler)
        self.httpd.stop = self.stop
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = int(self.httpd.server_address[1])
        self.scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str, host: str = "public.example") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    """Answer with a complete response (Content-Length set)."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        send(handler, status, b"", headers={"Location": location})

    return route


@contextmanager
def serving(routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    with LocalServer(routes, tls) as server:
        yield server
