"""Registrable domains from the Public Suffix List.

``tldextract`` with its bundled PSL snapshot: never a network fetch at run
time, never string splitting. ``blog.example.co.uk`` and ``www.example.co.uk``
are one domain, ``example.co.uk``. Results are cached because a large analysis
asks about the same hosts many times.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract

# suffix_list_urls=() pins the bundled snapshot; cache_dir=None keeps it off the disk.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=1_000_000)
def split_domain(host: str) -> tuple[str, str]:
    """``(registrable_domain, public_suffix)`` of a host or URL.

    A host with no public suffix (an IP address, ``localhost``) is its own domain.
    """
    clean = host.strip().strip(".").lower()
    if not clean:
        return "", ""
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
