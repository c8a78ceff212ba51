"""Registrable domains from the Public Suffix List.

``tldextract`` with its bundled PSL snapshot: never a network fetch at run
time, never string splitting. ``blog.example.co.uk`` and ``www.example.co.uk``
are one domain, ``example.co.uk``. Results are cached because a large analysis
asks about the same hosts many times.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tldextract

# suffix_list_urls=() pins the bundled snapshot; cache_dir=None keeps it off the disk.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _simple_tlds(rules: list[str]) -> frozenset[str]:
    """Top-level suffixes with no deeper rule in the list (no ``co.uk``, ``*.er``, ``!www.ck``).

    Under such a suffix the registrable domain is exactly the last two labels,
    so the common hosts (``.com``, ``.net``, ``.org``, ``.de`` …) need no full
    Public Suffix List walk: a large analysis meets hundreds of thousands.
    """
    deeper = {rule.rsplit(".", 1)[-1] for rule in rules if "." in rule}
    return (
        frozenset(rule for rule in rules if "." not in rule and not rule.startswith(("*", "!")))
        - deeper
    )


_SIMPLE_TLDS = _simple_tlds(list(_EXTRACT.tlds))
#: A plain ASCII host name: no scheme, port, path, user, IP-literal brackets or IDN dots.
_PLAIN_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)+")


@lru_cache(maxsize=1_000_000)
def split_domain(host: str) -> tuple[str, str]:
    """``(registrable_domain, public_suffix)`` of a host or URL.

    A host with no public suffix (an IP address, ``localhost``) is its own domain.
    """
    clean = host.strip().strip(".").lower()
    if not clean:
        return "", ""
    if _PLAIN_HOST.fullmatch(clean):
        head, _, tld = clean.rpartition(".")
        if tld in _SIMPLE_TLDS:
            label = head.rpartition(".")[2]
            return f"{label}.{tld}", tld
    parts = _EXTRACT(clean)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}", parts.suffix
    if parts.suffix:  # a bare public suffix ("co.uk") is its own domain
        return clean, parts.suffix
    # No known suffix (an IP address, localhost, an intranet or reserved name such as
    # shop.example): the host itself, less a leading "www.", is the domain — never its
    # last label, which would merge every site under that name.
    host = ".".join(label for label in (parts.subdomain, parts.domain) if label) or clean
    return host.removeprefix("www."), ""


def registrable_domain(host: str) -> str:
    """The registrable domain (``example.co.uk``) of a host or URL."""
    return split_domain(host)[0]


def public_suffix(host: str) -> str:
    """The public suffix (``co.uk``) of a host or URL; '' when it has none."""
    return split_domain(host)[1]
