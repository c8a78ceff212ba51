"""The IP checks on their own: canonical literals, unwrapped IPv6 forms, the public test."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.addresses import (
    UnresolvableHost,
    UnsafeAddress,
    embedded_ipv4,
    is_public_address,
    parse_ip_literal,
    public_addresses,
)

LOOPBACK = ipaddress.IPv4Address("127.0.0.1")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0xa9.0376.43518", "169.254.169.254"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ],
)
def test_every_accepted_ip_spelling_is_canonicalised(host: str, expected: str) -> None:
    assert parse_ip_literal(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize("host", ["example.com", "public.example", "xn--x-ega.com", "1e100.net"])
def test_names_are_not_mistaken_for_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.256.256.256.1", "08.0.0.1", "foo.123"])
def test_numeric_looking_hosts_that_do_not_parse_are_refused(host: str) -> None:
    with pytest.raises(UnresolvableHost):
        parse_ip_literal(host)


@given(value=st.integers(0, 2**32 - 1), parts=st.integers(1, 4), radix=st.sampled_from("dxo"))
def test_literal_parsing_agrees_with_inet_aton(value: int, parts: int, radix: str) -> None:
    """Whatever spelling we build, we read the same address the C library would connect to."""
    packed = value.to_bytes(4, "big")
    numbers = [*packed[: parts - 1], int.from_bytes(packed[parts - 1 :], "big")]
    spellings: dict[str, Callable[[int], str]] = {
        "d": str, "x": hex, "o": lambda n: "0" + format(n, "o")
    }  # fmt: skip
    spell = spellings[radix]
    host = ".".join(spell(number) for number in numbers)
    expected = ipaddress.IPv4Address(socket.inet_aton(host))
    assert parse_ip_literal(host) == expected == ipaddress.IPv4Address(value)


def test_embedded_ipv4_is_found_in_every_wrapping() -> None:
    private = ipaddress.IPv4Address("10.0.0.1")
    assert embedded_ipv4(ipaddress.IPv6Address("::ffff:10.0.0.1")) == (private,)
    assert embedded_ipv4(ipaddress.IPv6Address("64:ff9b::10.0.0.1")) == (private,)
    assert private in embedded_ipv4(ipaddress.IPv6Address("2002:a00:1::1"))
    # Teredo stores the client address inverted: 10.0.0.1 -> f5ff:fffe.
    assert private in embedded_ipv4(ipaddress.IPv6Address("2001:0:4136:e378:8000:63bf:f5ff:fffe"))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.100.100.200",  # Alibaba metadata, in 100.64/10 (not is_private)
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",  # multicast: is_global says True in Python 3.11
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "198.18.0.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fec0::1",  # site-local: is_global says True in Python 3.11
        "ff02::1",  # multicast
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::a00:1",
        "64:ff9b:1::a00:1",
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "::7f00:1",  # IPv4-compatible 127.0.0.1 (deprecated, ::/8)
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_allow_loopback_allows_loopback_and_nothing_else() -> None:
    assert is_public_address(LOOPBACK, allow_loopback=True)
    assert is_public_address(ipaddress.ip_address("::ffff:127.0.0.1"), allow_loopback=True)
    for private in ("10.0.0.1", "169.254.169.254", "192.168.1.1", "100.64.0.1", "fc00::1"):
        assert not is_public_address(ipaddress.ip_address(private), allow_loopback=True)


def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    with pytest.raises(UnsafeAddress) as refused:
        public_addresses("mixed.example", ["93.184.216.34", "10.0.0.1"])
    assert "10.0.0.1" not in str(refused.value), "the reason must not map the internal network"


def test_resolver_answers_that_are_not_addresses_are_refused() -> None:
    with pytest.raises(UnresolvableHost):
        public_addresses("odd.example", ["not-an-ip"])
    with pytest.raises(UnresolvableHost):
        public_addresses("empty.example", [])
