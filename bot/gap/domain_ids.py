"""Dictionary encoding of registrable domains: each distinct name gets a small integer.

A large analysis compares hundreds of thousands of domain names across pages.
Done on strings, every comparison reads a scattered string object for its
hash; done on integers, the same work is a few array operations. Tables
(``DomainTable``) encode their domains when they are built, so the analysis
itself never hashes a name.

The encoding is shared by every table a process builds, so that ids from
different pages agree. It only grows; when it holds ``capacity`` names a fresh
one takes over for new tables, and the old one lives on only as long as the
tables that use it (``DomainTable.in_encoding`` moves a table across).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.gap.domains import split_domain_uncached

#: Names an encoding takes before a fresh one replaces it, to bound a worker's memory.
DEFAULT_CAPACITY = 1_000_000

Ids = npt.NDArray[np.int32]


class DomainIds:
    """Names to ids and back; safe to share between threads.

    Ids are handed out in order of first appearance, so the ids below
    ``len(self)`` are exactly the names met so far (the junk filter judges
    only the ones it has not seen).
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._id_of: dict[str, int] = {}
        #: The id of each host's registrable domain (-1: the host has none).
        self._id_of_host: dict[str, int] = {}
        #: The name of each id, in id order.
        self.names: list[str] = []
        #: The public suffix of each id when it was learnt from a host (``None``: not known).
        self.suffixes: list[str | None] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.names)

    @property
    def full(self) -> bool:
        return len(self.names) >= self.capacity or len(self._id_of_host) >= 2 * self.capacity

    def encode(self, domains: Sequence[str]) -> Ids:
        """The id of each domain, in order; names met for the first time get the next ids."""
        try:
            return np.fromiter(map(self._id_of.__getitem__, domains), np.int32, len(domains))
        except KeyError:
            pass
        self._add(domains, [None] * len(domains))
        return np.fromiter(map(self._id_of.__getitem__, domains), np.int32, len(domains))

    def _add(self, domains: Sequence[str], suffixes: Sequence[str | None]) -> None:
        with self._lock:
            id_of, names = self._id_of, self.names
            for domain, suffix in zip(domains, suffixes, strict=True):
                if domain not in id_of:
                    # Name and suffix first: an id is never visible without them.
                    names.append(domain)
                    self.suffixes.append(None if suffix is None else sys.intern(suffix))
                    id_of[domain] = len(names) - 1

    def encode_hosts(self, hosts: Sequence[str]) -> Ids:
        """The id of each host's registrable domain (Public Suffix List); -1 for a host with none.

        Hosts are remembered, so a warm worker turns a provider's rows into
        ids in one C-level pass; only new hosts are looked up in the list.
        """
        id_of_host = self._id_of_host
        try:
            return np.fromiter(map(id_of_host.__getitem__, hosts), np.int32, len(hosts))
        except KeyError:
            pass
        new = list(set(hosts).difference(id_of_host))
        splits = [split_domain_uncached(host) for host in new]
        named = [split for split in splits if split[0]]
        self._add([domain for domain, _ in named], [suffix for _, suffix in named])
        with self._lock:
            for host, (domain, _) in zip(new, splits, strict=True):
                id_of_host[host] = self._id_of[domain] if domain else -1
        return np.fromiter(map(id_of_host.__getitem__, hosts), np.int32, len(hosts))

    def id_of(self, domain: str) -> int | None:
        """The id of ``domain``, or ``None`` when no table holds it."""
        return self._id_of.get(domain)

    def decode(self, ids: Ids) -> list[str]:
        """The names of ``ids``, in order."""
        return list(map(self.names.__getitem__, ids.tolist()))


_shared = DomainIds()
_swap_lock = threading.Lock()


def shared_encoding() -> DomainIds:
    """The encoding new tables use; replaced by a fresh one once it is full."""
    global _shared
    if _shared.full:
        with _swap_lock:
            if _shared.full:
                _shared = DomainIds(_shared.capacity)
    return _shared
