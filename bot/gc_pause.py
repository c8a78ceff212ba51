"""One way to pause Python's cyclic garbage collector around allocation-heavy work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for a block that builds many containers holding no cycles.

    Large analyses and export imports create hundreds of thousands of small
    containers; each collector pass would walk them, and every object alive,
    for nothing. Without cycles pausing costs no memory. The collector's
    previous state is restored, so nested pauses are safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
