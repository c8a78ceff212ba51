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


def _plain_rules(rules: list[str]) -> tuple[frozenset[str], frozenset[str], int, int]:
    """The list's plain rules, the suffixes that wildcard or exception rules sit under, and
    the most labels any plain rule and any such suffix has.

    A host under none of those suffixes matches no wildcard or exception rule,
    so its public suffix is simply the longest of its trailing label runs that
    is a rule, and the common hosts need no full walk of tldextract's parser: a
    large analysis meets hundreds of thousands of them. Hosts under the others
    (``*.er``, ``!www.ck``, ``*.kawasaki.jp``, ``*.sch.uk``) still go through
    tldextract; ``example.co.uk`` does not (``uk`` has ``*.sch.uk``, but
    ``co.uk`` is not under ``sch.uk``).
    """
    special = frozenset(
        rule.partition(".")[2] for rule in rules if rule.startswith(("*", "!")) and "." in rule
    )
    plain = frozenset(rule for rule in rules if not rule.startswith(("*", "!")))
    return (
        plain,
        special,
        max((rule.count(".") + 1 for rule in plain), default=1),
        max((suffix.count(".") + 1 for suffix in special), default=1),
    )


_RULES, _SPECIAL, _MAX_RULE_LABELS, _MAX_SPECIAL_LABELS = _plain_rules(list(_EXTRACT.tlds))
#: A plain ASCII host name: no scheme, port, path, user, IP-literal brackets or IDN dots.
_PLAIN_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)+")


def plain_suffix_rules() -> tuple[frozenset[str], frozenset[str], int, int]:
    """The PSL's plain rules, the suffixes with wildcard or exception rules under them, and
    the most labels of a plain rule and of such a suffix: what a columnar engine needs to
    resolve plain hosts the way ``split_domain`` does, without calling it once per host."""
    return _RULES, _SPECIAL, _MAX_RULE_LABELS, _MAX_SPECIAL_LABELS


def split_domain_uncached(host: str) -> tuple[str, str]:
    """``split_domain`` without the cache, for callers that keep their own (the junk filter)."""
    clean = host.strip().strip(".").lower()
    if not clean:
        return "", ""
    if _PLAIN_HOST.fullmatch(clean):
        labels = clean.split(".")
        trailing = range(1, min(_MAX_SPECIAL_LABELS, len(labels)) + 1)
        if not any(".".join(labels[-size:]) in _SPECIAL for size in trailing):
            if clean in _RULES:  # a bare public suffix ("gov.uk") is its own domain
                return clean, clean
            for size in range(min(_MAX_RULE_LABELS, len(labels) - 1), 0, -1):
                suffix = ".".join(labels[-size:])
                if suffix in _RULES:
                    return ".".join(labels[-size - 1 :]), suffix
    return _split_by_parser(clean)


def _split_by_parser(clean: str) -> tuple[str, str]:
    """``split_domain`` of a cleaned host by tldextract's own walk of the list, every rule
    kind included: what the fast path above must agree with."""
    parts = _EXTRACT(clean)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}", parts.suffix
    if parts.suffix:  # a bare public suffix ("co.uk") is its own domain
        return clean, parts.suffix
    # No known suffix (an IP address, localhost, an intranet or reserved name such as
    # shop.example): the host itself, less a leading "www.", is the domain — never its
    # last label, which would merge every site under that name.
    host_only = ".".join(label for label in (parts.subdomain, parts.domain) if label) or clean
    return host_only.removeprefix("www."), ""


@lru_cache(maxsize=1_000_000)
def split_domain(host: str) -> tuple[str, str]:
    """``(registrable_domain, public_suffix)`` of a host or URL.

    A host with no public suffix (an IP address, ``localhost``) is its own domain.
    """
    return split_domain_uncached(host)


def registrable_domain(host: str) -> str:
    """The registrable domain (``example.co.uk``) of a host or URL."""
    return split_domain(host)[0]


def public_suffix(host: str) -> str:
    """The public suffix (``co.uk``) of a host or URL; '' when it has none."""
    return split_domain(host)[1]
