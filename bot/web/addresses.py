"""Which IP addresses the safe fetcher may connect to, and how a host becomes addresses.

This is the SSRF wall (DESIGN section 10). A URL host is either an IP literal,
canonicalised here in every spelling a URL parser or ``inet_aton`` accepts
(``127.1``, ``0x7f000001``, ``2130706433``, ``0177.0.0.1``), or a name resolved
exactly once. Every resulting address must be public after unwrapping the IPv6
forms that carry an IPv4 address inside them (IPv4-mapped, NAT64, 6to4,
Teredo), because the kernel or a translator on the path will happily deliver
``64:ff9b::a9fe:a9fe`` to the cloud metadata service at 169.254.169.254.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence

from bot.errors import FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Turns ``(host, port)`` into IP address strings. The default asks the system
#: (``socket.getaddrinfo``); tests inject a fake so they never need real DNS.
Resolver = Callable[[str, int], Iterable[str]]

# ipaddress.is_global is not enough on its own in Python 3.11: it calls
# multicast, fec0::/10 and every ::/8 form (NAT64, IPv4-compatible) "global".
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
#: IANA "not globally reachable" blocks that Python 3.11's is_global still lets through.
_ALSO_REFUSED = (
    ipaddress.IPv4Network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.IPv4Network("192.88.99.0/24"),  # deprecated 6to4 relay anycast
)
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


class UnsafeAddress(FetchRefused):
    """The host is, or resolves to, an address that is not on the public internet."""


class UnresolvableHost(FetchRefused):
    """The host name could not be turned into any address (or is not a valid host at all)."""


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with ``socket.getaddrinfo`` (TCP only); the default resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def parse_ip_literal(host: str) -> IPAddress | None:
    """The canonical address when ``host`` is an IP literal in any accepted spelling, else None.

    Why so permissive: ``getaddrinfo('127.1')`` and browsers both treat these
    spellings as addresses, so a check that only knows dotted quads is a
    bypass. A host whose last label is numeric but does not parse is refused
    (WHATWG: such a host is an IPv4 attempt, never a name).
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    labels = text[:-1].split(".") if text.endswith(".") else text.split(".")
    if not labels or not _NUMERIC_LABEL.match(labels[-1]):
        return None
    address = _parse_inet_aton(labels)
    if address is None:
        raise UnresolvableHost(f"{host!r} is not a valid host name or IP address.")
    return address


def _parse_inet_aton(labels: Sequence[str]) -> ipaddress.IPv4Address | None:
    """IPv4 as ``inet_aton`` and the WHATWG URL parser read it: 1-4 parts, hex/octal/decimal."""
    if len(labels) > 4:
        return None
    numbers: list[int] = []
    for label in labels:
        if not _NUMERIC_LABEL.match(label):
            return None
        lowered = label.lower()
        if lowered.startswith("0x"):
            numbers.append(int(lowered[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            if any(digit in "89" for digit in label):
                return None
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    *leading, last = numbers
    if any(part > 255 for part in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, part in enumerate(leading):
        value += part << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """IPv4 addresses an IPv6 address carries (IPv4-mapped, NAT64, 6to4, Teredo server+client)."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return tuple(found)


def is_public_address(address: IPAddress, *, allow_loopback: bool = False) -> bool:
    """True when connecting to ``address`` reaches the public internet and nothing else.

    IPv4-mapped and NAT64 addresses are pure translations, so they are judged
    by the IPv4 address inside. 6to4 and Teredo must be public themselves and
    carry only public IPv4 addresses. ``allow_loopback`` exists for tests that
    talk to their own local servers; production code never passes it.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if address.ipv4_mapped is not None or address in _NAT64:
            return all(is_public_address(ip, allow_loopback=allow_loopback) for ip in inner)
        if not all(is_public_address(ip, allow_loopback=False) for ip in inner):
            return False
        if address.scope_id or address.is_site_local:
            return False
    if allow_loopback and address.is_loopback:
        return True
    if any(address in network for network in _ALSO_REFUSED):
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def public_addresses(
    host: str,
    addresses: Iterable[str],
    *,
    allow_loopback: bool = False,
) -> tuple[IPAddress, ...]:
    """Parse resolver output and refuse the whole host if ANY address is not public.

    All addresses, not just the first: a name with one public and one private
    record would otherwise reach the private one whenever the public one fails.
    """
    parsed: list[IPAddress] = []
    for text in addresses:
        try:
            parsed.append(ipaddress.ip_address(text))
        except ValueError:
            raise UnresolvableHost(f"{host} did not resolve to a usable address.") from None
    if not parsed:
        raise UnresolvableHost(f"{host} did not resolve to any address.")
    if not all(is_public_address(ip, allow_loopback=allow_loopback) for ip in parsed):
        raise UnsafeAddress(
            f"{host} points to a private or reserved network address; only public "
            "web pages can be fetched."
        )
    return tuple(dict.fromkeys(parsed))


def check_literal(host: str, *, allow_loopback: bool = False) -> IPAddress | None:
    """The checked address when ``host`` is an IP literal, None when it is a name to resolve."""
    literal = parse_ip_literal(host)
    if literal is None:
        return None
    return public_addresses(host, [str(literal)], allow_loopback=allow_loopback)[0]
