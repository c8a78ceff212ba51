"""The safe fetcher against real servers on loopback (explicitly allowed, as only tests may).

A fake public name (``public.example``) resolves to 127.0.0.1 through
``FakeResolver``; ``allowed_ports`` admits the server's random port. The
``ConnectionSpy`` lets connections reach 127.0.0.1 only and records them all,
so each test also proves where the fetcher connected.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import ssl
import subprocess
import time
import zlib
from http.server import BaseHTTPRequestHandler

import pytest

from bot.web import fetcher as fetcher_module
from bot.web.addresses import UnsafeAddress
from bot.web.fetcher import (
    FetchedPage,
    FetchFailed,
    FetchTimedOut,
    FetchTooLarge,
    NotHtml,
    PageGone,
    SafeFetcher,
    UnsafeUrl,
)

from . import ConnectionSpy, FakeResolver, LocalServer, Route, redirect, send, serving, should_stop

PAGE = b"<html><head><title>Trail shoes</title></head><body><h1>Trail shoes</h1></body></html>"


def local_fetcher(
    server: LocalServer, resolver: FakeResolver | None = None, **options: object
) -> SafeFetcher:
    resolver = resolver or FakeResolver(
        {"public.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]}
    )
    return SafeFetcher(
        resolver=resolver,
        allow_loopback=True,
        allowed_ports=frozenset({server.port}),
        **options,  # type: ignore[arg-type]
    )


def page(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, PAGE)


def test_fetch_keeps_host_header_and_path_while_connecting_to_the_checked_ip(
    spy: ConnectionSpy,
) -> None:
    with serving({"/shoes/trail": page}) as server:
        result = local_fetcher(server).fetch(server.url("/shoes/trail?colour=red&size=42"))
    assert isinstance(result, FetchedPage)
    assert result.status == 200
    assert result.content_type == "text/html"
    assert "<h1>Trail shoes</h1>" in result.text
    assert result.url == server.url("/shoes/trail?colour=red&size=42")
    path, headers = server.requests[0]
    assert path == "/shoes/trail?colour=red&size=42"
    assert headers["Host"] == f"public.example:{server.port}"
    assert "linkgap" in headers["User-Agent"]
    assert "br" not in headers["Accept-Encoding"]
    assert spy.attempts == ["127.0.0.1"]


def test_proxy_environment_variables_are_ignored(
    spy: ConnectionSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    with serving({"/": page}) as server:
        assert local_fetcher(server).fetch(server.url("/")).status == 200
    assert spy.attempts == ["127.0.0.1"]


def test_rebinding_name_is_resolved_once_and_connected_at_the_first_answer(
    spy: ConnectionSpy,
) -> None:
    resolver = FakeResolver(
        {"public.example": ["127.0.0.1"]}, later={"public.example": ["10.0.0.1"]}
    )
    routes = {"/start": redirect("/final"), "/final": page}
    with serving(routes) as server:
        result = local_fetcher(server, resolver).fetch(server.url("/start"))
    assert result.url == server.url("/final")
    assert resolver.calls == ["public.example"]
    assert spy.attempts == ["127.0.0.1", "127.0.0.1"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_name_is_followed_after_checking_it(
    status: int, spy: ConnectionSpy
) -> None:
    resolver = FakeResolver({"public.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    with serving({"/final": page}) as server:
        server.routes["/start"] = redirect(server.url("/final", host="other.example"), status)
        result = local_fetcher(server, resolver).fetch(server.url("/start"))
    assert result.url == server.url("/final", host="other.example")
    assert result.redirects == (server.url("/start"),)
    assert resolver.calls == ["public.example", "other.example"]
    assert server.requests[1][1]["Host"] == f"other.example:{server.port}"


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://10.0.0.1/",
        "http://intranet.example/",  # resolves to 10.0.0.5
    ],
)
def test_redirect_from_public_to_private_address_is_refused_before_connecting(
    location: str, spy: ConnectionSpy
) -> None:
    resolver = FakeResolver({"public.example": ["127.0.0.1"], "intranet.example": ["10.0.0.5"]})
    with serving({"/start": redirect(location)}) as server:
        fetcher = SafeFetcher(
            resolver=resolver, allow_loopback=True, allowed_ports=frozenset({80, server.port})
        )
        with pytest.raises(UnsafeAddress):
            fetcher.fetch(server.url("/start"))
    assert spy.attempts == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("location", "reason"),
    [("file:///etc/passwd", "http"), ("ftp://public.example/x", "http"), ("/x", None)],
)
def test_redirect_to_a_bad_scheme_or_port_is_refused(
    location: str, reason: str | None, spy: ConnectionSpy
) -> None:
    with serving({}) as server:
        # A relative location on this port is fine; the same path on :8080 is not.
        target = location if reason else f"http://public.example:8080{location}"
        server.routes["/start"] = redirect(target)
        with pytest.raises(UnsafeUrl):
            local_fetcher(server).fetch(server.url("/start"))
    assert spy.attempts == ["127.0.0.1"]


def test_five_redirects_are_followed_and_the_sixth_is_refused(spy: ConnectionSpy) -> None:
    routes = {f"/hop/{n}": redirect(f"/hop/{n + 1}") for n in range(10)}
    with serving(routes) as server:
        server.routes["/hop/5"] = page
        five = local_fetcher(server).fetch(server.url("/hop/0"))
        assert five.url == server.url("/hop/5")
        assert len(five.redirects) == 5
        server.requests.clear()
        server.routes["/hop/5"] = redirect("/hop/6")
        with pytest.raises(FetchFailed, match="more than 5 times"):
            local_fetcher(server).fetch(server.url("/hop/0"))
        assert [path for path, _ in server.requests] == [f"/hop/{n}" for n in range(6)]


def trickle_body(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(100):
        if should_stop(handler):
            return
        try:
            handler.wfile.write(b"x")
        except OSError:
            return
        time.sleep(0.1)


def trickle_headers(handler: BaseHTTPRequestHandler) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 100:
        if should_stop(handler):
            return
        try:
            handler.wfile.write(bytes([byte]))
        except OSError:
            return
        time.sleep(0.1)


@pytest.mark.parametrize("route", [trickle_body, trickle_headers])
def test_trickling_server_is_cut_at_the_total_deadline(route: Route, spy: ConnectionSpy) -> None:
    with serving({"/slow": route}) as server:
        started = time.monotonic()
        with pytest.raises(FetchTimedOut):
            local_fetcher(server, timeout=1.0).fetch(server.url("/slow"))
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.5


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class CountingZlib:
    """Stands in for the zlib module inside the fetcher and counts every decoded byte."""

    MAX_WBITS = zlib.MAX_WBITS
    error = zlib.error

    def __init__(self) -> None:
        self.produced = 0

    def decompressobj(self, wbits: int = zlib.MAX_WBITS) -> object:
        inner = zlib.decompressobj(wbits)
        counter = self

        class Counting:
            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = inner.decompress(data, max_length)
                counter.produced += len(out)
                return out

            @property
            def unconsumed_tail(self) -> bytes:
                return inner.unconsumed_tail

        return Counting()


def test_gzip_bomb_stops_at_the_decoded_byte_cap(
    gzip_bomb: bytes, spy: ConnectionSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingZlib()
    monkeypatch.setattr(fetcher_module, "zlib", counting)

    def bomb(handler: BaseHTTPRequestHandler) -> None:
        with contextlib.suppress(OSError):  # the fetcher hangs up early, which is the point
            send(handler, 200, gzip_bomb, headers={"Content-Encoding": "gzip"})

    cap = 2 * 1024 * 1024
    with serving({"/bomb": bomb}) as server, pytest.raises(FetchTooLarge):
        local_fetcher(server).fetch(server.url("/bomb"))
    assert cap < counting.produced <= cap + 1  # 64 MB on offer, the cap plus one byte inflated


def test_plain_body_over_the_cap_is_refused(spy: ConnectionSpy) -> None:
    route = {"/big": lambda h: send(h, 200, b"<p>" + b"a" * 5000)}
    with serving(route) as server, pytest.raises(FetchTooLarge):
        local_fetcher(server, max_bytes=1000).fetch(server.url("/big"))


@pytest.mark.parametrize(
    "compress",
    [gzip.compress, zlib.compress, lambda data: zlib.compress(data)[2:-4]],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
def test_compressed_pages_are_decoded(compress: object, spy: ConnectionSpy) -> None:
    encoding = "gzip" if compress is gzip.compress else "deflate"
    body = compress(PAGE)  # type: ignore[operator]
    route = {"/z": lambda h: send(h, 200, body, headers={"Content-Encoding": encoding})}
    with serving(route) as server:
        assert local_fetcher(server).fetch(server.url("/z")).text == PAGE.decode()


def test_unrequested_content_encoding_is_refused(spy: ConnectionSpy) -> None:
    route = {"/br": lambda h: send(h, 200, b"\x1b\x00", headers={"Content-Encoding": "br"})}
    with serving(route) as server, pytest.raises(FetchFailed, match="content encoding"):
        local_fetcher(server).fetch(server.url("/br"))


@pytest.mark.parametrize(
    "content_type", ["application/json", "image/png", "text/plain", "application/pdf", ""]
)
def test_non_html_content_type_is_refused(content_type: str, spy: ConnectionSpy) -> None:
    route = {"/data": lambda h: send(h, 200, b"{}", content_type=content_type)}
    with serving(route) as server, pytest.raises(NotHtml):
        local_fetcher(server).fetch(server.url("/data"))


def test_xhtml_is_accepted_and_charset_honoured(spy: ConnectionSpy) -> None:
    body = "<html><title>Café crème</title></html>".encode("latin-1")
    route = {"/x": lambda h: send(h, 200, body, "application/xhtml+xml; charset=ISO-8859-1")}
    with serving(route) as server:
        result = local_fetcher(server).fetch(server.url("/x"))
    assert "Café crème" in result.text
    assert result.content_type == "application/xhtml+xml"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_non_2xx_final_status_is_refused_with_the_status(status: int, spy: ConnectionSpy) -> None:
    route = {"/gone": lambda h: send(h, status, b"<p>no</p>")}
    with serving(route) as server, pytest.raises(FetchFailed, match=f"HTTP {status}") as caught:
        local_fetcher(server).fetch(server.url("/gone"))
    # Only "no such page" says the page and its links are gone; a 5xx is a failure to fetch.
    assert isinstance(caught.value, PageGone) == (status in (404, 410))


def test_closed_port_is_a_clear_refusal(spy: ConnectionSpy) -> None:
    with serving({}) as server:
        fetcher = local_fetcher(server)
        url = server.url("/")
    with pytest.raises(FetchFailed, match="could not be reached"):
        fetcher.fetch(url)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for ``public.example`` (needs the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=public.example",
            "-addext",
            "subjectAltName=DNS:public.example",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def tls_server_context(certificate: tuple[str, str], names: list[str]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)

    def remember_sni(sock: object, name: str | None, ctx: object) -> None:
        names.append(name or "")

    context.sni_callback = remember_sni
    return context


def test_https_sends_sni_and_verifies_the_certificate_for_the_original_name(
    certificate: tuple[str, str], spy: ConnectionSpy
) -> None:
    sni: list[str] = []
    trust = ssl.create_default_context(cafile=certificate[0])
    with serving({"/secure": page}, tls=tls_server_context(certificate, sni)) as server:
        result = local_fetcher(server, ssl_context=trust).fetch(server.url("/secure"))
    assert "<h1>Trail shoes</h1>" in result.text
    assert sni == ["public.example"]
    assert server.requests[0][1]["Host"] == f"public.example:{server.port}"
    assert spy.attempts == ["127.0.0.1"]


def test_https_certificate_for_another_name_is_refused(
    certificate: tuple[str, str], spy: ConnectionSpy
) -> None:
    """The connection goes to an IP, but the certificate must still match the name."""
    trust = ssl.create_default_context(cafile=certificate[0])
    with serving({"/secure": page}, tls=tls_server_context(certificate, [])) as server:
        fetcher = local_fetcher(server, ssl_context=trust)
        with pytest.raises(FetchFailed, match="certificate"):
            fetcher.fetch(server.url("/secure", host="other.example"))
    assert server.requests == []
