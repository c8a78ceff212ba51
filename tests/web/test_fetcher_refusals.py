"""URLs the safe fetcher must refuse before any socket connects (DESIGN section 10).

Every test runs with ``ConnectionSpy`` installed: a connect to any address is
recorded and refused, so "no connection was attempted" is asserted, not hoped.
Names are answered by ``FakeResolver``; no test needs DNS or the internet.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import FetchRefused
from bot.web.addresses import UnresolvableHost, UnsafeAddress
from bot.web.fetcher import FetchFailed, FetchTimedOut, SafeFetcher, UnsafeUrl

from . import ConnectionSpy, FakeResolver

PUBLIC = "93.184.216.34"  # never actually reached: the spy refuses every connect here


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ConnectionSpy:
    connections = ConnectionSpy()
    connections.install(monkeypatch)
    return connections


PRIVATE_LITERALS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://017700000001/",
    "http://127.0.0.1./",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://[2002:a00:1::1]/",  # 6to4-wrapped 10.0.0.1
    "http://[2002:a9fe:a9fe::1]/",  # 6to4-wrapped 169.254.169.254
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo-wrapped 10.0.0.1
    "https://10.0.0.1/",
]


@pytest.mark.parametrize("url", PRIVATE_LITERALS)
def test_private_ip_literal_is_refused_without_lookup_or_connection(
    url: str, spy: ConnectionSpy
) -> None:
    resolver = FakeResolver({})
    with pytest.raises(UnsafeAddress):
        SafeFetcher(resolver=resolver).fetch(url)
    assert resolver.calls == []
    assert spy.attempts == []


LOOPBACK_LITERALS = {
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://017700000001/",
    "http://127.0.0.1./",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
}


@pytest.mark.parametrize("url", [url for url in PRIVATE_LITERALS if url not in LOOPBACK_LITERALS])
def test_allow_loopback_still_refuses_every_other_private_address(
    url: str, spy: ConnectionSpy
) -> None:
    with pytest.raises(UnsafeAddress):
        SafeFetcher(resolver=FakeResolver({}), allow_loopback=True).fetch(url)
    assert spy.attempts == []


@pytest.mark.parametrize(
    "answer",
    [
        ["10.1.2.3"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["100.64.3.4"],
        ["::1"],
        ["::ffff:10.0.0.1"],
        ["64:ff9b::a9fe:a9fe"],
        ["fe80::1%2"],
    ],
)
def test_name_resolving_to_a_private_address_is_refused(
    answer: list[str], spy: ConnectionSpy
) -> None:
    resolver = FakeResolver({"intranet.example": answer})
    with pytest.raises(UnsafeAddress):
        SafeFetcher(resolver=resolver).fetch("https://intranet.example/admin")
    assert resolver.calls == ["intranet.example"]
    assert spy.attempts == []


def test_name_with_one_public_and_one_private_address_is_refused(spy: ConnectionSpy) -> None:
    resolver = FakeResolver({"mixed.example": [PUBLIC, "10.0.0.7"]})
    with pytest.raises(UnsafeAddress):
        SafeFetcher(resolver=resolver).fetch("http://mixed.example/")
    assert spy.attempts == []


def test_default_fetcher_never_allows_loopback_names(spy: ConnectionSpy) -> None:
    resolver = FakeResolver({"localhost": ["127.0.0.1", "::1"]})
    with pytest.raises(UnsafeAddress):
        SafeFetcher(resolver=resolver).fetch("http://localhost/")
    assert spy.attempts == []


def test_rebinding_name_connects_only_to_the_checked_first_answer(spy: ConnectionSpy) -> None:
    """Public on the first lookup, private on the second: there is no second lookup.

    The spy refuses the (fake) public address, so the fetch fails as
    unreachable; what matters is where it tried to go, and how often it asked DNS.
    """
    resolver = FakeResolver({"rebind.example": [PUBLIC]}, later={"rebind.example": ["10.0.0.1"]})
    with pytest.raises(FetchFailed, match="could not be reached"):
        SafeFetcher(resolver=resolver).fetch("http://rebind.example/")
    assert resolver.calls == ["rebind.example"]
    assert spy.attempts == [PUBLIC]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file.html",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "http://example.com:8080/",
        "https://example.com:8443/",
        "http://example.com:22/",
        "http://user:secret@example.com/",
        "http://0177.0.0.1/",  # httpx rejects leading-zero dotted quads outright
        "http:///nohost",
        "not a url",
        "http://example.com/" + "a" * 2100,
    ],
)
def test_bad_scheme_port_or_shape_is_refused_before_lookup(url: str, spy: ConnectionSpy) -> None:
    resolver = FakeResolver({"example.com": [PUBLIC]})
    with pytest.raises(UnsafeUrl):
        SafeFetcher(resolver=resolver).fetch(url)
    assert resolver.calls == []
    assert spy.attempts == []


def test_unknown_host_is_a_clear_refusal(spy: ConnectionSpy) -> None:
    with pytest.raises(UnresolvableHost, match="could not be found"):
        SafeFetcher(resolver=FakeResolver({})).fetch("http://no-such-host.example/")
    assert spy.attempts == []


def test_slow_dns_is_cut_at_the_total_deadline(spy: ConnectionSpy) -> None:
    release = threading.Event()

    def stuck_resolver(host: str, port: int) -> list[str]:
        release.wait(5)
        return [PUBLIC]

    try:
        with pytest.raises(FetchTimedOut):
            SafeFetcher(resolver=stuck_resolver, timeout=0.3).fetch("http://slow-dns.example/")
    finally:
        release.set()
    assert spy.attempts == []


def test_refusal_reasons_are_one_line_and_hide_internals(spy: ConnectionSpy) -> None:
    resolver = FakeResolver({"intranet.example": ["10.20.30.40"]})
    with pytest.raises(FetchRefused) as refused:
        SafeFetcher(resolver=resolver).fetch("http://intranet.example/")
    reason = str(refused.value)
    assert "\n" not in reason
    assert "10.20.30.40" not in reason
    assert "intranet.example" in reason


HOSTS = st.sampled_from(
    ["127.1", "0x7f000001", "[::1]", "10.0.0.1", "169.254.169.254", "[fe80::1]", "intranet.example"]
)


@settings(max_examples=150, deadline=None)
@given(
    url=st.one_of(
        st.text(max_size=60),
        st.builds(
            "{}://{}{}{}".format,
            st.sampled_from(["http", "https", "HTTP", "ftp", "file", "ws"]),
            HOSTS,
            st.sampled_from(["", ":80", ":443", ":8080", ":0", ":99999"]),
            st.text(max_size=20),
        ),
    )
)
def test_any_input_is_refused_with_a_fetch_refusal_and_never_connects_anywhere(url: str) -> None:
    """Fuzzed URLs aimed at private hosts: only FetchRefused escapes, and no socket connects."""
    connections = ConnectionSpy()
    with pytest.MonkeyPatch.context() as monkeypatch:
        connections.install(monkeypatch)
        resolver = FakeResolver({"intranet.example": ["10.0.0.9"]})
        with pytest.raises(FetchRefused):
            SafeFetcher(resolver=resolver).fetch(url)
    assert connections.attempts == []
