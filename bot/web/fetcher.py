"""The one safe way to fetch a user-supplied URL (DESIGN section 10).

Every hop (the first request and each redirect) is checked before any socket
opens: http/https, ports 80/443, no credentials, and a host that is, or
resolves once to, public addresses only. The connection then goes to exactly
those checked addresses: the httpcore network backend below never resolves a
name, so a DNS answer that changes between check and connect (rebinding) has
nothing to change. The URL keeps its host name, so the Host header, TLS SNI
and certificate verification all use the name the user gave.

One deadline covers the whole fetch (DNS, connect, TLS, every redirect, the
body): each socket operation may only wait for what is left of it, so a server
trickling a byte at a time is cut off on time. The body is decoded here, with
a bound on output per step, so a gzip bomb stops at the decoded-byte cap.
"""

from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import httpcore
import httpx

from bot import __version__
from bot.errors import FetchRefused
from bot.gap.urls import MAX_URL_LENGTH
from bot.web.addresses import (
    IPAddress,
    Resolver,
    UnresolvableHost,
    check_literal,
    public_addresses,
    system_resolver,
)
from bot.web.html import decode_html

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_PORTS = frozenset({80, 443})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
USER_AGENT = f"Mozilla/5.0 (compatible; linkgap/{__version__}; SEO page audit and link vetting)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_KEPT_HEADERS = ("content-type", "content-language", "last-modified", "x-robots-tag")


class UnsafeUrl(FetchRefused):
    """The URL itself may not be fetched: scheme, port, credentials or length."""


class FetchTimedOut(FetchRefused):
    """The whole fetch, redirects and body included, took longer than the deadline."""


class FetchTooLarge(FetchRefused):
    """The decoded body grew past the byte cap."""


class NotHtml(FetchRefused):
    """The answer is not an HTML page (content type outside the allow-list)."""


class FetchFailed(FetchRefused):
    """The site could not be reached or did not answer with a usable page."""


class PageGone(FetchFailed):
    """The site answered that the page does not exist (HTTP 404 or 410): its links are gone."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched HTML page: what the audit and topical-fit checks need, nothing more."""

    url: str
    status: int
    content_type: str
    text: str
    elapsed: float
    #: URLs that answered with a redirect on the way to ``url``, in order.
    redirects: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """A fetched non-page resource (robots.txt, a sitemap): its final URL, type and bytes."""

    url: str
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class _Answer:
    url: str
    status: int
    content_type: str
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...]
    elapsed: float


class PageFetcher(Protocol):
    """What the audit and vetting need from a fetcher (tests pass fakes)."""

    def fetch(self, url: str) -> FetchedPage: ...


@runtime_checkable
class SiteFetcher(PageFetcher, Protocol):
    """What a crawl of a whole site needs: pages, and robots.txt and sitemaps as files."""

    def fetch_file(self, url: str, types: frozenset[str]) -> FetchedFile: ...


class _Deadline:
    """Seconds left of the whole fetch; every blocking call waits at most this long."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self, wanted: float | None = None) -> float:
        left = self._end - time.monotonic()
        return left if wanted is None else min(wanted, left)

    def expired(self) -> bool:
        return self.left() <= 0


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.ReadTimeout("deadline")
        return self._inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.WriteTimeout("deadline")
        self._inner.write(buffer, left)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(timeout)
        if left <= 0:
            raise httpcore.ConnectTimeout("deadline")
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects a (host, port) only to the addresses checked for it; never resolves a name."""

    def __init__(self, deadline: _Deadline) -> None:
        self._deadline = deadline
        self._sockets = httpcore.SyncBackend()
        self._pins: dict[tuple[str, int], tuple[IPAddress, ...]] = {}

    def pin(self, host: str, port: int, addresses: tuple[IPAddress, ...]) -> None:
        self._pins[(host, port)] = addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host, port))
        if not addresses:  # Unreachable through SafeFetcher; refuse rather than resolve.
            raise httpcore.ConnectError("no checked address for this host")
        error: Exception = httpcore.ConnectError("no address")
        for address in addresses:
            left = self._deadline.left(timeout)
            if left <= 0:
                raise httpcore.ConnectTimeout("deadline")
            try:
                stream = self._sockets.connect_tcp(
                    str(address), port, timeout=left, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error


class _PinnedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that uses the pinned backend, HTTP/1.1 only."""

    def __init__(self, backend: _PinnedBackend, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=1,
            max_keepalive_connections=0,  # a new, freshly pinned connection per hop
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.content,
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _CoreStream(httpx.SyncByteStream):
    """The httpcore body as an httpx stream; closing it closes the (never reused) connection."""

    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class _CappedDecoder:
    """Undo Content-Encoding with bounded output per step; refuse past ``cap`` decoded bytes."""

    def __init__(self, encoding: str, cap: int) -> None:
        self._cap = cap
        self.total = 0
        coding = encoding.strip().lower()
        self._zlib: Any = None
        # Servers send 'deflate' both with and without the zlib header; try both.
        self._raw_deflate_fallback = coding == "deflate"
        if coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj()
        elif coding not in ("", "identity"):
            raise FetchFailed(f"The page used an unsupported content encoding ({coding[:40]}).")

    def feed(self, chunk: bytes) -> bytes:
        if self._zlib is None:
            return self._count(chunk)
        pieces: list[bytes] = []
        data = chunk
        while data:
            try:
                out = self._zlib.decompress(data, self._cap - self.total + 1)
            except zlib.error:
                if not self._raw_deflate_fallback:
                    raise FetchFailed("The page's compressed body is corrupt.") from None
                self._raw_deflate_fallback = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_deflate_fallback = False
            pieces.append(self._count(out))
            data = self._zlib.unconsumed_tail
        return b"".join(pieces)

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self._cap:
            raise FetchTooLarge(f"The page is larger than {self._cap // 1024} KB; it was cut off.")
        return data


def gunzip_capped(body: bytes, cap: int) -> bytes:
    """Decompress a gzip file (a ``.xml.gz`` sitemap) with the fetcher's bound on output.

    A small file that inflates past ``cap`` bytes (a gzip bomb) raises ``FetchTooLarge``.
    """
    return _CappedDecoder("gzip", cap).feed(body)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class SafeFetcher:
    """Fetches user-supplied http(s) URLs without letting them reach private networks.

    Stateless between fetches and safe to share across threads: each ``fetch``
    builds its own client and pins, so nothing one URL resolved is reused for
    another. ``allow_loopback`` and ``allowed_ports`` exist for tests that run
    their own local servers; production code keeps the defaults.

    ``transport`` answers requests inside the process instead of the network (the
    demo's sample web): every URL, redirect, status, content-type, size and
    decoding check still applies; only the address lookup and the pinned sockets,
    which exist to guard real connections, are not used (an address literal such as
    a private IP is still refused).
    """

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        allow_loopback: bool = False,
        allowed_ports: frozenset[int] = DEFAULT_PORTS,
        ssl_context: ssl.SSLContext | None = None,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._transport = transport
        self._resolver = resolver
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._allow_loopback = allow_loopback
        self._allowed_ports = allowed_ports
        self._ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
        self._headers = {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }

    def fetch(self, url: str) -> FetchedPage:
        """Fetch one HTML page, following at most ``max_redirects`` checked redirects.

        Raises ``FetchRefused`` (or a subclass) with a one-line reason fit for
        the user; never an httpx/httpcore/socket error.
        """
        answer = self._fetch(url, HTML_TYPES)
        return FetchedPage(
            url=answer.url,
            status=answer.status,
            content_type=_media_type(answer.content_type),
            text=decode_html(answer.body, answer.content_type),
            elapsed=answer.elapsed,
            redirects=answer.redirects,
            headers=answer.headers,
        )

    def fetch_file(self, url: str, types: frozenset[str]) -> FetchedFile:
        """Fetch a non-page resource of one of ``types`` (``robots.txt``, a sitemap) as bytes.

        Every check of ``fetch`` applies (URL, redirects, deadline, size cap); only the
        content types allowed differ, so a crawl reads robots.txt and XML or gzip sitemaps
        through the same guarded path as pages.
        """
        answer = self._fetch(url, types)
        return FetchedFile(
            url=answer.url, content_type=_media_type(answer.content_type), body=answer.body
        )

    def _fetch(self, url: str, types: frozenset[str]) -> _Answer:
        deadline = _Deadline(self._timeout)
        current = self._check_url(url)
        backend = _PinnedBackend(deadline)
        redirects: list[str] = []
        checked: dict[str, tuple[IPAddress, ...]] = {}
        with httpx.Client(
            transport=self._transport or _PinnedTransport(backend, self._ssl_context),
            trust_env=False,  # no proxies, no .netrc credentials, no env CA overrides
            follow_redirects=False,
            headers=self._headers,
            timeout=self._timeout,
        ) as client:
            while True:
                host = current.raw_host.decode("ascii")
                if self._transport is None:  # a real connection: check and pin its addresses
                    if host not in checked:
                        checked[host] = self._addresses(host, self._port(current), deadline)
                    backend.pin(host, self._port(current), checked[host])
                else:  # no lookup in the process, but an address literal is still judged
                    check_literal(host, allow_loopback=self._allow_loopback)
                page_or_next = self._request(client, current, deadline, types)
                if isinstance(page_or_next, httpx.URL):
                    redirects.append(str(current))
                    if len(redirects) > self._max_redirects:
                        raise FetchFailed(
                            f"The page redirected more than {self._max_redirects} times."
                        )
                    current = page_or_next
                    continue
                status, content_type, headers, body = page_or_next
                return _Answer(
                    url=str(current),
                    status=status,
                    content_type=content_type,
                    headers=headers,
                    body=body,
                    redirects=tuple(redirects),
                    elapsed=deadline.seconds - deadline.left(),
                )

    def _check_url(self, url: str, *, what: str = "The URL") -> httpx.URL:
        """Scheme, credentials, host and port rules, applied to the first URL and every redirect."""
        if len(url) > MAX_URL_LENGTH:
            raise UnsafeUrl(f"{what} is longer than {MAX_URL_LENGTH} characters.")
        try:
            parsed = httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError, ValueError):
            raise UnsafeUrl(f"{what} is not a valid web address.") from None
        if parsed.scheme not in ("http", "https"):
            raise UnsafeUrl(f"{what} must start with http:// or https://.")
        if parsed.userinfo:
            raise UnsafeUrl(f"{what} must not contain a user name or password.")
        if not parsed.raw_host:
            raise UnsafeUrl(f"{what} has no host name.")
        if self._port(parsed) not in self._allowed_ports:
            allowed = " and ".join(str(port) for port in sorted(self._allowed_ports))
            raise UnsafeUrl(
                f"{what} uses port {self._port(parsed)}; only ports {allowed} are allowed."
            )
        return parsed

    @staticmethod
    def _port(url: httpx.URL) -> int:
        return url.port or (443 if url.scheme == "https" else 80)

    def _addresses(self, host: str, port: int, deadline: _Deadline) -> tuple[IPAddress, ...]:
        """The checked addresses for ``host``: the literal itself, or ONE resolver call."""
        literal = check_literal(host, allow_loopback=self._allow_loopback)
        if literal is not None:
            return (literal,)
        answer: list[str] = []
        failure: list[BaseException] = []

        def resolve() -> None:
            try:
                answer.extend(self._resolver(host, port))
            except Exception as exc:  # reported below as a plain "cannot resolve"
                failure.append(exc)

        # getaddrinfo cannot be interrupted; a daemon thread lets the deadline
        # hold even against a deliberately slow DNS server.
        worker = threading.Thread(target=resolve, name="linkgap-resolve", daemon=True)
        worker.start()
        worker.join(max(deadline.left(), 0))
        if worker.is_alive():
            raise FetchTimedOut(f"Looking up {host} took longer than {deadline.seconds:g} s.")
        if failure:
            raise UnresolvableHost(f"{host} could not be found (DNS lookup failed).")
        return public_addresses(host, answer, allow_loopback=self._allow_loopback)

    def _request(
        self, client: httpx.Client, url: httpx.URL, deadline: _Deadline, types: frozenset[str]
    ) -> httpx.URL | tuple[int, str, dict[str, str], bytes]:
        """One hop: the next URL to check when it redirects, else the final answer's parts."""
        try:
            with client.stream("GET", url) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    location = response.headers["location"]
                    try:
                        target = str(url.join(location))
                    except (httpx.InvalidURL, TypeError, ValueError):
                        raise FetchFailed("The page redirected to an invalid address.") from None
                    return self._check_url(target, what="The redirect target")
                if response.status_code in (404, 410):
                    raise PageGone(f"The page answered HTTP {response.status_code}.")
                if not 200 <= response.status_code < 300:
                    raise FetchFailed(f"The page answered HTTP {response.status_code}.")
                content_type = response.headers.get("content-type", "")
                if _media_type(content_type) not in types:
                    shown = _media_type(content_type)[:60] or "no content type"
                    if types is HTML_TYPES:
                        raise NotHtml(f"The address is not an HTML page ({shown}).")
                    raise NotHtml(f"The address answered an unexpected content type ({shown}).")
                body = self._read_body(response, deadline)
                kept = {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers}
                return response.status_code, content_type, kept, body
        except httpcore.TimeoutException:
            raise FetchTimedOut(
                f"The page took longer than {deadline.seconds:g} s to load; it was cut off."
            ) from None
        except (httpcore.NetworkError, OSError) as exc:
            if isinstance(exc, ssl.SSLError) or isinstance(exc.__context__, ssl.SSLError):
                raise FetchFailed(f"{url.host} has no valid HTTPS certificate.") from None
            raise FetchFailed(f"{url.host} could not be reached.") from None
        except (httpcore.ProtocolError, httpx.HTTPError):
            raise FetchFailed(f"{url.host} sent an answer that is not valid HTTP.") from None

    def _read_body(self, response: httpx.Response, deadline: _Deadline) -> bytes:
        """The decoded body, refused past the byte cap or the deadline, whichever comes first."""
        encodings = response.headers.get_list("content-encoding", split_commas=True)
        if len(encodings) > 1:
            raise FetchFailed("The page used stacked content encodings.")
        decoder = _CappedDecoder(encodings[0] if encodings else "", self._max_bytes)
        body = bytearray()
        for chunk in response.iter_raw():
            body += decoder.feed(chunk)
            if deadline.expired():
                raise httpcore.ReadTimeout("deadline")
        return bytes(body)
